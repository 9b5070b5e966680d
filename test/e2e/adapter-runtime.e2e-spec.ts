import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { AdapterRegistry, AdaptersModule, runConvert } from '@rdx/adapters';
import { RdxAdminClient, RdxClient, AgencySigner } from '@rdx/client';
import { Test } from '@nestjs/testing';
import { rdx } from '../support/rdx-cli';
import { startTestGateway, TestGateway } from '../support/test-gateway';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = resolve(ROOT, '../shared/adapters/fixtures/kh/rescue-register.csv');
const VICTIM_NOTIFICATION = 'org.asean.rdx.victim-identification-notification.v1';

/** A register of `cases` cases of rescued Indonesians, two persons each, in the KH format. */
function register(cases: number): string {
  const [header] = readFileSync(FIXTURE, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const columns = header.split(',');
  const row = (caseNo: string, name: string) =>
    columns
      .map((column) =>
        column === 'case_no'
          ? caseNo
          : column === 'name_latin'
            ? name
            : ((
                {
                  rescue_date: '01/12/2026',
                  province: '18',
                  place: 'Shelter',
                  custody: 'SH',
                  custodian: 'Department of Social Affairs',
                  status: 'I',
                  sex: 'F',
                  nationality: 'IDN',
                  objects_notification: 'N',
                  fears_persecution: 'N',
                  consular: 'Y',
                } as Record<string, string>
              )[column] ?? ''),
      )
      .join(',');
  const rows = [header];
  for (let i = 1; i <= cases; i++)
    rows.push(
      row(`CNP-2026-9${String(i).padStart(4, '0')}`, `Korban ${i} A`),
      row(`CNP-2026-9${String(i).padStart(4, '0')}`, `Korban ${i} B`),
    );
  return `${rows.join('\n')}\n`;
}

/** What the adapter processes logged, all of it. */
let logs = '';
/** Every adapter process started, so that none outlives the test. */
const children = new Set<ChildProcess>();

/** `rdx adapter run`, as an agency runs it, in a process of its own. */
function adapterProcess(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    [resolve(ROOT, 'bin/rdx.js'), 'adapter', 'run', '--poll-ms', '200', '--settle-ms', '0', ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const kill = (child: ChildProcess) =>
  new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGKILL')));

/** Waits for `condition`; on a timeout, says what was awaited and what the adapters logged last. */
async function until(condition: () => boolean, what: () => string, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition();) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what()}; the last log lines:\n${logs.split('\n').slice(-15).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two agencies’ adapters through a real gateway on PostgreSQL and RabbitMQ, killed and restarted', () => {
  let gateway: TestGateway;
  let dir: string;

  beforeAll(async () => {
    gateway = await startTestGateway('production');
    dir = await mkdtemp(join(tmpdir(), 'rdx-adapters-'));
  });

  afterAll(async () => {
    await Promise.all([...children].map(kill));
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes a Cambodian register once and writes each Indonesian record once', async () => {
    const admin = new RdxAdminClient({ gateway: gateway.url, token: gateway.adminToken });
    const env: Record<string, Record<string, string>> = {};
    for (const [id, kind] of [
      ['KH.CNP', 'law-enforcement'],
      ['ID.KEMLU', 'foreign-affairs'],
    ] as const) {
      const keyFile = join(dir, `${id}.jwk`);
      const key = await rdx(['keys', 'generate', '--out', keyFile], {}, dir);
      await admin.registerParticipant({ id, name: id, kind });
      await admin.registerKey(id, JSON.parse(key.stdout));
      env[id] = { RDX_GATEWAY: gateway.url, RDX_PARTICIPANT: id, RDX_KEY_FILE: keyFile };
    }
    const ministrySigner = await AgencySigner.fromPrivateJwk(
      'ID.KEMLU',
      JSON.parse(readFileSync(join(dir, 'ID.KEMLU.jwk'), 'utf8')),
    );
    const ministry = await RdxClient.create({
      gateway: gateway.url,
      participant: 'ID.KEMLU',
      signer: ministrySigner,
    });
    await ministry.subscribe({ types: [VICTIM_NOTIFICATION], delivery: { mode: 'pull' } });

    const khIn = join(dir, 'kh-in');
    const idOut = join(dir, 'id-out');
    mkdirSync(khIn);
    mkdirSync(idOut);
    writeFileSync(join(dir, 'register.csv'), register(60));
    copyFileSync(FIXTURE, join(khIn, 'rescue-register.csv'));
    copyFileSync(join(dir, 'register.csv'), join(khIn, 'register.csv'));

    // Every message the two files convert to: what the police's adapter must publish, once each.
    const registry = (await Test.createTestingModule({ imports: [AdaptersModule] }).compile()).get(
      AdapterRegistry,
    );
    const published = new Map<string, { type: string; id: string; data: Record<string, unknown> }>();
    for (const file of [FIXTURE, join(dir, 'register.csv')]) {
      const out = new PassThrough();
      let text = '';
      out.on('data', (chunk: Buffer) => (text += chunk.toString()));
      await runConvert(registry.inbound('KH')!, file, out, new PassThrough());
      for (const line of text.split('\n').filter((l) => l !== '')) {
        const message = JSON.parse(line);
        published.set(message.id, message);
      }
    }
    expect(published.size).toBeGreaterThan(60);
    const written = () => readdirSync(idOut).filter((f) => f.endsWith('.json'));

    let police = adapterProcess(['--country', 'KH', '--in', khIn, '--to-for', 'ID=ID.KEMLU'], env['KH.CNP']);
    let kemlu = adapterProcess(['--country', 'ID', '--out', idOut], env['ID.KEMLU']);
    // Both killed in the middle of their work, and started again.
    await until(
      () => written().length >= 5,
      () => `the first records (${written().length} written)`,
    );
    await Promise.all([kill(police), kill(kemlu)]);
    police = adapterProcess(['--country', 'KH', '--in', khIn, '--to-for', 'ID=ID.KEMLU'], env['KH.CNP']);
    kemlu = adapterProcess(['--country', 'ID', '--out', idOut], env['ID.KEMLU']);
    await until(
      () => written().length >= 30,
      () => `more records (${written().length} written)`,
    );
    await kill(kemlu);
    kemlu = adapterProcess(['--country', 'ID', '--out', idOut], env['ID.KEMLU']);
    // The register goes to done/; the police's own file to rejected/, for its one case of a
    // minor from countries no agency is named for, with a reason a data officer can act on.
    await until(
      () =>
        existsSync(join(khIn, 'done', 'register.csv')) &&
        existsSync(join(khIn, 'rejected', 'rescue-register.csv')),
      () => `both files taken (${readdirSync(khIn).join(', ')})`,
    );
    const reasons = readFileSync(join(khIn, 'rejected', 'rescue-register.csv.reasons.txt'), 'utf8');
    expect(reasons.trim().split('\n')).toEqual([
      expect.stringMatching(/^case KH-CNP-2026-00043: a minor's notification goes only to named agencies/),
    ]);
    const refused = [...published.values()].find((m) => m.data.caseRef === 'KH-CNP-2026-00043')!;
    published.delete(refused.id);

    // What the gateway delivered to the ministry (the sharing policy decides), read apart from
    // its adapter: each must be written as the Indonesian record the adapter library renders.
    const delivered: string[] = [];
    for await (const item of ministry.inbox()) delivered.push(item.messageId);
    expect(new Set(delivered).size).toBe(delivered.length);
    const expected = new Map<string, unknown>();
    for (const id of delivered) {
      try {
        expected.set(id, registry.outbound('ID')!.render({ ...published.get(id)!, source: 'KH.CNP' }));
      } catch {
        // Nothing for Indonesia in this one.
      }
    }
    expect(expected.size).toBeGreaterThan(55);
    await until(
      () => written().length === expected.size,
      () => `every record (${written().length} of ${expected.size} written)`,
    );
    await Promise.all([kill(police), kill(kemlu)]);

    // Each record written once, exactly as the Indonesian format says, and nothing else.
    expect(written().sort()).toEqual([...expected.keys()].map((id) => `${id}.json`).sort());
    for (const [id, record] of expected) {
      expect(JSON.parse(readFileSync(join(idOut, `${id}.json`), 'utf8'))).toEqual(record);
    }
    // A process killed mid-write leaves a temporary file, which the next start removes: only the
    // last one's may be left.
    expect(
      readdirSync(idOut).filter((f) => f.endsWith('.partial') && !f.endsWith(`.${kemlu.pid}.partial`)),
    ).toEqual([]);
    // Each message accepted once, and acknowledged once written.
    const accepted = [];
    for (let after = 0; ;) {
      const page = await admin.auditPage(after);
      if (page.items.length === 0) break;
      accepted.push(...page.items.filter((i) => i.action === 'message.accepted').map((i) => i.subject));
      after = page.next;
    }
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted.filter((id) => published.has(id)).sort()).toEqual([...published.keys()].sort());
    const police2 = await RdxClient.create({
      gateway: gateway.url,
      participant: 'KH.CNP',
      signer: await AgencySigner.fromPrivateJwk(
        'KH.CNP',
        JSON.parse(readFileSync(join(dir, 'KH.CNP.jwk'), 'utf8')),
      ),
    });
    const someId = [...expected.keys()][0];
    const status = await police2.messageStatus(someId);
    expect(status.recipients).toEqual([
      expect.objectContaining({
        participant: 'ID.KEMLU',
        ack: expect.objectContaining({ status: 'received' }),
      }),
    ]);
    // The log: one JSON object per line, the ids and outcomes, and no person's data.
    const lines = logs.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(logs).toContain('"event":"record.published"');
    expect(logs).toContain('"event":"message.written"');
    for (const personal of ['Korban', 'Siti', 'Rahmawati', 'X1234567', '+6281234567890'])
      expect(logs).not.toContain(personal);
  }, 240_000);
});
