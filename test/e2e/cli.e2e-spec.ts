import { statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { adultVictimData, exampleData, INCIDENT_ALERT, VICTIM_NOTIFICATION } from '@rdx/testing';
import { exits, rdx } from '../support/rdx-cli';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

const CASE_STATUS = 'org.asean.rdx.case-status-update.v1';
const json = (text: string) => JSON.parse(text) as Record<string, any>;
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe.each(BACKENDS)('the rdx command line, as a user runs it (%s)', (backend) => {
  let gateway: TestGateway;
  let dir: string;
  let admin: Record<string, string>;
  let police: Record<string, string>;
  let ministry: Record<string, string>;

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    dir = await mkdtemp(join(tmpdir(), 'rdx-cli-'));
    admin = { RDX_GATEWAY: gateway.url, RDX_ADMIN_TOKEN: gateway.adminToken };
    police = { RDX_GATEWAY: gateway.url, RDX_PARTICIPANT: 'KH.CNP', RDX_KEY_FILE: join(dir, 'kh.jwk') };
    ministry = { RDX_GATEWAY: gateway.url, RDX_PARTICIPANT: 'ID.KEMLU', RDX_KEY_FILE: join(dir, 'id.jwk') };
  });

  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the whole story: keys, participants, subscription, send, inbox, ack, verify, audit', async () => {
    // Each agency makes its key pair; only the public half is printed.
    const khKey = exits(await rdx(['keys', 'generate', '--out', join(dir, 'kh.jwk')], {}, dir), 0);
    const khPublic = json(khKey.stdout);
    expect(khPublic).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
    expect(khPublic).not.toHaveProperty('d');
    expect(statSync(join(dir, 'kh.jwk')).mode & 0o777).toBe(0o600);
    expect(json(await readFile(join(dir, 'kh.jwk'), 'utf8'))).toMatchObject({
      d: expect.any(String),
      kid: khPublic.kid,
    });
    const again = exits(await rdx(['keys', 'generate', '--out', join(dir, 'kh.jwk')], {}, dir), 1);
    expect(again.stderr).toContain('is never overwritten');
    const idKey = exits(
      await rdx(
        ['keys', 'generate', '--out', join(dir, 'id.jwk'), '--alg', 'EdDSA', '--kid', 'kemlu-2026'],
        {},
        dir,
      ),
      0,
    );
    expect(json(idKey.stdout)).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'kemlu-2026' });
    expect(json(exits(await rdx(['keys', 'public', join(dir, 'kh.jwk')]), 0).stdout)).toEqual(khPublic);
    writeFileSync(join(dir, 'kh.pub.json'), khKey.stdout);
    writeFileSync(join(dir, 'id.pub.json'), idKey.stdout);

    // The administrator registers both agencies and their public keys.
    for (const [id, kind, file] of [
      ['KH.CNP', 'law-enforcement', 'kh.pub.json'],
      ['ID.KEMLU', 'foreign-affairs', 'id.pub.json'],
    ]) {
      exits(await rdx(['participants', 'add', id, '--name', `Agency ${id}`, '--kind', kind], admin), 0);
      const key = exits(await rdx(['keys', 'register', id, '--jwk', join(dir, file)], admin), 0);
      expect(key.stdout).toContain('active');
    }
    const listed = lines(exits(await rdx(['participants', 'list', '--json'], admin), 0).stdout).map(json);
    expect(listed.map((p) => p.id).sort()).toEqual(['ID.KEMLU', 'KH.CNP']);
    expect(lines((await rdx(['participants', 'list', '--country', 'ID'], admin)).stdout)).toHaveLength(1);

    // The ministry subscribes; the police send; the ministry reads, verifies and acknowledges.
    exits(await rdx(['subscriptions', 'add', '--type', VICTIM_NOTIFICATION], ministry), 0);
    const subscriptions = lines(
      exits(await rdx(['subscriptions', 'list', '--json'], ministry), 0).stdout,
    ).map(json);
    expect(subscriptions).toEqual([
      expect.objectContaining({ types: [VICTIM_NOTIFICATION], delivery: { mode: 'pull' } }),
    ]);
    writeFileSync(join(dir, 'victim.json'), JSON.stringify(adultVictimData()));
    const sent = exits(
      await rdx(
        ['send', '--type', VICTIM_NOTIFICATION, join(dir, 'victim.json'), '--subject', 'KH-42'],
        police,
      ),
      0,
    );
    const messageId = sent.stdout.trim();
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.stderr).toContain('receipt verified');
    expect(sent.stderr).toContain('recipients: ID.KEMLU');

    let items: Record<string, any>[] = [];
    for (let tries = 0; items.length === 0 && tries < 100; tries++) {
      items = lines(
        exits(await rdx(['inbox', '--json', '--out', join(dir, 'inbox')], ministry), 0).stdout,
      ).map(json);
      if (items.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(items).toEqual([
      expect.objectContaining({
        messageId,
        source: 'KH.CNP',
        type: VICTIM_NOTIFICATION,
        cursor: expect.any(String),
        verified: true,
        data: adultVictimData(),
      }),
    ]);
    // The folder remembers where the inbox was read to.
    expect(
      lines(exits(await rdx(['inbox', '--json', '--out', join(dir, 'inbox')], ministry), 0).stdout),
    ).toEqual([]);
    exits(await rdx(['ack', messageId, '--status', 'accepted'], ministry), 0);

    // The message as received verifies, online and offline; a changed copy does not.
    const [saved] = (await readdir(join(dir, 'inbox'))).filter((f) => f.endsWith('.json'));
    const jws = json(await readFile(join(dir, 'inbox', saved), 'utf8')).message as string;
    writeFileSync(join(dir, 'message.jws'), jws);
    expect(exits(await rdx(['verify', join(dir, 'message.jws')], ministry), 0).stdout).toContain(
      'valid: message',
    );
    const jwks = await (await fetch(`${gateway.url}/v1/participants/KH.CNP/jwks`)).text();
    writeFileSync(join(dir, 'kh.jwks.json'), jwks);
    exits(await rdx(['verify', join(dir, 'message.jws'), '--jwks', join(dir, 'kh.jwks.json')]), 0);
    const [h, p, s] = jws.split('.');
    const changed = json(Buffer.from(p, 'base64url').toString());
    changed.data.persons[0].isMinor = true;
    writeFileSync(
      join(dir, 'tampered.jws'),
      `${h}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${s}`,
    );
    const tampered = exits(
      await rdx(['verify', join(dir, 'tampered.jws'), '--jwks', join(dir, 'kh.jwks.json')]),
      1,
    );
    expect(tampered.stderr).toContain('not verified');

    expect(exits(await rdx(['audit', 'verify'], admin), 0).stdout).toContain('the audit chain holds');
  });

  it('follows a case: a reply, an update and a withdrawal, printed as a timeline by rdx thread', async () => {
    writeFileSync(join(dir, 'case.json'), JSON.stringify(adultVictimData()));
    const send = async (args: string[], who = police) =>
      exits(
        await rdx(['send', '--type', VICTIM_NOTIFICATION, join(dir, 'case.json'), ...args], who),
        0,
      ).stdout.trim();
    const first = await send([]);
    writeFileSync(join(dir, 'status.json'), JSON.stringify(exampleData(CASE_STATUS)));
    const reply = exits(
      await rdx(['send', '--type', CASE_STATUS, join(dir, 'status.json'), '--in-reply-to', first], ministry),
      0,
    );
    expect(reply.stderr).toContain('recipients: KH.CNP');
    const update = await send([
      '--supersedes',
      first,
      '--expires',
      new Date(Date.now() + 86_400_000).toISOString(),
    ]);
    const withdrawal = exits(await rdx(['withdraw', update, '--reason', 'sent too early'], police), 0);
    expect(withdrawal.stderr).toContain('recipients: ID.KEMLU');

    const timeline = exits(await rdx(['thread', update], police), 0).stdout;
    expect(lines(timeline)[0]).toBe(`thread ${first}: 4 message(s)`);
    expect(timeline).toMatch(
      new RegExp(
        `KH.CNP  victim-identification-notification.v1  \\[superseded\\]\\n  ${first}\\n  superseded by ${update}`,
      ),
    );
    expect(timeline).toContain(`  ${reply.stdout.trim()}  answers ${first}`);
    expect(timeline).toMatch(
      new RegExp(
        `\\[withdrawn\\]\\n  ${update}  updates ${first}\\n  withdrawn by ${withdrawal.stdout.trim()}`,
      ),
    );
    expect(timeline).toContain(`  ${withdrawal.stdout.trim()}  withdraws ${update}`);
    expect(timeline).toContain('  -> ID.KEMLU');
    const theirs = json(exits(await rdx(['thread', first, '--json'], ministry), 0).stdout);
    expect(theirs.messages.map((m: { messageId: string }) => m.messageId)).toEqual(
      json(exits(await rdx(['thread', first, '--json'], police), 0).stdout).messages.map(
        (m: { messageId: string }) => m.messageId,
      ),
    );
    // A message that is not theirs to update, and a time that is not one: clear refusals.
    const refused = exits(
      await rdx(
        ['send', '--type', VICTIM_NOTIFICATION, join(dir, 'case.json'), '--supersedes', first],
        police,
      ),
      1,
    );
    expect(refused.stderr).toContain(`was superseded by ${update}`);
    const usage = exits(
      await rdx(
        ['send', '--type', VICTIM_NOTIFICATION, join(dir, 'case.json'), '--expires', 'tomorrow'],
        police,
      ),
      2,
    );
    expect(usage.stderr).toContain('--expires must be an RFC 3339 time');
    expect(
      exits(await rdx(['thread', '00000000-0000-4000-8000-000000000000'], ministry), 1).stderr,
    ).toContain('404');
  });

  it('refuses before sending: a private JWK to register, a data file that fails its schema', async () => {
    const privateKey = exits(
      await rdx(['keys', 'register', 'KH.CNP', '--jwk', join(dir, 'kh.jwk')], admin),
      1,
    );
    expect(privateKey.stderr).toContain('private member(s) d');
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ ...exampleData(INCIDENT_ALERT), observedOn: 'soon', estimatedVictims: -1 }),
    );
    const invalid = exits(await rdx(['send', '--type', INCIDENT_ALERT, join(dir, 'bad.json')], police), 1);
    expect(invalid.stderr).toContain('nothing was sent');
    expect(invalid.stderr).toContain('data.observedOn');
    expect(invalid.stderr).toContain('data.estimatedVictims');
  });
});

