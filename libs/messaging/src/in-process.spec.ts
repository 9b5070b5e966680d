import { randomUUID } from 'node:crypto';
import { Controller, Injectable, type INestMicroservice, type LoggerService } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { defer, type Observable } from 'rxjs';
import {
  type BusEvent,
  BusTransport,
  InProcessBroker,
  InProcessMessageBus,
  InProcessTransport,
  MessageBus,
  MessagingModule,
  RdxBusContext,
} from './index';

interface Received {
  readonly payload: Record<string, unknown>;
  readonly redelivered: boolean;
  readonly deliveryCount: number;
}

/** What the test handlers saw; a test may hold a handler open or make it fail. */
@Injectable()
class Inbox {
  readonly deliveries = new Map<string, Received[]>();
  readonly handled = new Set<string>();
  readonly failuresLeft = new Map<string, number>();
  gate: Promise<void> | undefined;
  /** Called as a handler starts, before it waits on the gate. */
  onReceive: ((id: string) => void) | undefined;

  async receive(payload: Record<string, unknown>, ctx: RdxBusContext): Promise<void> {
    const id = ctx.getMessageId();
    this.deliveries.set(id, [
      ...(this.deliveries.get(id) ?? []),
      { payload, redelivered: ctx.isRedelivered(), deliveryCount: ctx.getDeliveryCount() },
    ]);
    this.onReceive?.(id);
    await this.gate;
    const left = this.failuresLeft.get(id) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(id, left - 1);
      throw new Error('injected failure');
    }
    payload.mutatedByHandler = true;
    this.handled.add(id);
  }
}

@Controller()
class CaseHandlers {
  constructor(private readonly inbox: Inbox) {}

  @EventPattern<string>('case.opened')
  opened(@Payload() payload: Record<string, unknown>, @Ctx() ctx: RdxBusContext): Promise<void> {
    return this.inbox.receive(payload, ctx);
  }

  @EventPattern<string>('case.observed')
  observed(@Payload() payload: Record<string, unknown>, @Ctx() ctx: RdxBusContext): Observable<void> {
    return defer(() => this.inbox.receive(payload, ctx));
  }
}

function anEvent(overrides: Partial<BusEvent> = {}): BusEvent {
  return {
    pattern: 'case.opened',
    id: randomUUID(),
    payload: { caseRef: 'C-1', name: 'Test Person' },
    ...overrides,
  };
}

