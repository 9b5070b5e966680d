import { randomUUID } from 'node:crypto';
import { Controller, Injectable, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { defer, type Observable } from 'rxjs';
import { TcpProxy } from '@rdx/testing';
import {
  AmqpMessageBus,
  type AmqpOptions,
  AmqpTransport,
  type BusEvent,
  BusTransport,
  MessageBus,
  MessageBusError,
  MessagingModule,
  RdxBusContext,
  topologyNames,
} from './index';

const AMQP_URL = process.env.RDX_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const aPrefix = (): string => `rdxtest-${randomUUID().slice(0, 8)}`;
const PREFIX = aPrefix();
const NAMES = topologyNames(PREFIX);
const DELIVERY_LIMIT = 3;

interface Received {
  readonly payload: Record<string, unknown>;
  readonly redelivered: boolean;
  readonly deliveryCount: number;
}

/** What the test handlers saw, and which failures they were told to fake. */
@Injectable()
class Inbox {
  readonly deliveries = new Map<string, Received[]>();
  readonly handled = new Set<string>();
  private readonly failuresLeft = new Map<string, number>();
  private readonly gates = new Map<string, Promise<void>>();

  failNext(id: string, times: number): void {
    this.failuresLeft.set(id, times);
  }

  /** The next delivery of `id` waits until the returned function is called. */
  hold(id: string): () => void {
    let release!: () => void;
    this.gates.set(id, new Promise((resolve) => (release = resolve)));
    return release;
  }

  async receive(payload: Record<string, unknown>, ctx: RdxBusContext): Promise<void> {
    const id = ctx.getMessageId();
    const seen = this.deliveries.get(id) ?? [];
    seen.push({ payload, redelivered: ctx.isRedelivered(), deliveryCount: ctx.getDeliveryCount() });
    this.deliveries.set(id, seen);
    const gate = this.gates.get(id);
    this.gates.delete(id);
    await gate;
    const left = this.failuresLeft.get(id) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(id, left - 1);
      throw new Error('injected failure');
    }
    this.handled.add(id);
  }
}

@Controller()
class TestHandlers {
  constructor(private readonly inbox: Inbox) {}

  @EventPattern<string>('test.accepted')
  accepted(@Payload() payload: Record<string, unknown>, @Ctx() ctx: RdxBusContext): Promise<void> {
    return this.inbox.receive(payload, ctx);
  }

  @EventPattern<string>('test.observed')
  observed(@Payload() payload: Record<string, unknown>, @Ctx() ctx: RdxBusContext): Observable<void> {
    return defer(() => this.inbox.receive(payload, ctx));
  }
}

@Module({ controllers: [TestHandlers], providers: [Inbox] })
class TestModule {}

