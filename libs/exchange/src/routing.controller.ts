import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RdxBusContext } from '@rdx/messaging';
import { MESSAGES_ACCEPTED } from './events';
import { RouteMessage } from './route-message.use-case';

/** The worker's broker handlers: unpack the event and delegate. */
@Controller()
export class RoutingController {
  constructor(@Inject(RouteMessage) private readonly routeMessage: RouteMessage) {}

  /** A publish batch's messages: acknowledged once all of them are routed. */
  @EventPattern<string>(MESSAGES_ACCEPTED)
  async onMessagesAccepted(
    @Payload() event: { messageIds?: unknown },
    @Ctx() context: RdxBusContext,
  ): Promise<void> {
    const ids = event.messageIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && id !== ''))
      throw new TypeError(`${MESSAGES_ACCEPTED} carries no list of message ids`);
    await this.routeMessage.executeAll(ids as string[], context);
  }
}
