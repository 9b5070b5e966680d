import { Channel, ChannelModel, ConfirmChannel, connect } from 'amqplib';
import { queueName } from './config';

/**
 * One AMQP connection and the channels opened on it. The baseline does not reconnect: losing the
 * connection or a channel ends the process with code 1 (nothing unconfirmed was answered 202, and
 * unacknowledged deliveries go back to the queue), and the harness sees it.
 */
export class Broker {
  private closing = false;

  private constructor(private readonly connection: ChannelModel) {
    this.watch(connection, 'connection');
  }

  static async connect(url: string): Promise<Broker> {
    // Without noDelay, Nagle holds back small frames (a batch's last publishes, acks) for a round trip.
    return new Broker(await connect(url, { noDelay: true }));
  }

  async confirmChannel(): Promise<ConfirmChannel> {
    return this.watch(await this.connection.createConfirmChannel(), 'confirm channel');
  }

  async channel(): Promise<Channel> {
    return this.watch(await this.connection.createChannel(), 'channel');
  }

  /** Closes the channel, then the connection; a deliberate close is not a lost broker. */
  async close(channel: Channel): Promise<void> {
    this.closing = true;
    await channel.close();
    await this.connection.close();
  }

  private watch<E extends Channel | ChannelModel>(emitter: E, what: string): E {
    emitter.on('error', (error: Error) => console.error(`baseline: AMQP ${what} error:`, error.message));
    emitter.on('close', () => {
      if (this.closing) return;
      console.error(`baseline: lost the AMQP ${what}; exiting (the baseline does not reconnect)`);
      process.exit(1);
    });
    return emitter;
  }
}

/**
 * Declares the queue between api and worker: durable and quorum, as the gateway's routing queue is,
 * so both pipelines pay for the same fsync-before-confirm and the comparison is about the code.
 */
export async function assertMessageQueue(channel: Channel, prefix: string): Promise<string> {
  const queue = queueName(prefix);
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  return queue;
}
