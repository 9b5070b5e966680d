import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { MESSAGE_ACCEPTED } from './events';
import { RouteMessage } from './route-message.use-case';

/** The worker's broker handler: unpacks the event and delegates. */
@Controller()
export class RoutingController {
  constructor(@Inject(RouteMessage) private readonly routeMessage: RouteMessage) {}

  @EventPattern(MESSAGE_ACCEPTED)
  async onMessageAccepted(@Payload() event: { messageId: string }): Promise<void> {
    await this.routeMessage.execute(event.messageId);
  }
}
