import { loadConfig } from '@rdx/config';
import { topologyNames } from '@rdx/messaging';
import { exampleData, INCIDENT_ALERT } from '@rdx/testing';
import { Channel, connect, GetMessage } from 'amqplib';
import { RunningGateway, startGateway } from '../../apps/gateway/src/gateway.app';
import { registerCaseTeam } from '../support/case-team';
import { GatewayClient } from '../support/gateway-client';
import { startTestGateway, TEST_AMQP_URL, TestGateway } from '../support/test-gateway';

/**
 * Takes the events waiting in `queue` until they announce all of `ids` (or 10 s pass), and puts
 * them back: the worker that starts next finds them as they were.
 */
async function peekEvents(channel: Channel, queue: string, ids: readonly string[]) {
  const taken: GetMessage[] = [];
  const announced = new Set<string>();
  const deadline = Date.now() + 10_000;
  while (ids.some((id) => !announced.has(id)) && Date.now() < deadline) {
    const message = await channel.get(queue, { noAck: false });
    if (message === false) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    taken.push(message);
    const payload = JSON.parse(message.content.toString('utf8')) as { messageIds?: string[] };
    for (const id of payload.messageIds ?? []) announced.add(id);
  }
  const events = taken.map((message) => ({
    pattern: message.fields.routingKey,
    messageIds: (JSON.parse(message.content.toString('utf8')) as { messageIds: string[] }).messageIds,
  }));
  channel.nackAll(true);
  return events;
}

describe('the events that announce accepted messages to the worker (PostgreSQL + RabbitMQ)', () => {
  let api: TestGateway;
  let worker: RunningGateway | undefined;

  beforeEach(async () => {
    api = await startTestGateway('production', { RDX_ROLES: 'api' });
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await api.close();
  });

  it('announces the messages committed together in one event, and the worker routes every one of them once', async () => {
    const client = new GatewayClient(api);
    const { police, thai } = await registerCaseTeam(client);
    await client.subscribe(thai, [INCIDENT_ALERT]);
    const signed = await Promise.all(
      Array.from({ length: 40 }, () => police.signMessage({ data: exampleData(INCIDENT_ALERT) })),
    );
    const replies = await Promise.all(signed.map(({ jws }) => client.publish(jws)));
    expect(replies.map((reply) => reply.status)).toEqual(signed.map(() => 202));
    const accepted = signed.map(({ envelope }) => envelope.id as string);

    // No worker runs yet: the events wait in its queue.
    const connection = await connect(TEST_AMQP_URL);
    const channel = await connection.createChannel();
    const events = await peekEvents(channel, topologyNames(api.env.RDX_AMQP_PREFIX).queue, accepted);
    await connection.close();
    expect(events.every((event) => event.pattern === 'messages.accepted')).toBe(true);
    const announced = events.flatMap((event) => event.messageIds);
    expect([...announced].sort()).toEqual([...accepted].sort());
    // 40 requests at once are committed in fewer batches than messages, each batch one event.
    expect(events.length).toBeLessThan(accepted.length);

    worker = await startGateway(loadConfig({ ...api.env, RDX_ROLES: 'worker' }));
    const items = await client.awaitInbox(thai, accepted.length, 20_000);
    expect([...items.map((item) => item.messageId)].sort()).toEqual([...accepted].sort());
    expect(items.map((item) => item.seq)).toEqual(accepted.map((_id, i) => i + 1));
  });
});
