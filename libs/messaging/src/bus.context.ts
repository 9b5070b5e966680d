import { BaseRpcContext } from '@nestjs/microservices';

/** What the transport knows about one delivery besides its payload. */
export interface BusDelivery {
  readonly messageId: string;
  readonly pattern: string;
  /** The broker delivered it before (a handler failed, or a consumer died before acking). */
  readonly redelivered: boolean;
  /** How many times it was delivered before this one, where the broker counts (quorum queues do). */
  readonly deliveryCount: number;
  /** The event's string headers (`BusEvent.headers`); empty when it has none. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The context handed to `@EventPattern` handlers as `@Ctx()`. Nest 12's typed `@EventPattern('x')` overload
 * refuses a typed second parameter, so name the untyped overload with `<string>` when taking the context.
 *
 * @example
 * ```ts
 * @EventPattern<string>('messages.accepted')
 * route(@Payload() event: MessagesAccepted, @Ctx() ctx: RdxBusContext) {
 *   return this.routeMessage.execute(event, ctx.getMessageId());
 * }
 * ```
 */
export class RdxBusContext extends BaseRpcContext<[BusDelivery]> {
  getMessageId(): string {
    return this.args[0].messageId;
  }

  getPattern(): string {
    return this.args[0].pattern;
  }

  isRedelivered(): boolean {
    return this.args[0].redelivered;
  }

  getDeliveryCount(): number {
    return this.args[0].deliveryCount;
  }

  getHeaders(): Readonly<Record<string, string>> {
    return this.args[0].headers ?? {};
  }
}