describe('in-process bus and transport, wired by MessagingModule without an AMQP URL', () => {
  let app: INestMicroservice;
  let bus: MessageBus;
  let broker: InProcessBroker;
  let inbox: Inbox;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MessagingModule.forRoot({ prefix: 'unit' })],
      controllers: [CaseHandlers],
      providers: [Inbox],
    })
      .overrideProvider(InProcessBroker)
      .useValue(new InProcessBroker({ retryDelaysMs: [1, 1] }))
      .compile();
    app = moduleRef.createNestMicroservice({ strategy: moduleRef.get(BusTransport), logger: false });
    await app.listen();
    bus = app.get(MessageBus);
    broker = app.get(InProcessBroker);
    inbox = app.get(Inbox);
  });

  afterEach(async () => {
    await app.close();
  });

  it('provides the in-process implementations', () => {
    expect(bus).toBeInstanceOf(InProcessMessageBus);
    expect(app.get(BusTransport)).toBeInstanceOf(InProcessTransport);
    expect(app.get(BusTransport).isConsuming()).toBe(true);
    expect(bus.isReady()).toBe(true);
  });

  it('resolves publish only after the handler has finished', async () => {
    let release!: () => void;
    inbox.gate = new Promise((resolve) => (release = resolve));
    const event = anEvent();
    const started = new Promise<string>((resolve) => (inbox.onReceive = resolve));
    let settled = false;

    const publishing = bus.publish([event]).finally(() => (settled = true));
    expect(await started).toBe(event.id);
    // Several turns of the event loop: time enough for a publish that did not wait to settle.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    await publishing;

    expect(inbox.handled.has(event.id)).toBe(true);
  });

  it('hands each handler its own JSON copy of the payload, for Promise and Observable handlers', async () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const events = [anEvent({ payload: { at } }), anEvent({ pattern: 'case.observed' })];

    await bus.publish(events);

    expect(inbox.deliveries.get(events[0].id)).toEqual([
      { payload: { at: at.toISOString(), mutatedByHandler: true }, redelivered: false, deliveryCount: 0 },
    ]);
    expect(events[0].payload).toEqual({ at });
    expect(inbox.handled.has(events[1].id)).toBe(true);
  });

  it('retries a failing handler and resolves once it succeeded', async () => {
    const event = anEvent();
    inbox.failuresLeft.set(event.id, 2);

    await bus.publish([event]);

    expect(inbox.deliveries.get(event.id)?.map((d) => [d.redelivered, d.deliveryCount])).toEqual([
      [false, 0],
      [true, 1],
      [true, 2],
    ]);
    expect(inbox.handled.has(event.id)).toBe(true);
    expect(broker.deadLettered).toEqual([]);
  });

  it('dead-letters an event whose handler keeps failing, keeping it for inspection', async () => {
    const event = anEvent();
    inbox.failuresLeft.set(event.id, Number.MAX_SAFE_INTEGER);

    await bus.publish([event]);

    expect(inbox.deliveries.get(event.id)).toHaveLength(3);
    expect(inbox.handled.has(event.id)).toBe(false);
    expect(broker.deadLettered).toEqual([expect.objectContaining({ event })]);
  });

  it('refuses a batch with a pattern nobody handles, delivering none of it', async () => {
    const handled = anEvent();
    const unroutable = anEvent({ pattern: 'case.nobody-listens' });

    await expect(bus.publish([handled, unroutable])).rejects.toMatchObject({ code: 'ERR_BUS_UNROUTABLE' });
    expect(inbox.deliveries.size).toBe(0);
  });

  it('refuses a payload that JSON cannot carry', async () => {
    await expect(bus.publish([anEvent({ payload: { big: 1n } })])).rejects.toMatchObject({
      code: 'ERR_BUS_UNSERIALIZABLE',
    });
  });

  it('closes the bus and the transport with the application', async () => {
    await app.close();

    expect(bus.isReady()).toBe(false);
    await expect(bus.publish([anEvent()])).rejects.toMatchObject({ code: 'ERR_BUS_CLOSED' });
  });
});

describe('in-process broker and transport without Nest', () => {
  const silent: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined };

  it('refuses to publish while no transport listens, as an unroutable AMQP publish would', async () => {
    const bus = new InProcessMessageBus(new InProcessBroker());

    await expect(bus.publish([anEvent()])).rejects.toMatchObject({ code: 'ERR_BUS_UNROUTABLE' });
  });

  it('stops retrying when the transport closes, failing the publish instead of holding up shutdown', async () => {
    let backingOff!: () => void;
    const waiting = new Promise<void>((resolve) => (backingOff = resolve));
    // The broker logs the failed try just before it waits out the backoff.
    const broker = new InProcessBroker({ retryDelaysMs: [60_000] }, { ...silent, error: () => backingOff() });
    const transport = new InProcessTransport(broker, silent);
    transport.addHandler('case.opened', () => Promise.reject(new Error('database down')), true);
    transport.listen(() => undefined);
    const publishing = new InProcessMessageBus(broker).publish([anEvent()]);
    await waiting;

    await transport.close();

    await expect(publishing).rejects.toMatchObject({ code: 'ERR_BUS_NOT_CONFIRMED' });
    expect(broker.deadLettered).toEqual([]);
  });

  it('does not sit out a backoff when the transport closed while the failing handler ran', async () => {
    const broker = new InProcessBroker({ retryDelaysMs: [60_000] }, silent);
    const transport = new InProcessTransport(broker, silent);
    let fail!: () => void;
    let entered!: () => void;
    const running = new Promise<void>((resolve) => (entered = resolve));
    transport.addHandler(
      'case.opened',
      () =>
        new Promise<never>((_, reject) => {
          fail = () => reject(new Error('database down'));
          entered();
        }),
      true,
    );
    transport.listen(() => undefined);
    const publishing = new InProcessMessageBus(broker).publish([anEvent()]);
    await running;

    const closing = transport.close();
    fail();
    await closing;

    await expect(publishing).rejects.toMatchObject({ code: 'ERR_BUS_NOT_CONFIRMED' });
  });
});