let counter = 0;
function anEvent(overrides: Partial<BusEvent> = {}): BusEvent {
  counter += 1;
  return {
    pattern: 'test.accepted',
    id: randomUUID(),
    payload: { n: counter, name: 'Test Person' },
    ...overrides,
  };
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes dead letters off the dead-letter queue until `id` turns up; returns its death reason. */
async function takeDeadLetter(channel: Channel, id: string): Promise<string | undefined> {
  const message = await channel.get(NAMES.deadLetterQueue);
  if (!message) return undefined;
  channel.ack(message);
  if (message.properties.messageId !== id) return undefined;
  const deaths = message.properties.headers?.['x-death'] as Array<{ reason: string }> | undefined;
  return deaths?.[0]?.reason ?? 'unknown';
}

describe('AmqpMessageBus and AmqpTransport against RabbitMQ', () => {
  let proxy: TcpProxy;
  let app: INestMicroservice;
  let transport: AmqpTransport;
  let bus: AmqpMessageBus;
  let inbox: Inbox;
  let admin: ChannelModel;
  let adminChannel: Channel;

  beforeAll(async () => {
    const target = new URL(AMQP_URL);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5672));
    const proxied = new URL(AMQP_URL);
    proxied.port = String(await proxy.start());
    const options: AmqpOptions = {
      url: proxied.toString(),
      prefix: PREFIX,
      deliveryLimit: DELIVERY_LIMIT,
      reconnectDelaysMs: [50, 100, 200],
      handlerRetryDelaysMs: [50],
      confirmTimeoutMs: 5_000,
    };

    transport = new AmqpTransport(options);
    app = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
    await app.listen();
    inbox = app.get(Inbox);
    bus = new AmqpMessageBus(options);
    await bus.start();

    admin = await connect(AMQP_URL);
    admin.on('error', () => undefined);
    adminChannel = await admin.createChannel();
  });

  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await proxy?.stop();
    if (adminChannel) await deleteTopology(adminChannel, PREFIX);
    await admin?.close();
  });

  it('declares the durable topology', async () => {
    // The consumer connects in the background (a process may start while the broker is down).
    // Until it has declared the queue, a check is a 404, which closes the channel it ran on: each
    // attempt gets a channel of its own, so that the shared one stays open for the other tests.
    await eventually(async () => {
      const probe = await admin.createChannel();
      probe.on('error', () => undefined);
      try {
        return (await probe.checkQueue(NAMES.queue)).consumerCount === 1;
      } catch {
        return false;
      } finally {
        await probe.close().catch(() => undefined);
      }
    });
    await expect(adminChannel.checkQueue(NAMES.deadLetterQueue)).resolves.toBeDefined();
    await expect(adminChannel.checkExchange(NAMES.exchange)).resolves.toBeDefined();
    await expect(adminChannel.checkExchange(NAMES.deadLetterExchange)).resolves.toBeDefined();
  });

  it('publishes a batch with confirms and hands each payload to its handler', async () => {
    const events = [anEvent(), anEvent(), anEvent({ pattern: 'test.observed' })];

    await bus.publish(events);

    await eventually(() => events.every((e) => inbox.handled.has(e.id)));
    for (const event of events) {
      expect(inbox.deliveries.get(event.id)).toEqual([
        { payload: event.payload, redelivered: false, deliveryCount: 0 },
      ]);
    }
  });

  it('keeps an event no worker handles yet in the queue, and dead-letters it rather than drop it', async () => {
    // The publisher binds what it publishes, so an event sent before any worker started is kept.
    const event = anEvent({ pattern: 'test.nobody-listens' });
    await bus.publish([event]);

    let reason: string | undefined;
    await eventually(async () => (reason = await takeDeadLetter(adminChannel, event.id)) !== undefined);
    expect(reason).toBe('rejected');
    expect(bus.isReady()).toBe(true);
  });

  it('acks only after the handler succeeded: a failed delivery comes back and nothing is lost', async () => {
    const event = anEvent();
    inbox.failNext(event.id, 1);

    await bus.publish([event]);

    await eventually(() => inbox.handled.has(event.id));
    expect(inbox.deliveries.get(event.id)).toEqual([
      { payload: event.payload, redelivered: false, deliveryCount: 0 },
      { payload: event.payload, redelivered: true, deliveryCount: 1 },
    ]);
    await eventually(async () => (await adminChannel.checkQueue(NAMES.queue)).messageCount === 0);
  });

  it('acks deliveries handled after an earlier one without acking that one, which may still fail', async () => {
    let connects = 0;
    transport.on('connect', () => (connects += 1));
    const [slow, ...quick] = [anEvent(), anEvent(), anEvent(), anEvent()];
    const release = inbox.hold(slow.id);
    inbox.failNext(slow.id, 1);

    await bus.publish([slow, ...quick]);
    await eventually(() => quick.every((e) => inbox.handled.has(e.id)));
    // Their acks have gone; the earlier delivery is still being handled, then fails and comes back.
    await sleep(50);
    release();

    await eventually(() => inbox.handled.has(slow.id));
    expect(inbox.deliveries.get(slow.id)?.map((d) => d.deliveryCount)).toEqual([0, 1]);
    for (const event of quick) expect(inbox.deliveries.get(event.id)).toHaveLength(1);
    await eventually(async () => (await adminChannel.checkQueue(NAMES.queue)).messageCount === 0);
    expect(connects).toBe(0);
  });

  it('dead-letters a message whose body is not JSON, without calling a handler', async () => {
    const id = randomUUID();
    adminChannel.publish(NAMES.exchange, 'test.accepted', Buffer.from('{not json'), {
      messageId: id,
      persistent: true,
    });

    let reason: string | undefined;
    await eventually(async () => (reason = await takeDeadLetter(adminChannel, id)) !== undefined);

    expect(reason).toBe('rejected');
    expect(inbox.deliveries.has(id)).toBe(false);
  });

  it('dead-letters a poison event once the delivery limit is reached', async () => {
    const event = anEvent();
    inbox.failNext(event.id, Number.MAX_SAFE_INTEGER);

    await bus.publish([event]);

    let reason: string | undefined;
    await eventually(async () => (reason = await takeDeadLetter(adminChannel, event.id)) !== undefined);
    expect(reason).toBe('delivery_limit');
    expect(inbox.deliveries.get(event.id)?.length).toBeGreaterThanOrEqual(DELIVERY_LIMIT);
    expect(inbox.handled.has(event.id)).toBe(false);
  });

  it('rebuilds the consumer when the broker cancels it', async () => {
    let connects = 0;
    transport.on('connect', () => (connects += 1));

    await adminChannel.deleteQueue(NAMES.queue);

    await eventually(() => connects > 0 && transport.isConsuming());
    const event = anEvent();
    await bus.publish([event]);
    await eventually(() => inbox.handled.has(event.id));
  });

  it('survives a network cut: publishing fails during it, both sides reconnect, nothing confirmed is lost', async () => {
    const confirmed: string[] = [];
    const refused: unknown[] = [];
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        const event = anEvent();
        await bus.publish([event]).then(
          () => confirmed.push(event.id),
          (error: unknown) => refused.push(error),
        );
        await sleep(5);
      }
    })();
    await eventually(() => confirmed.length >= 20);

    proxy.cut();
    // Sent into the dying connection: must fail, not wait to be replayed.
    await expect(bus.publish([anEvent()])).rejects.toBeInstanceOf(MessageBusError);
    await eventually(() => !bus.isReady() && !transport.isConsuming());
    await expect(bus.publish([anEvent()])).rejects.toMatchObject({ code: 'ERR_BUS_UNAVAILABLE' });
    await sleep(400); // several reconnection attempts hit the cut
    expect(bus.isReady()).toBe(false);
    const confirmedBeforeRestore = confirmed.length;

    await proxy.restore();
    await eventually(() => bus.isReady() && transport.isConsuming());
    await eventually(() => confirmed.length >= confirmedBeforeRestore + 20);
    publishing = false;
    await publisher;

    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((error) => error instanceof MessageBusError)).toBe(true);
    await eventually(() => confirmed.every((id) => inbox.handled.has(id)));
  });
});

