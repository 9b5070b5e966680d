import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Agency, Lane } from './bench-world';
import { MessageFactory, SignedMessage } from './payloads';

/**
 * The load-generating process: the simulated agencies' systems. It signs each run's messages
 * when told to prepare it (so signing neither competes with the system under test nor counts in
 * the CPU measured while the load runs), posts them when told to run, and runs the webhook
 * endpoint that records when each delivery arrived.
 */

export interface LoadSetup {
  op: 'setup';
  agencies: Pick<Agency, 'id' | 'kid' | 'privateJwk'>[];
}

/** Signs the messages of the next run. */
export interface LoadRun {
  op: 'prepare';
  target: string;
  lanes: { lane: Lane; share: number }[];
  /** `saturate`: a closed loop of `concurrency` requests; `rate`: an open loop at `rate` per second. */
  mode: 'saturate' | 'rate';
  concurrency: number;
  rate: number;
  durationMs: number;
  /** How many messages to sign up front (the most the run may send). */
  budget: number;
}

export interface SentRecord {
  id: string;
  /** The publisher: the world says who must receive its messages. */
  source: string;
  /** Epoch milliseconds, sub-millisecond precision. */
  sentAt: number;
  answeredAt: number;
  status: number;
}

export interface RunResult {
  records: SentRecord[];
  startedAt: number;
  endedAt: number;
  exhausted: boolean;
  /** The first refusal's answer, to say why. */
  firstRefusal?: string;
}

type Command = LoadSetup | LoadRun | { op: 'run' } | { op: 'webhooks' } | { op: 'stop' };

const now = () => performance.timeOrigin + performance.now();

let factory: MessageFactory | undefined;
let prepared: { run: LoadRun; messages: SignedMessage[] } | undefined;
let receiver: Server | undefined;
const webhookArrivals = new Map<string, number>();

function startReceiver(): Promise<string> {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const arrivedAt = now();
      try {
        const { messageId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messageId: string };
        if (!webhookArrivals.has(messageId)) webhookArrivals.set(messageId, arrivedAt);
      } catch {
        // Not a delivery; answered all the same.
      }
      response.writeHead(204).end();
    });
  });
  receiver.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    receiver!.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(receiver!.address() as AddressInfo).port}/rdx-hook`),
    ),
  );
}

function prepare(run: LoadRun): SignedMessage[] {
  const messages: SignedMessage[] = [];
  const total = run.lanes.reduce((sum, l) => sum + l.share, 0);
  for (let i = 0; i < run.budget; i++) {
    // Lanes interleaved by share: lane k gets share_k / total of the messages.
    let pick = (i % total) + 1;
    const entry = run.lanes.find((l) => (pick -= l.share) <= 0)!;
    messages.push(factory!.next(entry.lane));
  }
  return messages;
}

async function execute({ run, messages }: { run: LoadRun; messages: SignedMessage[] }): Promise<RunResult> {
  const url = new URL(run.target);
  const pool = new Pool(url.origin, {
    connections: run.mode === 'saturate' ? run.concurrency : 512,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const records: SentRecord[] = [];
  let firstRefusal: string | undefined;
  let next = 0;
  const startedAt = now();
  const deadline = startedAt + run.durationMs;

  const post = async (message: SignedMessage) => {
    const sentAt = now();
    let status = 0;
    try {
      const response = await pool.request({
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: message.jws,
      });
      status = response.statusCode;
      if (status !== 202 && firstRefusal === undefined)
        firstRefusal = `${status} ${(await response.body.text()).slice(0, 400)}`;
      else await response.body.dump();
    } catch (error) {
      status = 0;
      firstRefusal ??= String(error);
    }
    records.push({ id: message.id, source: message.source, sentAt, answeredAt: now(), status });
  };

  if (run.mode === 'saturate') {
    const worker = async () => {
      while (now() < deadline && next < messages.length) await post(messages[next++]);
    };
    await Promise.all(Array.from({ length: run.concurrency }, worker));
  } else {
    const inFlight = new Set<Promise<void>>();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const t = now();
        const due = Math.min(messages.length, Math.floor(((t - startedAt) / 1000) * run.rate));
        while (next < due) {
          const p = post(messages[next++]);
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
        if (t >= deadline || next >= messages.length) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all(inFlight);
  }
  const endedAt = now();
  await pool.close();
  return {
    records,
    startedAt,
    endedAt,
    exhausted: next >= messages.length && endedAt < deadline,
    firstRefusal,
  };
}

function reply(message: unknown): void {
  process.send!(message);
}

// The bench is gone (stopped, or it failed): so is its load.
process.on('disconnect', () => process.exit(0));

process.on('message', (command: Command) => {
  const handle = async () => {
    switch (command.op) {
      case 'setup':
        factory = new MessageFactory(command.agencies);
        return { op: 'ready', webhookUrl: await startReceiver() };
      case 'prepare':
        prepared = { run: command, messages: prepare(command) };
        return { op: 'prepared' };
      case 'run': {
        if (prepared === undefined) throw new Error('run without prepare');
        const run = prepared;
        prepared = undefined;
        return { op: 'result', result: await execute(run) };
      }
      case 'webhooks':
        return { op: 'webhooks', arrivals: [...webhookArrivals] };
      case 'stop':
        receiver?.close();
        return { op: 'stopped' };
    }
  };
  handle().then(reply, (error: unknown) => reply({ op: 'error', message: String(error) }));
});
