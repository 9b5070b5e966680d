import { ConfirmChannel } from 'amqplib';

/**
 * Publishes persistent messages to one queue through a confirm channel, resolving each publish
 * only when the broker has confirmed it. At most `window` messages are unconfirmed at a time;
 * later publishes wait for room, and also for the socket to drain when amqplib asks for it.
 */
export class ConfirmPublisher {
  private unconfirmed = 0;
  private mustDrain = false;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly channel: ConfirmChannel,
    private readonly queue: string,
    private readonly window: number,
  ) {
    channel.on('drain', () => {
      this.mustDrain = false;
      this.wake();
    });
    // A closed channel rejects its outstanding confirms; waiters must wake to see the error.
    channel.on('close', () => this.wake());
  }

  async publish(content: Buffer): Promise<void> {
    while (this.unconfirmed >= this.window || this.mustDrain) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.unconfirmed++;
    return new Promise<void>((resolve, reject) => {
      const settle = (error: unknown): void => {
        this.unconfirmed--;
        this.wake();
        if (error === null || error === undefined) resolve();
        else
          reject(error instanceof Error ? error : new Error(`broker refused the message: ${String(error)}`));
      };
      try {
        const flowing = this.channel.sendToQueue(
          this.queue,
          content,
          { persistent: true, contentType: 'application/json' },
          settle,
        );
        if (!flowing) this.mustDrain = true;
      } catch (error) {
        settle(error); // a closed channel throws synchronously
      }
    });
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
