import { AgencySigner, RdxAdminClient, RdxClient, RdxProblem, Received, ThreadView } from '@rdx/client';
import {
  adultVictimData,
  alertForAnyone,
  exampleData,
  INCIDENT_ALERT,
  VICTIM_NOTIFICATION,
} from '@rdx/testing';
import { storedState } from '../support/stored-state';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually, WEBHOOK_ENV, WebhookReceiver } from '../support/webhook-receiver';

const VERIFY_REQUEST = 'org.asean.rdx.nationality-verification-request.v1';
const VERIFY_RESPONSE = 'org.asean.rdx.nationality-verification-response.v1';
const DEADLINE_MISSED = 'org.asean.rdx.deadline-missed.v1';
const WITHDRAWAL = 'org.asean.rdx.withdrawal.v1';

/** What a participant's inbox holds so far, verified. */
async function inboxOf(client: RdxClient): Promise<Received[]> {
  const items: Received[] = [];
  for await (const item of client.inbox()) items.push(item);
  return items;
}

/** The digest `storedState` gives an empty table. */
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof RdxProblem ? error : undefined),
  );

/**
 * A whole case across borders, on both backends: Cambodian police notify Indonesia's ministry
 * of a rescued Indonesian and ask it to verify her nationality by a deadline; the deadline passes
 * and the gateway's signed notice reaches both; the ministry answers; the police update the
 * notification; an alert sent to Thai police by webhook is withdrawn before its retry, and
 * another expires before its retry. Each participant sees its part of the thread, and Malaysia's
 * committee, outside the case, sees nothing of it.
 */
