import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adultVictimData, TestAgency, VICTIM_NOTIFICATION } from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { exits, rdx } from '../support/rdx-cli';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

const S = { suppressed: true };

/**
 * `rdx report` against a real gateway: Cambodian police have notified Indonesia of 12 Indonesian
 * victims and 3 of Indonesian and Myanmar nationality.
 */
describe.each(BACKENDS)('rdx report (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let dir: string;
  let ministry: TestAgency;
  let police: Record<string, string>;
  let month: string;

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    dir = await mkdtemp(join(tmpdir(), 'rdx-report-'));
    const cambodia = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    for (const agency of [cambodia, ministry]) await client.register(agency);
    await writeFile(join(dir, 'kh.jwk'), JSON.stringify(cambodia.privateJwk), { mode: 0o600 });
    police = { RDX_GATEWAY: gateway.url, RDX_PARTICIPANT: 'KH.CNP', RDX_KEY_FILE: join(dir, 'kh.jwk') };
    for (const nationalities of [...Array(12).fill(['ID']), ...Array(3).fill(['ID', 'MM'])]) {
      const data = adultVictimData();
      data.persons![0].nationalities = nationalities;
      const { jws } = await cambodia.signMessage({ type: VICTIM_NOTIFICATION, recipients: 'ID.KEMLU', data });
      expect((await client.publish(jws)).status).toBe(202);
    }
    month = new Date().toISOString().slice(0, 7);
  });
  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the table, small counts as <11, and the CSV', async () => {
    const printed = exits(
      await rdx(['report', '--from', month, '--to', month, '--by', 'nationality'], police),
      0,
    );
    // Myanmar's 3 would be the total less Indonesia's 15: Indonesia's is suppressed too.
    expect(printed.stdout.split('\n')).toEqual([
      'nationality  messages  persons',
      'ID                <11      <11',
      'MM                <11      <11',
      'total              15       15',
      '',
    ]);
    const csv = exits(
      await rdx(
        ['report', '--from', month, '--to', month, '--by', 'month,recipientCountry', '--csv'],
        police,
      ),
      0,
    );
    expect(csv.stdout).toBe(`month,recipientCountry,messages,persons\r\n${month},ID,15,15\r\ntotal,,15,15\n`);
  });

  it('publishes the figures of a measure as signed aggregate statistics, valid against their schema', async () => {
    const run = exits(
      await rdx(
        [
          'report',
          '--publish',
          '--measure',
          'identified-victims',
          '--from',
          month,
          '--to',
          month,
          '--recipients',
          'ID.KEMLU',
        ],
        police,
      ),
      0,
    );
    const messageId = run.stdout.trim();
    const [item] = (await client.awaitInbox(ministry, 1)).filter((i) => i.messageId === messageId);
    const envelope = JSON.parse(Buffer.from(item.message.split('.')[1], 'base64url').toString());
    const [year, m] = month.split('-').map(Number);
    expect(envelope).toMatchObject({ source: 'KH.CNP', type: 'org.asean.rdx.aggregate-statistics.v1' });
    expect(envelope.data).toMatchObject({
      period: { from: `${month}-01`, to: new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10) },
      country: 'KH',
      measure: 'identified-victims',
      total: 15,
      bySex: [],
      byAgeBand: [],
      byExploitationType: [],
      // Myanmar's 3 alone would be 15 less Indonesia's: both are suppressed.
      byNationality: [
        { nationality: 'ID', count: S },
        { nationality: 'MM', count: S },
      ],
    });
    // What the Indonesian ministry received is not counted as Cambodia's: nothing it sent.
    const received = exits(
      await rdx(['report', '--from', month, '--to', month, '--direction', 'received', '--json'], police),
      0,
    );
    expect(JSON.parse(received.stdout).total).toEqual({ messages: 0, persons: 0 });
  });

  it('counts everything with an administrator token', async () => {
    const admin = { RDX_GATEWAY: gateway.url, RDX_ADMIN_TOKEN: gateway.adminToken };
    const run = exits(
      await rdx(
        ['report', '--admin', '--from', month, '--to', month, '--by', 'sourceCountry', '--csv'],
        admin,
      ),
      0,
    );
    expect(run.stdout.split('\r\n')[1]).toMatch(/^KH,1[5-6],15$/);
  });

  it('refuses a bad month or a publication without a measure, as usage errors', async () => {
    exits(await rdx(['report', '--from', '2026-13', '--to', month], police), 2);
    exits(await rdx(['report', '--publish', '--from', month, '--to', month], police), 2);
    const refused = exits(await rdx(['report', '--from', month, '--to', month, '--by', 'colour'], police), 1);
    expect(refused.stderr).toContain('colour');
  });
});
