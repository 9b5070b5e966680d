// The functions given to page.evaluate run in the page: they reach its globals through globalThis,
// which the tests' Node typings do not describe.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { GatewayClient } from '../support/gateway-client';
import {
  accessibilityViolations,
  apiRequests,
  ConsoleBrowser,
  cspViolations,
  launchConsoleBrowser,
  screenshot,
} from '../support/console-browser';
import { startTestGateway, TestGateway } from '../support/test-gateway';

const aKeyPair = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { publicJwk: publicKey.export({ format: 'jwk' }), privateJwk: privateKey.export({ format: 'jwk' }) };
};

describe('the administrators’ console at /console, in headless Chromium', () => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let browser: ConsoleBrowser;
  let page: Page;

  beforeAll(async () => {
    gateway = await startTestGateway('embedded');
    client = new GatewayClient(gateway);
    browser = await launchConsoleBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  afterEach(async () => {
    // Mantine's styles come from the console's CSS file: the policy blocks nothing the console needs.
    expect(await cspViolations(page)).toEqual([]);
  });

  const open = (path = '/console/') => page.goto(`${gateway.url}${path}`);
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const dialog = () => page.getByRole('dialog');
  const main = () => page.getByRole('main');
  const expectAccessible = async () => expect(await accessibilityViolations(page)).toEqual([]);
  /** Waits until a dialog has finished opening, so that axe and the screenshot see it whole. */
  const dialogOpened = async (title: string) => {
    await dialog().getByRole('heading', { name: title }).waitFor();
    await page.waitForTimeout(100);
  };

  it('serves its pages with a policy that allows no inline script and no framing', async () => {
    for (const path of ['/console', '/console/', '/console/participants/KH.CNP']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    const missing = await fetch(`${gateway.url}/console/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.headers.get('x-frame-options')).toBe('DENY');
    // The console is not part of the API: the OpenAPI document (and the tests that walk it) know nothing of it.
    const openapi: any = await (await fetch(`${gateway.url}/openapi.json`)).json();
    expect(Object.keys(openapi.paths).filter((p) => p.startsWith('/console'))).toEqual([]);
    expect(openapi.paths['/v1/admin/me']).toBeDefined();
  });

  it('answers a clear problem, not a crash, where the console is not built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'rdx-no-console-'));
    const unbuilt = await startTestGateway('embedded', { RDX_CONSOLE_DIR: empty });
    try {
      for (const path of ['/console', '/console/participants']) {
        const reply = await new GatewayClient(unbuilt).request('GET', path);
        expect(reply.status).toBe(404);
        expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(reply.body.type).toBe('urn:rdx:problem:not-found');
        expect(reply.body.detail).toContain('the console is not built: run npm run build');
      }
    } finally {
      await unbuilt.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('says plainly that a wrong token was not accepted', async () => {
    await open();
    await page.getByLabel('Token').fill(`rdx_at_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('The token was not accepted').waitFor();
    await page.getByText('the token has expired', { exact: false }).waitFor();
    await expectAccessible();
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  });

  it('signs in with the keyboard alone, keeping the token out of every storage', async () => {
    await open('/console/participants');
    await heading("RDX administrators' console").waitFor();
    await expectAccessible();
    await screenshot(page, 'sign-in');
    // The token field has the focus; Tab reaches the "Sign in" button.
    await page.keyboard.type(gateway.adminToken);
    const focused = () => page.evaluate(() => (globalThis as any).document.activeElement?.textContent);
    for (let i = 0; i < 3 && (await focused()) !== 'Sign in'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Sign in');
    await page.keyboard.press('Enter');
    await heading('Participants').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/participants');
    await expect(page.getByTestId('acting-for').textContent()).resolves.toBe(
      'Administrator of all countries',
    );
    expect(
      await page.evaluate(() => {
        const browser = globalThis as any;
        return [browser.localStorage.length, browser.sessionStorage.length, browser.document.cookie];
      }),
    ).toEqual([0, 0, '']);
    await expect(
      page.getByRole('navigation').getByRole('link', { name: 'Participants' }).count(),
    ).resolves.toBe(1);
  });

  it('registers participants, shown by country', async () => {
    await page.getByRole('button', { name: 'Register a participant' }).click();
    await dialogOpened('Register a participant');
    await expectAccessible();
    await page.getByLabel('Participant id').fill('KH.CNP');
    await page.getByLabel('Name').fill('Cambodian National Police');
    await page.getByLabel('Kind').selectOption('law-enforcement');
    await dialog().getByRole('button', { name: 'Register' }).click();
    await page.getByRole('link', { name: 'KH.CNP' }).waitFor();
    expect((await client.admin('GET', '/v1/admin/participants/KH.CNP')).body).toMatchObject({
      name: 'Cambodian National Police',
      kind: 'law-enforcement',
      status: 'active',
    });

    await page.getByRole('button', { name: 'Register a participant' }).click();
    await page.getByLabel('Participant id').fill('ID.KEMLU');
    await page.getByLabel('Name').fill('Kementerian Luar Negeri');
    await page.getByLabel('Kind').selectOption('foreign-affairs');
    await dialog().getByRole('button', { name: 'Register' }).click();
    await page.getByRole('link', { name: 'ID.KEMLU' }).waitFor();
    await page.getByRole('heading', { name: 'Cambodia (KH)' }).waitFor();
    await page.getByRole('heading', { name: 'Indonesia (ID)' }).waitFor();
    await expectAccessible();
  });

  it('adds a key pasted as a public JWK', async () => {
    await page.getByRole('link', { name: 'KH.CNP' }).click();
    await heading('KH.CNP: Cambodian National Police').waitFor();
    await page.getByRole('button', { name: 'Add a key' }).click();
    await dialogOpened('Add a public key to KH.CNP');
    await page.getByLabel('Public key (JWK)').fill(JSON.stringify(aKeyPair().publicJwk, null, 2));
    await expectAccessible();
    await screenshot(page, 'add-key');
    await dialog().getByRole('button', { name: 'Add the key' }).click();
    await dialog().waitFor({ state: 'hidden' });
    const keys = (await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.keys;
    expect(keys).toHaveLength(1);
    await page.getByRole('cell', { name: keys[0].kid, exact: true }).waitFor();
    await expectAccessible();
  });

  it('refuses a private JWK in the browser, pasted or uploaded, and sends nothing', async () => {
    const { privateJwk } = aKeyPair();
    const sent = apiRequests(page);
    await page.getByRole('button', { name: 'Add a key' }).click();
    await dialogOpened('Add a public key to KH.CNP');
    await page.getByLabel('Public key (JWK)').fill(JSON.stringify(privateJwk));
    await dialog().getByRole('button', { name: 'Add the key' }).click();
    const refusal = dialog().getByRole('alert');
    await refusal.getByText('This is a private key: it was not sent').waitFor();
    expect(await refusal.textContent()).toContain('It holds the private member "d"');
    await expectAccessible();

    await page.getByLabel('Public key (JWK)').fill('');
    await dialog()
      .locator('input[type=file]')
      .setInputFiles({
        name: 'kh-private.jwk',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(privateJwk)),
      });
    // The file is read asynchronously: wait for its text to be in the field, however busy the machine.
    await page.waitForFunction(
      (field) => (field as any).value.includes('"d"'),
      await page.getByLabel('Public key (JWK)').elementHandle(),
    );
    await dialog().getByRole('button', { name: 'Add the key' }).click();
    await refusal.getByText('This is a private key: it was not sent').waitFor();
    expect(sent).toEqual([]);
    expect((await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.keys).toHaveLength(1);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'hidden' });
  });

  it('retires a key after saying what retiring means', async () => {
    const second = await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', {
      jwk: aKeyPair().publicJwk,
    });
    await page.getByRole('link', { name: 'All participants' }).click();
    await page.getByRole('link', { name: 'KH.CNP' }).click();
    await page.getByRole('button', { name: `Retire key ${second.body.kid}` }).click();
    await dialogOpened(`Retire key ${second.body.kid}?`);
    await dialog().getByText('what it signed while it was active stays valid').waitFor();
    await dialog().getByRole('button', { name: 'Retire the key' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: `Retire key ${second.body.kid}` }).waitFor({ state: 'detached' });
    const key = (await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.keys.find(
      (k: any) => k.kid === second.body.kid,
    );
    expect(key.status).toBe('retired');
  });

  it('revokes a key with a reason, after a confirmation that says what revoking means', async () => {
    const { kid } = (await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.keys.find(
      (k: any) => k.status === 'active',
    );
    await page.getByRole('button', { name: `Revoke key ${kid}` }).click();
    await dialogOpened(`Revoke key ${kid}?`);
    const confirm = dialog().getByRole('button', { name: 'Revoke the key' });
    expect(await confirm.isDisabled()).toBe(true);
    const text = await dialog().textContent();
    expect(text).toContain('the gateway accepts nothing signed with this key');
    expect(text).toContain('recipients can no longer check the signatures of messages it signed before');
    expect(text).toContain('It cannot be undone');
    await dialog().getByLabel('Reason').fill('private key exposed on a stolen laptop');
    await expectAccessible();
    await screenshot(page, 'revoke-confirmation');
    await confirm.click();
    await dialog().waitFor({ state: 'hidden' });
    await page.getByText('Reason: private key exposed on a stolen laptop').waitFor();
    const key = (await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.keys.find(
      (k: any) => k.kid === kid,
    );
    expect(key).toMatchObject({
      status: 'revoked',
      revocationReason: 'private key exposed on a stolen laptop',
    });
  });

  it('suspends and reactivates a participant, each after a confirmation', async () => {
    await main().getByRole('button', { name: 'Suspend' }).click();
    await dialogOpened('Suspend KH.CNP?');
    await dialog().getByRole('button', { name: 'Suspend' }).click();
    await main().getByRole('button', { name: 'Reactivate' }).waitFor();
    expect((await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.status).toBe('suspended');
    await expectAccessible();

    await main().getByRole('button', { name: 'Reactivate' }).click();
    await dialogOpened('Reactivate KH.CNP?');
    await dialog().getByRole('button', { name: 'Reactivate' }).click();
    await main().getByRole('button', { name: 'Suspend' }).waitFor();
    expect((await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.status).toBe('active');
    await page.getByRole('link', { name: 'All participants' }).click();
    await page.getByRole('link', { name: 'KH.CNP' }).waitFor();
    await screenshot(page, 'participants');

    // A tablet held upright: the page fits its width, nothing to scroll sideways.
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = () =>
      page.evaluate(() => {
        const browser = globalThis as any;
        return browser.document.documentElement.scrollWidth - browser.innerWidth;
      });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows a country administrator its own country only, and says which it acts for', async () => {
    const issued = await client.admin('POST', '/v1/admin/tokens', { role: 'country-admin', country: 'ID' });
    expect(issued.status).toBe(201);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out. The token is forgotten.').waitFor();
    await page.getByLabel('Token').fill(issued.body.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Participants').waitFor();
    await expect(page.getByTestId('acting-for').textContent()).resolves.toBe('Acting for Indonesia (ID)');
    await page.getByRole('link', { name: 'ID.KEMLU' }).waitFor();
    expect(await page.getByRole('link', { name: 'KH.CNP' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Cambodia (KH)' }).count()).toBe(0);

    // Even by its address, another country's participant does not exist for it.
    await page.getByRole('link', { name: 'ID.KEMLU' }).click();
    await heading('ID.KEMLU: Kementerian Luar Negeri').waitFor();
    await page.evaluate(() => {
      const browser = globalThis as any;
      browser.history.pushState({}, '', '/console/participants/KH.CNP');
      browser.dispatchEvent(new browser.PopStateEvent('popstate'));
    });
    await page.getByRole('alert').getByText('no participant KH.CNP').waitFor();
    await expectAccessible();
  });

  it('speaks Bahasa Indonesia on the participant screens', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Participants' }).click();
    await page.getByLabel('Language').first().selectOption('id');
    await heading('Peserta').waitFor();
    await page.getByRole('button', { name: 'Daftarkan peserta' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe('id');
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByLabel('Token').waitFor();
    await page.getByRole('button', { name: 'Masuk' }).waitFor();
  });

  it('says so plainly when the token expires during the session', async () => {
    const expiresAt = new Date(Date.now() + 3000).toISOString();
    const issued = await client.admin('POST', '/v1/admin/tokens', { role: 'admin', expiresAt });
    await page.getByLabel('Bahasa').selectOption('en');
    await page.getByLabel('Token').fill(issued.body.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Participants').waitFor();
    await page.waitForTimeout(Math.max(0, Date.parse(expiresAt) - Date.now()) + 200);
    await page.getByRole('link', { name: 'KH.CNP' }).click();
    await heading('The token was not accepted').waitFor();
    await expectAccessible();
  });
});
