import { Logger, type LoggerService } from '@nestjs/common';
import { BusTransport } from './bus.transport';
import type { InProcessBroker } from './in-process.broker';

/** The embedded counterpart of `AmqpTransport`: takes events from the in-process broker for `@EventPattern` handlers. */
export class InProcessTransport extends BusTransport {
  private detach: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly broker: InProcessBroker,
    protected override readonly logger: LoggerService = new Logger(InProcessTransport.name),
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.detach ??= this.broker.attach({
      handles: (pattern) => this.hasEventHandler(pattern),
      deliver: (pattern, payload, context) => {
        const work = this.dispatch(pattern, payload, context).finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
        return work;
      },
    });
    this.setStatus('connected');
    callback();
  }

  override isConsuming(): boolean {
    return this.detach !== undefined;
  }

  /** Stops taking events and waits for the running handlers. Idempotent. */
  async close(): Promise<void> {
    if (!this.detach) return;
    this.detach();
    this.detach = undefined;
    await Promise.allSettled([...this.inFlight]);
    this.setStatus('disconnected');
  }

  /** The broker this transport consumes from. */
  unwrap<T>(): T {
    return this.broker as unknown as T;
  }
}
