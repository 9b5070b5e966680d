import type { LoggerService } from '@nestjs/common';
import { connect, type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import { backoffDelay, describeError } from './delay.util';
import { MessageBusError } from './message-bus.error';
import { describeBroker } from './amqp.options';

export interface AmqpConnectionOptions {
  url: string;
  /** Shown in the broker's management UI and in our logs. */
  name: string;
  reconnectDelaysMs: readonly number[];
  logger: LoggerService;
  /** Opens channels and asserts topology on each fresh connection; a throw makes it try again later. */
  setup(model: ChannelModel): Promise<void>;
  /** Runs once each time an established connection is lost. */
  onDown(): void;
}

/**
 * One AMQP connection that rebuilds itself: amqplib 2's built-in recovery reconnects with our backoff and
 * re-runs `setup`; this class adds what it leaves out (listeners that keep errors from crashing the process,
 * and a way to rebuild when only a channel died).
 */
export class AmqpConnection {
  private opening: Promise<RecoveringChannelModel> | undefined;
  private recovering: RecoveringChannelModel | undefined;
  private current: ChannelModel | undefined;
  private blocked = false;
  private closed = false;

  constructor(private readonly options: AmqpConnectionOptions) {}

  /** Connected, set up, and not flow-blocked by the broker. */
  get isUsable(): boolean {
    return this.current !== undefined && !this.blocked;
  }

  /** amqplib's recovering connection, once `open()` has started it. */
  get underlying(): RecoveringChannelModel | undefined {
    return this.recovering;
  }

  /** Starts connecting (once); resolves when the first connection is set up, retrying until then. */
  async open(): Promise<void> {
    if (this.closed) throw new MessageBusError('ERR_BUS_CLOSED', `${this.options.name} is closed`);
    this.opening ??= this.start();
    const recovering = await this.opening;
    await recovering.waitForConnect();
  }

  /**
   * Drops `model` so recovery rebuilds everything, for when a channel closed but its connection did not
   * (a channel error, or the broker cancelling our consumer).
   */
  recycle(model: ChannelModel, reason: string): void {
    // Deferred: when the whole connection goes down its channels close first, and the disconnect that
    // follows in the same tick makes this a no-op.
    setImmediate(() => {
      if (this.closed || this.current !== model) return;
      this.options.logger.warn(`${this.options.name}: reconnecting because ${reason}`);
      model.close().catch(() => undefined);
    });
  }

  /** Stops reconnecting and closes the connection. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.current = undefined;
    const recovering = await this.opening?.catch(() => undefined);
    await recovering?.close().catch(() => undefined);
  }

  private async start(): Promise<RecoveringChannelModel> {
    const { url, name, logger, reconnectDelaysMs } = this.options;
    const recovering = await connect(url, {
      clientProperties: { connection_name: name },
      timeout: 10_000,
      recovery: {
        waitForConnect: false,
        maxRetries: Infinity,
        calculateDelay: (attempt) => backoffDelay(reconnectDelaysMs, attempt - 1),
        setup: (model: ChannelModel) => this.setUp(model),
      },
    });
    // An 'error' event without a listener would throw and take the process down.
    recovering.on('error', (error: Error) => logger.warn(`${name}: connection error: ${error.message}`));
    recovering.on('handler-error', (error: Error, event: string) =>
      logger.error(`${name}: a listener for '${event}' threw: ${describeError(error)}`),
    );
    recovering.on('connect', () => logger.log(`${name}: connected to ${describeBroker(url)}`));
    recovering.on('connect-failed', (error: Error) =>
      logger.warn(`${name}: cannot connect to ${describeBroker(url)}: ${error.message}`),
    );
    recovering.on('disconnect', (error: Error) => {
      this.current = undefined;
      this.blocked = false;
      logger.warn(`${name}: connection lost: ${error.message}`);
      this.options.onDown();
    });
    recovering.on('reconnect-failed', (error: Error) =>
      logger.error(`${name}: gave up reconnecting: ${error.message}`),
    );
    recovering.on('blocked', (reason: string) => {
      this.blocked = true;
      logger.warn(`${name}: the broker blocked publishing: ${reason}`);
    });
    recovering.on('unblocked', () => {
      this.blocked = false;
      logger.log(`${name}: the broker unblocked publishing`);
    });
    this.recovering = recovering;
    return recovering;
  }

  private async setUp(model: ChannelModel): Promise<void> {
    // Recovery listens for 'error' only once setup has succeeded; until then a socket error must still
    // find a listener. Recovery re-emits later errors, which the listener above logs.
    model.on('error', () => undefined);
    if (this.closed) return;
    await this.options.setup(model);
    if (this.closed) return;
    this.current = model;
    this.blocked = false;
  }
}