describe.each(BACKENDS)('a case: replies, deadlines, updates, withdrawals and expiry (%s)', (backend) => {
  let gateway: TestGateway;
  let police: RdxClient;
  let ministry: RdxClient;
  let thai: RdxClient;
  let outsider: RdxClient;
  let admin: RdxAdminClient;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    gateway = await startTestGateway(backend, {
      ...WEBHOOK_ENV,
      RDX_RETRY_DELAYS: '4,4',
      RDX_CASE_SCAN_INTERVAL_MS: '250',
    });
    admin = new RdxAdminClient({ gateway: gateway.url, token: gateway.adminToken });
    const clients: RdxClient[] = [];
    for (const [id, kind] of [
      ['KH.CNP', 'law-enforcement'],
      ['ID.KEMLU', 'foreign-affairs'],
      ['TH.ATPD', 'law-enforcement'],
      ['MY.MAPO', 'coordination'],
    ] as const) {
      const signer = await AgencySigner.generate(id, 'EdDSA');
      await admin.registerParticipant({ id, name: id, kind });
      await admin.registerKey(id, signer.publicJwk);
      clients.push(await RdxClient.create({ gateway: gateway.url, participant: id, signer }));
    }
    [police, ministry, thai, outsider] = clients;
    await ministry.subscribe({ types: [VICTIM_NOTIFICATION], delivery: { mode: 'pull' } });
    const hook = await thai.subscribe({
      types: [INCIDENT_ALERT, WITHDRAWAL],
      delivery: { mode: 'webhook', url: await receiver.start() },
    });
    receiver.secrets = [hook.secret!];
  });

  afterAll(async () => {
    await receiver.stop();
    await gateway.close();
  });

  it('carries the case from notification to update, with a missed deadline noticed by the gateway', async () => {
    const notification = await police.publish(VICTIM_NOTIFICATION, adultVictimData('ID'), {
      subject: 'KH-CNP-1',
    });
    expect(notification.answer.recipients).toEqual(['ID.KEMLU']);
    const request = await police.publish(VERIFY_REQUEST, exampleData(VERIFY_REQUEST), {
      to: ['ID.KEMLU'],
      inReplyTo: notification.messageId,
      respondBy: new Date(Date.now() + 2000),
    });
    expect(request.answer.recipients).toEqual(['ID.KEMLU']);

    // Within a scan of the deadline, the gateway's own notice reaches both parties, verified
    // against the gateway's JWKS.
    const noticeIn = async (client: RdxClient) =>
      (
        await eventually(
          () => inboxOf(client),
          (items) => items.some((i) => i.type === DEADLINE_MISSED),
          15000,
        )
      ).find((i) => i.type === DEADLINE_MISSED);
    for (const client of [ministry, police]) {
      const notice = await noticeIn(client);
      expect(notice).toMatchObject({ verified: true, source: gateway.gatewayId });
      expect(notice!.data).toEqual({
        requestId: request.messageId,
        requestType: VERIFY_REQUEST,
        requester: 'KH.CNP',
        recipient: 'ID.KEMLU',
        respondBy: expect.any(String),
      });
    }
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain(
      `rdx_reply_deadlines_missed_total{type="${VERIFY_REQUEST}",recipient_country="ID"} 1`,
    );
    // Both countries' administrators see the overdue reply; another country's do not.
    const attention = async (country: string) => {
      const { token } = await admin.issueToken({ role: 'country-admin', country });
      const answer = await fetch(`${gateway.url}/v1/admin/attention`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await answer.json()) as { overdueReplies: { requestId: string; recipient: string }[] })
        .overdueReplies;
    };
    for (const country of ['ID', 'KH'])
      expect(await attention(country)).toEqual([
        expect.objectContaining({ requestId: request.messageId, requester: 'KH.CNP', recipient: 'ID.KEMLU' }),
      ]);
    expect(await attention('MY')).toEqual([]);
    let view = await police.thread(request.messageId);
    expect(view.messages.find((m) => m.messageId === request.messageId)).toMatchObject({
      status: 'overdue',
      recipients: [{ participant: 'ID.KEMLU', overdue: true }],
    });

    // The ministry answers, late: the answer reaches the police whatever their subscriptions.
    const answer = exampleData(VERIFY_RESPONSE);
    answer.inReplyTo = request.messageId;
    const response = await ministry.publish(VERIFY_RESPONSE, answer, { inReplyTo: request.messageId });
    expect(response.answer.recipients).toContain('KH.CNP');
    expect(await attention('ID')).toEqual([]);
    // The police update the notification: its recipients receive the update.
    const updated = adultVictimData('ID');
    updated.persons![0].languages = ['id', 'km'];
    const update = await police.publish(VICTIM_NOTIFICATION, updated, { supersedes: notification.messageId });
    expect(update.answer.recipients).toEqual(['ID.KEMLU']);

    view = await eventually(
      () => police.thread(update.messageId),
      (v) => v.messages.every((m) => m.status !== 'pending'),
    );
    const notice = (await noticeIn(police))!;
    expect(view.threadId).toBe(notification.messageId);
    expect(view.messages.map((m) => [m.messageId, m.status])).toEqual([
      [notification.messageId, 'superseded'],
      [request.messageId, 'delivered'],
      [notice.messageId, 'delivered'],
      [response.messageId, 'delivered'],
      [update.messageId, 'delivered'],
    ]);
    expect(view.messages[0]).toMatchObject({ supersededBy: update.messageId });
    expect(view.messages[1].recipients).toEqual([
      expect.objectContaining({
        participant: 'ID.KEMLU',
        repliedAt: expect.any(String),
        respondBy: expect.any(String),
      }),
    ]);
    expect(view.messages[3]).toMatchObject({ inReplyTo: request.messageId, source: 'ID.KEMLU' });

    // The ministry sees the same conversation, and of each message only its own delivery.
    const theirs: ThreadView = await ministry.thread(notification.messageId);
    expect(theirs.messages.map((m) => m.messageId)).toEqual(view.messages.map((m) => m.messageId));
    for (const m of theirs.messages.filter((m) => m.source !== 'ID.KEMLU'))
      expect(m.recipients.map((r) => r.participant)).toEqual(['ID.KEMLU']);
    const inbox = await inboxOf(ministry);
    expect(inbox.find((i) => i.messageId === notification.messageId)?.item).toMatchObject({
      status: 'superseded',
      supersededBy: update.messageId,
    });

    // Outside the case, nothing of it is visible.
    for (const m of view.messages)
      expect(await refusal(outsider.thread(m.messageId))).toMatchObject({ status: 404 });
    expect(await refusal(thai.thread(notification.messageId))).toMatchObject({ status: 404 });
  });

  it("makes a request without respondby due at the end (UTC) of its data's respondBy day", async () => {
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const data = exampleData(VERIFY_REQUEST);
    data.respondBy = day;
    const request = await police.publish(VERIFY_REQUEST, data, { to: ['ID.KEMLU'] });
    const endOfDay = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
    const [entry] = (await police.thread(request.messageId)).messages;
    expect(entry).toMatchObject({
      respondBy: endOfDay,
      recipients: [expect.objectContaining({ participant: 'ID.KEMLU', respondBy: endOfDay })],
    });
    expect(entry.recipients[0].overdue).toBeUndefined();
    // A type the policy does not call a request owes no reply, whatever its data says.
    const [alert] = (await police.thread((await police.publish(INCIDENT_ALERT, alertForAnyone())).messageId))
      .messages;
    expect(alert.respondBy).toBeUndefined();
  });

  it('refuses a reply, an update or a withdrawal its sender may not make, changing nothing', async () => {
    const notification = await police.publish(VICTIM_NOTIFICATION, adultVictimData('ID'));
    // Settled first: routed into the ministry's inbox, its outbox entry gone.
    await eventually(
      () => inboxOf(ministry),
      (items) => items.some((i) => i.messageId === notification.messageId),
    );
    const before = await eventually(
      () => storedState(gateway),
      (state) => state.outbox === EMPTY,
    );
    const refusals = [
      // Thai police never saw the notification.
      await refusal(thai.publish(INCIDENT_ALERT, alertForAnyone(), { inReplyTo: notification.messageId })),
      // Only the sender updates or withdraws its message.
      await refusal(
        thai.publish(VICTIM_NOTIFICATION, adultVictimData('ID'), { supersedes: notification.messageId }),
      ),
      await refusal(ministry.withdraw(notification.messageId, 'not ours')),
      // An update has the type of what it updates.
      await refusal(police.publish(INCIDENT_ALERT, alertForAnyone(), { supersedes: notification.messageId })),
      // Not a message at all.
      await refusal(police.withdraw('00000000-0000-4000-8000-000000000000', 'typo')),
    ];
    for (const problem of refusals)
      expect(problem).toMatchObject({ status: 422, type: 'urn:rdx:problem:invalid-reference' });
    const timing = [
      await refusal(
        police.publish(INCIDENT_ALERT, alertForAnyone(), { respondBy: new Date(Date.now() + 60_000) }),
      ),
      await refusal(
        police.publish(INCIDENT_ALERT, alertForAnyone(), { expires: new Date(Date.now() - 1000) }),
      ),
    ];
    expect(timing.map((p) => [p?.status, p?.errors.map((e) => e.path)])).toEqual([
      [422, ['respondby']],
      [422, ['expires']],
    ]);
    expect(await storedState(gateway)).toEqual(before);
  });

  it('cancels a webhook retry when the message is withdrawn first, and delivers the withdrawal', async () => {
    receiver.answer({ status: 500 });
    const refusedBefore = receiver.attemptsRefused.length;
    const alert = await police.publish(INCIDENT_ALERT, alertForAnyone(), { to: ['TH.ATPD'] });
    await eventually(
      async () => receiver.attemptsRefused.length,
      (n) => n > refusedBefore,
    );
    const withdrawal = await police.withdraw(alert.messageId, 'wrong compound: Sihanoukville, not Poipet');
    expect(withdrawal.answer.recipients).toEqual(['TH.ATPD']);
    const got = await eventually(
      async () => receiver.received.map((r) => r.body.messageId as string),
      (ids) => ids.includes(withdrawal.messageId),
    );
    expect(got).toContain(withdrawal.messageId);
    // Past the retry's time, the alert has still not been sent again.
    await new Promise((r) => setTimeout(r, 5000));
    expect(receiver.received.map((r) => r.body.messageId)).not.toContain(alert.messageId);
    expect(receiver.attemptsRefused.length).toBe(refusedBefore + 1);
    const deliveries = (await thai.deliveries()).filter((d) => d.messageId === alert.messageId);
    expect(deliveries.map((d) => d.status)).toEqual(['cancelled']);
    expect(await police.messageStatus(alert.messageId)).toMatchObject({
      withdrawnBy: withdrawal.messageId,
      recipients: [{ participant: 'TH.ATPD', delivery: 'cancelled' }],
    });
    // Done with: not counted as retrying on the administrators' attention list.
    const attention = await fetch(`${gateway.url}/v1/admin/attention`, {
      headers: { authorization: `Bearer ${gateway.adminToken}` },
    });
    expect(((await attention.json()) as { failingDeliveries: unknown[] }).failingDeliveries).toEqual([]);
    expect((await thai.thread(alert.messageId)).messages.map((m) => [m.messageId, m.status])).toEqual([
      [alert.messageId, 'withdrawn'],
      [withdrawal.messageId, 'delivered'],
    ]);
  });

  it('delivers an expired message to nobody who has not had it, and shows it expired', async () => {
    receiver.answer({ status: 500 });
    const refusedBefore = receiver.attemptsRefused.length;
    const alert = await police.publish(INCIDENT_ALERT, alertForAnyone(), {
      to: ['TH.ATPD'],
      expires: new Date(Date.now() + 1500),
    });
    await eventually(
      async () => receiver.attemptsRefused.length,
      (n) => n > refusedBefore,
    );
    const status = await eventually(
      () => police.messageStatus(alert.messageId),
      (s) => s.recipients[0]?.delivery === 'expired',
    );
    expect(status.recipients).toEqual([{ participant: 'TH.ATPD', delivery: 'expired' }]);
    await new Promise((r) => setTimeout(r, 4500));
    expect(receiver.received.map((r) => r.body.messageId)).not.toContain(alert.messageId);
    expect(receiver.attemptsRefused.length).toBe(refusedBefore + 1);
    const item = (await inboxOf(thai)).find((i) => i.messageId === alert.messageId);
    expect(item?.item).toMatchObject({ status: 'expired', expires: expect.any(String) });
  });
});
