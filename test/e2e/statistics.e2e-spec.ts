import { createHash } from 'node:crypto';
import { adultVictimData, alertForAnyone, TestAgency, VICTIM_NOTIFICATION } from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { expectProblem } from '../support/problems';
import { storedState } from '../support/stored-state';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

const S = { suppressed: true };
const WITHDRAWAL = 'org.asean.rdx.withdrawal.v1';
const NOTHING = createHash('sha256').update('').digest('hex');

/** Waits until the outbox is empty: every announcement of the messages published confirmed. */
async function settled(gateway: TestGateway): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await storedState(gateway)).outbox !== NOTHING && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
}

/**
 * Statistics over real signed messages: Cambodian police notify Indonesia of 12 Indonesian
 * victims and 3 of Indonesian and Myanmar nationality, Thai police of 2 Indonesians, and
 * Philippine police publish one alert naming nobody to nobody.
 */
describe.each(BACKENDS)('statistics (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency;
  let ministry: TestAgency;
  let thai: TestAgency;
  let outsider: TestAgency;
  let month: string;

  const stats = (query: string, as?: TestAgency, token?: string, accept?: string) =>
    as === undefined
      ? client.request('GET', `/v1/statistics?${query}`, {
          headers: {
            authorization: `Bearer ${token ?? gateway.adminToken}`,
            ...(accept === undefined ? {} : { accept }),
          },
        })
      : as.bearer(gateway.gatewayId).then((bearer) =>
          client.request('GET', `/v1/statistics?${query}`, {
            headers: { authorization: `Bearer ${bearer}`, ...(accept === undefined ? {} : { accept }) },
          }),
        );

  const notify = async (from: TestAgency, nationalities: string[]) => {
    const data = adultVictimData(nationalities[0]);
    data.persons![0].nationalities = nationalities;
    const { jws } = await from.signMessage({ type: VICTIM_NOTIFICATION, recipients: 'ID.KEMLU', data });
    const accepted = await client.publish(jws);
    if (accepted.status !== 202)
      throw new Error(`publish: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  };

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    thai = await TestAgency.create('TH.ATPD', 'law-enforcement');
    outsider = await TestAgency.create('PH.PNP-WCPC', 'law-enforcement');
    for (const agency of [police, ministry, thai, outsider]) await client.register(agency);
    for (let i = 0; i < 12; i++) await notify(police, ['ID']);
    for (let i = 0; i < 3; i++) await notify(police, ['ID', 'MM']);
    for (let i = 0; i < 2; i++) await notify(thai, ['ID']);
    const { persons: _none, ...alert } = alertForAnyone();
    const published = await client.publish((await outsider.signMessage({ data: alert })).jws);
    expect(published.status).toBe(202);
    month = new Date().toISOString().slice(0, 7);
    // Routed and announced: nothing left to change in the background of the refusal tests.
    await client.awaitInbox(ministry, 17);
    await settled(gateway);
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('counts messages and persons by nationality, a person of two nationalities in both', async () => {
    const reply = await stats(`from=${month}&to=${month}&by=month,sourceCountry,nationality`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      from: month,
      to: month,
      by: ['month', 'sourceCountry', 'nationality'],
      threshold: 11,
      rows: [
        { month, sourceCountry: 'KH', nationality: 'ID', messages: 15, persons: 15 },
        { month, sourceCountry: 'KH', nationality: 'MM', messages: S, persons: S },
        { month, sourceCountry: 'PH', nationality: null, messages: S, persons: 0 },
        { month, sourceCountry: 'TH', nationality: 'ID', messages: S, persons: S },
      ],
      // 18 messages, 17 persons: each person once, whatever their nationalities.
      total: { messages: 18, persons: 17 },
    });
  });

  it('suppresses a second cell when a single suppressed one could be worked out from the total', async () => {
    // Cambodia 15 and Thailand 2 of 17: with Cambodia shown, 17 - 15 would give Thailand's 2 away.
    const reply = await stats(`from=${month}&to=${month}&by=sourceCountry&type=${VICTIM_NOTIFICATION}`);
    expect(reply.body.rows).toEqual([
      { sourceCountry: 'KH', messages: S, persons: S },
      { sourceCountry: 'TH', messages: S, persons: S },
    ]);
    expect(reply.body.total).toEqual({ messages: 17, persons: 17 });
    expect(reply.body.types).toEqual([VICTIM_NOTIFICATION]);
  });

  it('answers CSV with Accept: text/csv, small counts as <11 and a last line of totals', async () => {
    const reply = await stats(
      `from=${month}&to=${month}&by=sourceCountry,nationality`,
      undefined,
      undefined,
      'text/csv',
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(reply.body).toBe(
      [
        'sourceCountry,nationality,messages,persons',
        'KH,ID,15,15',
        'KH,MM,<11,<11',
        'PH,,<11,0',
        'TH,ID,<11,<11',
        'total,,18,17',
        '',
      ].join('\r\n'),
    );
  });

  it('shows each participant what it sent, whole, and its own row of what it received', async () => {
    const sent = await stats(`from=${month}&to=${month}&by=recipientCountry`, police);
    expect(sent.body.rows).toEqual([{ recipientCountry: 'ID', messages: 15, persons: 15 }]);
    const received = await stats(`from=${month}&to=${month}&by=sourceCountry,recipientCountry`, ministry);
    expect(received.body.rows).toEqual([
      { sourceCountry: 'KH', recipientCountry: 'ID', messages: S, persons: S },
      { sourceCountry: 'TH', recipientCountry: 'ID', messages: S, persons: S },
    ]);
    expect(received.body.total).toEqual({ messages: 17, persons: 17 });
    // Outside the case: only its own alert, too small to show even as a total.
    const outside = await stats(`from=${month}&to=${month}&by=sourceCountry`, outsider);
    expect(outside.body.rows).toEqual([{ sourceCountry: 'PH', messages: S, persons: 0 }]);
    expect(outside.body.total).toEqual({ messages: S, persons: 0 });
  });

  it('counts only what was sent, or only what was received, when asked', async () => {
    const total = async (query: string, as: TestAgency) => (await stats(query, as)).body.total;
    expect(await total(`from=${month}&to=${month}&direction=sent`, police)).toEqual({
      messages: 15,
      persons: 15,
    });
    expect(await total(`from=${month}&to=${month}&direction=received`, police)).toEqual({
      messages: 0,
      persons: 0,
    });
    expect(await total(`from=${month}&to=${month}&direction=received`, ministry)).toEqual({
      messages: 17,
      persons: 17,
    });
    expectProblem(await stats(`from=${month}&to=${month}&direction=sent`), 400, 'bad-request');
  });

  it("shows a country administrator its country's messages, an auditor all", async () => {
    const issue = async (body: unknown) => (await client.admin('POST', '/v1/admin/tokens', body)).body.token;
    const indonesia = await stats(
      `from=${month}&to=${month}`,
      undefined,
      await issue({ role: 'country-admin', country: 'ID' }),
    );
    expect(indonesia.body).toMatchObject({ rows: [], total: { messages: 17, persons: 17 } });
    const cambodia = await stats(
      `from=${month}&to=${month}&by=type`,
      undefined,
      await issue({ role: 'country-admin', country: 'KH' }),
    );
    expect(cambodia.body.rows).toEqual([{ type: VICTIM_NOTIFICATION, messages: 15, persons: 15 }]);
    const auditor = await stats(`from=${month}&to=${month}`, undefined, await issue({ role: 'auditor' }));
    expect(auditor.body.total).toEqual({ messages: 18, persons: 17 });
  });

  it('counts nothing outside the period', async () => {
    const reply = await stats('from=2020-01&to=2020-12&by=month');
    expect(reply.body).toMatchObject({ rows: [], total: { messages: 0, persons: 0 } });
  });

  it.each([
    ['to=2026-12', 'from'],
    ['from=2026-13&to=2026-12', 'from'],
    ['from=2026-05&to=2026-04', 'to'],
    ['from=2000-01&to=2010-01', 'to'],
    ['from=2026-01&to=2026-02&by=month,country', 'by'],
    ['from=2026-01&to=2026-02&by=month,type,month', 'by'],
    ['from=2026-01&to=2026-02&type=org.example.nothing.v1', 'type'],
    ['from=2026-01&to=2026-02&by=month&by=type', 'by'],
    ['from=2026-01&to=2026-02&limit=5', 'limit'],
    ['from=2026-01&to=2026-02&direction=both', 'direction'],
  ])('refuses %s with a 400 problem naming %s, changing nothing', async (query, name) => {
    const before = await storedState(gateway);
    const reply = await stats(query);
    expectProblem(reply, 400, 'bad-request');
    expect(JSON.stringify(reply.body)).toContain(name);
    expect(await storedState(gateway)).toEqual(before);
  });

  it('is in the OpenAPI document, JSON or CSV, with its parameters', async () => {
    const operation = (await client.request('GET', '/openapi.json')).body.paths['/v1/statistics'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'by',
      'direction',
      'from',
      'to',
      'type',
    ]);
    expect(Object.keys(operation.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
  });

  it('refuses a caller without a token', async () => {
    expectProblem(
      await client.request('GET', `/v1/statistics?from=${month}&to=${month}`),
      401,
      'invalid-token',
    );
  });
});

// A threshold below 11 stops the start (libs/config/src/load-config.spec.ts).
describe('statistics threshold', () => {
  it('suppresses below a raised threshold, and says so in JSON and CSV', async () => {
    const gateway = await startTestGateway('embedded', { RDX_STATISTICS_MIN_CELL: '20' });
    try {
      const client = new GatewayClient(gateway);
      const police = await TestAgency.create('KH.CNP', 'law-enforcement');
      const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
      for (const agency of [police, ministry]) await client.register(agency);
      for (let i = 0; i < 12; i++) {
        const { jws } = await police.signMessage({
          type: VICTIM_NOTIFICATION,
          recipients: 'ID.KEMLU',
          data: adultVictimData(),
        });
        expect((await client.publish(jws)).status).toBe(202);
      }
      const month = new Date().toISOString().slice(0, 7);
      const headers = { authorization: `Bearer ${gateway.adminToken}` };
      const json = await client.request('GET', `/v1/statistics?from=${month}&to=${month}`, { headers });
      expect(json.body).toMatchObject({ threshold: 20, total: { messages: S, persons: S } });
      const csv = await client.request('GET', `/v1/statistics?from=${month}&to=${month}`, {
        headers: { ...headers, accept: 'text/csv' },
      });
      expect(csv.body).toBe('messages,persons\r\n<20,<20\r\n');
    } finally {
      await gateway.close();
    }
  });
});

describe.each(BACKENDS)('statistics count what stands (%s)', (backend) => {
  let gateway: TestGateway;

  afterAll(async () => {
    await gateway?.close();
  });

  it('counts an update in place of what it supersedes, and nothing of a withdrawn message', async () => {
    gateway = await startTestGateway(backend);
    const client = new GatewayClient(gateway);
    const police = await TestAgency.create('KH.CNP', 'law-enforcement');
    const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    const publish = async (input: Parameters<TestAgency['signMessage']>[0]) => {
      const { jws, envelope } = await police.signMessage({ recipients: 'ID.KEMLU', ...input });
      expect((await client.publish(jws)).status).toBe(202);
      return envelope.id as string;
    };
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(await publish({ type: VICTIM_NOTIFICATION, data: adultVictimData('ID') }));
    await publish({ type: VICTIM_NOTIFICATION, data: adultVictimData('ID'), supersedes: ids[0] });
    await publish({ type: WITHDRAWAL, data: { messageId: ids[1], reason: 'not a victim after all' } });
    const month = new Date().toISOString().slice(0, 7);
    const reply = await client.request('GET', `/v1/statistics?from=${month}&to=${month}`, {
      headers: { authorization: `Bearer ${gateway.adminToken}` },
    });
    // 12 notifications, one replaced by its update, one withdrawn; the withdrawal itself is no figure.
    expect(reply.body.total).toEqual({ messages: 11, persons: 11 });
  });
});
