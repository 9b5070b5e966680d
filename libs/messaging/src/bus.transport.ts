import { EventEmitter } from 'node:events';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { RdxBusContext } from './bus.context';

export type BusTransportStatus = 'connected' | 'disconnected';

// A type alias, not an interface, so it meets Server's `Record<string, Function>` constraint.
export type BusTransportEvents = { connect: () => void; disconnect: () => void };

/**
 * The Nest transport strategy of the bus, and its DI token: pass the injected value to
 * `app.connectMicroservice({ strategy })`. Handlers are `@EventPattern`s; a delivery is acknowledged only
 * once its handler has finished.
 */
export abstract class BusTransport
  extends Server<BusTransportEvents, BusTransportStatus>
  implements CustomTransportStrategy
{
  // We await every handler ourselves and turn its failure into a redelivery, so Nest need not log it twice.
  override readonly propagatesEventHandlerErrors = true;

  private readonly events = new EventEmitter();
  private currentStatus: BusTransportStatus | undefined;
  /** Handlers by pattern: Nest's lookup tries to parse every pattern as JSON, too slow per delivery. */
  private readonly handlers = new Map<string, MessageHandler>();

  /** Whether the consumer is connected and taking deliveries (for a worker's /health/ready). */
  abstract isConsuming(): boolean;

  /** Listens for `connect` and `disconnect` (each (re)connection of the consumer, and each loss). */
  on<
    EventKey extends keyof BusTransportEvents = keyof BusTransportEvents,
    EventCallback extends BusTransportEvents[EventKey] = BusTransportEvents[EventKey],
  >(event: EventKey, callback: EventCallback): this {
    this.events.on(event, callback as (...args: unknown[]) => void);
    return this;
  }

  protected setStatus(status: BusTransportStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this._status$.next(status);
    this.events.emit(status === 'connected' ? 'connect' : 'disconnect');
  }

  /** The patterns with an `@EventPattern` handler; request-response handlers have no place on the bus. */
  protected eventPatterns(): string[] {
    return [...this.messageHandlers]
      .filter(([, handler]) => handler.isEventHandler)
      .map(([pattern]) => pattern);
  }

  protected hasEventHandler(pattern: string): boolean {
    return this.handlerFor(pattern)?.isEventHandler === true;
  }

  private handlerFor(pattern: string): MessageHandler | undefined {
    let handler = this.handlers.get(pattern);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(pattern) ?? undefined;
      if (handler !== undefined) this.handlers.set(pattern, handler);
    }
    return handler;
  }

  /** Runs every handler of `pattern` and settles when all have finished, whether they return a Promise or an Observable. */
  protected async dispatch(
    pattern: string,
    payload: Record<string, unknown>,
    context: RdxBusContext,
  ): Promise<void> {
    const handler = this.handlerFor(pattern);
    if (!handler) throw new Error(`No handler for ${pattern}`);
    const result: unknown = await handler(payload, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