describe('the rdx command line: exit codes a script can rely on', () => {
  let gateway: TestGateway;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    gateway = await startTestGateway('embedded');
    dir = await mkdtemp(join(tmpdir(), 'rdx-cli-'));
    const admin = { RDX_GATEWAY: gateway.url, RDX_ADMIN_TOKEN: gateway.adminToken };
    const key = await rdx(['keys', 'generate', '--out', join(dir, 'kh.jwk')], {}, dir);
    writeFileSync(join(dir, 'kh.pub.json'), key.stdout);
    await rdx(['participants', 'add', 'KH.CNP', '--name', 'Police', '--kind', 'law-enforcement'], admin);
    await rdx(['keys', 'register', 'KH.CNP', '--jwk', join(dir, 'kh.pub.json')], admin);
    await rdx(['keys', 'generate', '--out', join(dir, 'stranger.jwk')], {}, dir);
    env = { RDX_GATEWAY: gateway.url, RDX_PARTICIPANT: 'KH.CNP', RDX_KEY_FILE: join(dir, 'kh.jwk') };
  });

  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('0 with --help on every command', async () => {
    for (const args of [
      [],
      ['keys'],
      ['keys', 'generate'],
      ['send'],
      ['inbox'],
      ['audit', 'verify'],
      ['migrate'],
    ]) {
      const help = exits(await rdx([...args, '--help']), 0);
      expect(help.stdout).toContain('Usage: rdx');
    }
  });

  it('1 when the gateway refuses: a key it does not know, with the problem on stderr', async () => {
    const run = exits(await rdx(['subscriptions', 'list', '--key', join(dir, 'stranger.jwk')], env), 1);
    expect(run.stderr).toMatch(/401 unknown-key/);
  });

  it('2 for a usage error or unreadable input', async () => {
    exits(await rdx(['no-such-command']), 2);
    exits(await rdx(['send', join(dir, 'x.json')], env), 2);
    const missing = exits(await rdx(['send', '--type', INCIDENT_ALERT, join(dir, 'missing.json')], env), 2);
    expect(missing.stderr).toContain('ENOENT');
    writeFileSync(join(dir, 'broken.json'), '{"caseRef": ');
    exits(await rdx(['send', '--type', INCIDENT_ALERT, join(dir, 'broken.json')], env), 2);
    exits(await rdx(['inbox'], { RDX_GATEWAY: gateway.url }), 2);
  });

  it('2 when the mapping given to adapter convert is for another country, naming its file, line and key', async () => {
    const mapping = join(dir, 'not-vn.yaml');
    writeFileSync(
      mapping,
      (await readFile(join(__dirname, '../../config/adapters/vn.yaml'), 'utf8')).replace(
        'country: VN',
        'country: LA',
      ),
    );
    writeFileSync(join(dir, 'ho-so.csv'), 'ma_ho_so,ngay_tiep_nhan\n');
    const run = exits(
      await rdx(['adapter', 'convert', '--country', 'VN', '--mapping', mapping, join(dir, 'ho-so.csv')]),
      2,
    );
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([`${mapping}:1: country: is LA, but the mapping is used for VN`]);
  });

  it('3 when the gateway does not answer', async () => {
    const run = exits(await rdx(['subscriptions', 'list', '--gateway', 'http://127.0.0.1:9'], env), 3);
    expect(run.stderr).toContain('did not answer');
  });

  it('1 naming the seq where the audit chain breaks', async () => {
    const admin = { RDX_GATEWAY: gateway.url, RDX_ADMIN_TOKEN: gateway.adminToken };
    exits(await rdx(['audit', 'verify'], admin), 0);
    const db = new Database(gateway.env.RDX_DATABASE_URL.slice('sqlite:'.length));
    db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2").run();
    db.close();
    const run = exits(await rdx(['audit', 'verify'], admin), 1);
    expect(run.stderr).toContain('breaks at seq 2');
  });

  it('never prints a secret it was given', async () => {
    const run = await rdx(
      ['participants', 'list', '--admin-token', 'secret-token-that-is-wrong-0123456789'],
      {
        RDX_GATEWAY: gateway.url,
      },
    );
    exits(run, 1);
    expect(run.stdout + run.stderr).not.toContain('secret-token-that-is-wrong');
  });
});