describe('MessagingModule with an AMQP URL', () => {
  const prefix = aPrefix();
  let app: INestMicroservice;
  let admin: ChannelModel;

  afterAll(async () => {
    await app?.close();
    admin = await connect(AMQP_URL);
    admin.on('error', () => undefined);
    await deleteTopology(await admin.createChannel(), prefix);
    await admin.close();
  });

  it('wires a bus and a transport that talk to each other, and closes both with the application', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MessagingModule.forRoot({ amqpUrl: AMQP_URL, prefix })],
      controllers: [TestHandlers],
      providers: [Inbox],
    }).compile();
    app = moduleRef.createNestMicroservice({ strategy: moduleRef.get(BusTransport), logger: false });
    await app.listen();
    const bus = app.get(MessageBus);
    const event = anEvent();

    await eventually(() => bus.isReady());
    await bus.publish([event]);
    await eventually(() => app.get(Inbox).handled.has(event.id));

    await app.close();
    expect(bus.isReady()).toBe(false);
    await expect(bus.publish([anEvent()])).rejects.toMatchObject({ code: 'ERR_BUS_CLOSED' });
  });
});

async function deleteTopology(channel: Channel, prefix: string): Promise<void> {
  const names = topologyNames(prefix);
  await channel.deleteQueue(names.queue);
  await channel.deleteQueue(names.deadLetterQueue);
  await channel.deleteExchange(names.exchange);
  await channel.deleteExchange(names.deadLetterExchange);
}
