import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SchemaRegistry } from '@rdx/schema';
import { parseRetention, SharingPolicy, SharingPolicyError } from './sharing-policy';

const SHIPPED = resolve(__dirname, '../../../config/sharing-policy.json');
const ALERT = 'org.asean.rdx.trafficking-incident-alert.v1';

describe('SharingPolicy', () => {
  const registry = new SchemaRegistry();

  async function loadEdited(edit: (text: string) => string): Promise<SharingPolicy> {
    const file = join(await mkdtemp(join(tmpdir(), 'rdx-policy-')), 'policy.json');
    await writeFile(file, edit(await readFile(SHIPPED, 'utf8')));
    return SharingPolicy.load(file, registry);
  }

  it('loads the shipped policy, covering every catalogue type', () => {
    const policy = SharingPolicy.load(SHIPPED, registry);
    for (const { type } of registry.list()) expect(policy.retention().get(type)).toBeGreaterThan(0);
    expect(policy.mayPublish('law-enforcement', ALERT)).toBe(true);
    expect(policy.mayPublish('foreign-affairs', ALERT)).toBe(false);
    expect(policy.isNeedToKnow('org.asean.rdx.victim-identification-notification.v1')).toBe(true);
  });

  it('names the file, the line and the entry of a bad participant kind', async () => {
    const attempt = loadEdited((text) =>
      text.replace('"immigration", "coordination"]', '"immigration", "pirates"]'),
    );
    await expect(attempt).rejects.toThrow(SharingPolicyError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `policy\\.json line \\d+: publishers\\["${ALERT.replace(/\./g, '\\.')}"\\]\\[2\\]: "pirates" is not one of`,
      ),
    );
  });

  it('names the line of an unknown type, and of a bad retention period', async () => {
    const text = await readFile(SHIPPED, 'utf8');
    const lines = text.split('\n');
    const alertLine = lines.findIndex((l) => l.includes(`"${ALERT}": "730d"`)) + 1;
    await expect(
      loadEdited((t) => t.replace(`"${ALERT}": "730d"`, `"${ALERT}": "two years"`)),
    ).rejects.toThrow(
      `policy.json line ${alertLine}: retention["${ALERT}"]: "two years" is not a period such as 365d, 12h, 15m or 90s`,
    );
    await expect(
      loadEdited((t) => t.replace(`"${ALERT}": "730d"`, `"org.example.nope.v1": "730d"`)),
    ).rejects.toThrow(
      `policy.json line ${alertLine}: retention["org.example.nope.v1"]: is not a type of the schema catalogue`,
    );
  });

  it('keeps victim notifications from law-enforcement subscriptions, and checks the purposes named', async () => {
    const policy = SharingPolicy.load(SHIPPED, registry);
    const victim = 'org.asean.rdx.victim-identification-notification.v1';
    expect(policy.allowsPurpose(victim, 'law-enforcement')).toBe(false);
    expect(policy.allowsPurpose(victim, 'consular')).toBe(true);
    expect(policy.allowsPurpose(victim, null)).toBe(true);
    expect(policy.allowsPurpose(ALERT, 'law-enforcement')).toBe(true);
    await expect(loadEdited((t) => t.replace('["law-enforcement"]', '["prosecution"]'))).rejects.toThrow(
      /line \d+: notForPurposes\["org\.asean\.rdx\.victim-identification-notification\.v1"\]\[0\]: "prosecution" is not one of/,
    );
  });

  it('refuses a policy that forgets a type', async () => {
    await expect(loadEdited((t) => t.replace(`"${ALERT}": "730d",`, ''))).rejects.toThrow(
      `retention: says nothing of "${ALERT}": give how long its payloads are kept`,
    );
  });

  it.each([
    ['365d', 365 * 86400],
    ['12h', 43200],
    ['15m', 900],
    ['90s', 90],
    ['1y', undefined],
    ['d', undefined],
  ])('reads the period %s', (text, seconds) => {
    expect(parseRetention(text)).toBe(seconds);
  });
});
