import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  body: any;
  raw: string;
  at: number;
  /** The W3C traceparent the gateway sent (tracing on), else undefined. */
  traceparent?: string;
}

type Answer = { status: number; headers?: Record<string, string> };

/**
 * A ministry's webhook endpoint on 127.0.0.1. It checks every request's signature with the
 * published `standardwebhooks` package, not with RDX's own code, and answers what the test
 * scripts (200 unless told otherwise).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly refusedSignatures: string[] = [];
  private server: Server | undefined;
  private readonly script: Answer[] = [];
  private always: Answer = { status: 200 };
  /** Answers kept waiting, while `hold` lasts. */
  private held: (() => void)[] | undefined;
  secrets: string[] = [];

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/rdx/hook`;
  }

  /** The next answers, in order; then `always`. */
  answer(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  answerAlways(answer: Answer): void {
    this.always = answer;
  }

  /** Keeps every answer waiting until `release`, as an endpoint that hangs would. */
  hold(): void {
    this.held ??= [];
  }

  /** Gives the answers held, and answers at once again. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** Waits until `count` requests arrived with a valid signature, or fails after `ms`. */
  async awaitCount(count: number, ms = 20000): Promise<Received[]> {
    const deadline = Date.now() + ms;
    while (this.received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return this.received;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    // Every secret the test expects to be valid must verify on its own.
    const verified =
      this.secrets.length > 0 &&
      this.secrets.every((secret) => {
        try {
          new Webhook(secret).verify(raw, headers);
          return true;
        } catch {
          return false;
        }
      });
    if (!verified) {
      this.refusedSignatures.push(headers['webhook-id']);
      response.writeHead(401).end();
      return;
    }
    const answer = this.script.shift() ?? this.always;
    if (answer.status >= 200 && answer.status < 300) {
      this.received.push({
        id: headers['webhook-id'],
        timestamp: Number(headers['webhook-timestamp']),
        signature: headers['webhook-signature'],
        body: JSON.parse(raw),
        raw,
        at: Date.now(),
        traceparent: request.headers.traceparent as string | undefined,
      });
    } else {
      this.attemptsRefused.push({
        id: headers['webhook-id'],
        status: answer.status,
        at: Date.now(),
        traceparent: request.headers.traceparent as string | undefined,
      });
    }
    if (this.held !== undefined) await new Promise<void>((resolve) => this.held!.push(resolve));
    response.writeHead(answer.status, answer.headers).end();
  }

  readonly attemptsRefused: { id: string; status: number; at: number; traceparent?: string }[] = [];
}

/**
 * A gateway's settings for webhook tests: endpoints on 127.0.0.1 allowed, retries a second
 * apart, a short timeout, and an hour of overlap after a secret rotation.
 */
export const WEBHOOK_ENV = {
  RDX_WEBHOOK_ALLOW_PRIVATE: 'true',
  RDX_RETRY_DELAYS: '1,1,1',
  RDX_WEBHOOK_TIMEOUT_MS: '2000',
  RDX_WEBHOOK_SECRET_OVERLAP_SECONDS: '3600',
};

/** Reads `read` every 50 ms until `done` holds of its value or `ms` pass; the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 20000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
