import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): the tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Where the tests leave their screenshots: with RDX_UPDATE_SCREENSHOTS=1 the ones the README shows
 * (docs/console), else one folder in the system's temporary directory, overwritten by each run,
 * so that a test run leaves the checkout as it was and no folder behind.
 */
export const SCREENSHOTS =
  process.env.RDX_UPDATE_SCREENSHOTS === '1'
    ? resolve(__dirname, '../../docs/console')
    : join(tmpdir(), 'rdx-console-screenshots');
const BUILT_CONSOLE = resolve(__dirname, '../../dist/console/index.html');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Without the background-networking flags Chromium keeps calling Google's hosts, which a closed
// network refuses, many at a time.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile of its own, a laptop's viewport, and a way to close it. */
export interface ConsoleBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
  }
  if (!existsSync(BUILT_CONSOLE)) throw new Error('the console is not built: run npm run build first');
  const profile = mkdtempSync(join(tmpdir(), 'rdx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    // No transitions (the console honours it): axe and the screenshots see dialogs fully drawn.
    reducedMotion: 'reduce',
  });
  // axe-core, and a record of what the Content-Security-Policy blocked, in every page before its
  // own scripts run. Init scripts come from the browser itself, so the policy does not apply to them.
  await context.addInitScript({
    content: `${AXE_SOURCE};
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Every request a page makes to the gateway's API, to prove that something was not sent. */
export function apiRequests(page: Page): { method: string; url: string }[] {
  const seen: { method: string; url: string }[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/v1/')) {
      seen.push({ method: request.method(), url: request.url() });
    }
  });
  return seen;
}

/** The serious and critical accessibility violations axe-core finds on the page as it stands. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    // Runs in the page, whose globals the tests' Node typings do not describe.
    const browser = globalThis as any;
    const result = await browser.axe.run(browser.document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v: any) =>
          `${v.id}: ${v.help} (${v.nodes.map((n: any) => `${n.target.join(' ')} ${n.failureSummary}`).join(', ')})`,
      );
  });
}

/** What the page's Content-Security-Policy refused so far. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as any).__cspViolations as string[]);
}

/** Saves a screenshot of the page as <name>.png in SCREENSHOTS. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
