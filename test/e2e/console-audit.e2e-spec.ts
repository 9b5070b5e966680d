// The functions given to page.evaluate run in the page: they reach its globals through globalThis,
// which the tests' Node typings do not describe.
import { generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { Page } from 'playwright-core';
import { GatewayClient } from '../support/gateway-client';
import {
  accessibilityViolations,
  ConsoleBrowser,
  cspViolations,
  launchConsoleBrowser,
  screenshot,
} from '../support/console-browser';
import { startTestGateway, TestGateway } from '../support/test-gateway';

const aPublicJwk = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
/** More participants than one page of the verification reads (500 items), so that it follows `next`. */
const MANY = 260;

describe('the console’s audit page, in headless Chromium', () => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let browser: ConsoleBrowser;
  let page: Page;
  let auditor: string;
  let revokedKid: string;
  /** The entry the first tampering changes, as it was. */
  let untampered: { seq: number; details: string };

  beforeAll(async () => {
    gateway = await startTestGateway('embedded');
    client = new GatewayClient(gateway);
    for (const [id, name] of [
      ['KH.CNP', 'Cambodian National Police'],
      ['ID.POLRI', 'Indonesian National Police'],
    ]) {
      await client.admin('POST', '/v1/admin/participants', { id, name, kind: 'law-enforcement' });
    }
    revokedKid = (await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', { jwk: aPublicJwk() }))
      .body.kid;
    await client.admin('POST', `/v1/admin/participants/KH.CNP/keys/${revokedKid}/revoke`, {
      reason: 'key compromised',
    });
    await client.admin('PATCH', '/v1/admin/participants/ID.POLRI', { status: 'suspended' });
    for (let n = 0; n < MANY; n++) {
      const id = `TH.T${String(n).padStart(3, '0')}`;
      await client.admin('POST', '/v1/admin/participants', { id, name: id, kind: 'labour' });
      await client.admin('POST', `/v1/admin/participants/${id}/keys`, { jwk: aPublicJwk() });
    }
    auditor = (await client.admin('POST', '/v1/admin/tokens', { role: 'auditor' })).body.token;
    browser = await launchConsoleBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  afterEach(async () => {
    expect(await cspViolations(page)).toEqual([]);
  });

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const expectAccessible = async () => expect(await accessibilityViolations(page)).toEqual([]);
  const signIn = async (token: string) => {
    await page.goto(`${gateway.url}/console/participants`);
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Participants').waitFor();
  };
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
  };
  const openAudit = async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
    await heading('Audit record').waitFor();
    // Off the link it clicked: axe judges the page, not the link under the pointer.
    await page.mouse.move(0, 0);
  };
  /** The audit items the API holds, all of them. */
  const record = async (): Promise<any[]> => {
    const items: any[] = [];
    for (let after = 0; ;) {
      const { body } = await client.admin('GET', `/v1/admin/audit?after=${after}&limit=500`);
      if (body.items.length === 0) return items;
      items.push(...body.items);
      after = body.next;
    }
  };
  /** One column of the listed items, by its header's position. */
  const column = (index: number) =>
    page
      .getByTestId('audit-items')
      .locator(`tbody tr td:nth-child(${index + 1})`)
      .allTextContents();
  const search = async (fields: Record<string, string>) => {
    await page.getByRole('button', { name: 'Clear' }).click();
    for (const [label, value] of Object.entries(fields))
      await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
  };
  const verify = () => page.getByRole('button', { name: 'Verify the chain' }).click();
  const openDb = () => new Database(gateway.env.RDX_DATABASE_URL.slice('sqlite:'.length));

  it('tells a country administrator plainly that its token may not read the record', async () => {
    const issued = await client.admin('POST', '/v1/admin/tokens', { role: 'country-admin', country: 'KH' });
    await signIn(issued.body.token);
    await openAudit();
    await page.getByRole('alert').getByText('This token may not read the audit record').waitFor();
    await expect(page.getByRole('button', { name: 'Verify the chain' }).count()).resolves.toBe(0);
    await expectAccessible();
    await signOut();
  });

  it('lists the record page by page, beside Participants in the navigation', async () => {
    await signIn(auditor);
    const links = await page.getByRole('navigation').getByRole('link').allTextContents();
    expect(links).toEqual(['Overview', 'Message flow', 'Participants', 'Audit']);
    await openAudit();
    await page.getByText('50 entries shown').waitFor();
    const all = await record();
    expect(await column(0)).toEqual(all.slice(0, 50).map((i) => String(i.seq)));
    await page.getByRole('button', { name: 'Show more' }).click();
    await page.getByText('100 entries shown').waitFor();
    expect(await column(2)).toEqual(all.slice(0, 100).map((i) => i.actor));
    await expectAccessible();
  });

  it('searches the record by actor, action and subject, on the gateway', async () => {
    const all = await record();
    const sent: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/admin/audit') && sent.push(r.url()));
    await search({ Action: 'key.revoked' });
    await page.getByText('1 matching entry shown').waitFor();
    expect(await column(3)).toEqual(['key.revoked']);
    expect(await column(4)).toEqual([revokedKid]);
    expect((await column(5))[0]).toContain('key compromised');
    expect(sent.some((url) => new URL(url).searchParams.get('action') === 'key.revoked')).toBe(true);

    await search({ Subject: 'ID.POLRI' });
    const aboutPolri = all.filter((i) => i.subject === 'ID.POLRI');
    await page.getByText(`${aboutPolri.length} matching entries shown`).waitFor();
    expect(await column(3)).toEqual(aboutPolri.map((i) => i.action));
    expect(await column(3)).toEqual(['participant.registered', 'participant.suspended']);

    const actor = all.find((i) => i.action === 'admin-token.issued').actor as string;
    await search({ Actor: actor, Action: 'admin-token.issued', Subject: '' });
    const issued = all.filter((i) => i.actor === actor && i.action === 'admin-token.issued');
    await page.getByText(`${issued.length} matching entries shown`).waitFor();
    expect(await column(0)).toEqual(issued.map((i) => String(i.seq)));

    await search({ Action: 'no.such-action' });
    await page.getByText('0 matching entries shown').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('50 entries shown').waitFor();
    await expectAccessible();
  });

  it('verifies the whole chain in the browser and says that it holds', async () => {
    const length = (await record()).length;
    expect(length).toBeGreaterThan(500);
    await verify();
    await page.getByText(`The audit chain holds: ${length} entries verified`).waitFor();
    await expectAccessible();
    await screenshot(page, 'audit');
  });

  it('reports a changed entry where the chain breaks', async () => {
    const revoked = (await record()).find((i) => i.action === 'key.revoked');
    const db = openDb();
    try {
      untampered = db.prepare('SELECT seq, details FROM audit_log WHERE seq = ?').get(revoked.seq) as any;
      db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(
        '{"reason":"routine rotation"}',
        revoked.seq,
      );
    } finally {
      db.close();
    }
    await verify();
    const alert = page.getByRole('alert');
    await alert.getByText(`The audit chain is broken at entry #${revoked.seq}`).waitFor();
    await alert.getByText('the entry was changed after it was recorded').waitFor();
    await alert.getByText(`The ${revoked.seq - 1} entries before it hold.`).waitFor();
    expect(await page.getByText('The audit chain holds').count()).toBe(0);
    await expectAccessible();
  });

  it('reports a removed entry, and one put back altered, where the chain breaks', async () => {
    const all = await record();
    const db = openDb();
    try {
      // The first tampering made good; then the 300th entry removed.
      db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(untampered.details, untampered.seq);
      db.prepare('DELETE FROM audit_log WHERE seq = 300').run();
    } finally {
      db.close();
    }
    await verify();
    await page.getByRole('alert').getByText('The audit chain is broken at entry #301').waitFor();
    await page.getByText('Entry #301 follows entry #299: the entries between them are missing.').waitFor();

    const again = openDb();
    try {
      const removed = all.find((i) => i.seq === 300);
      again
        .prepare(
          'INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          300,
          removed.at,
          removed.actor,
          'participant.reinstated',
          removed.subject,
          null,
          removed.prevHash,
          removed.hash,
        );
    } finally {
      again.close();
    }
    await verify();
    await page.getByRole('alert').getByText('The audit chain is broken at entry #300').waitFor();
  });

  it('speaks Bahasa Indonesia on the audit page', async () => {
    await page.getByLabel('Language').first().selectOption('id');
    await heading('Catatan audit').waitFor();
    await page.getByRole('button', { name: 'Verifikasi rantai' }).click();
    await page.getByRole('alert').getByText('Rantai audit putus pada entri #300').waitFor();
    await page.getByText('299 entri sebelumnya utuh.').waitFor();
    await expectAccessible();
  });
});
