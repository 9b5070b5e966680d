// The functions given to page.evaluate run in the page: they reach its globals through globalThis,
// which the tests' Node typings do not describe.
import { Page } from 'playwright-core';
import { alertForAnyone, exampleData, TestAgency } from '@rdx/testing';
import { subscribeWebhook } from '../support/case-team';
import {
  accessibilityViolations,
  ConsoleBrowser,
  cspViolations,
  launchConsoleBrowser,
  screenshot,
} from '../support/console-browser';
import { GatewayClient } from '../support/gateway-client';
import { startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually, WEBHOOK_ENV, WebhookReceiver } from '../support/webhook-receiver';

const VERIFY_REQUEST = 'org.asean.rdx.nationality-verification-request.v1';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('the console’s overview and message flow, with real traffic, in headless Chromium', () => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let browser: ConsoleBrowser;
  let page: Page;
  let receiver: WebhookReceiver;
  let subscription: { id: string };
  let expiring: TestAgency;
  let overdueRequest: string;

  beforeAll(async () => {
    gateway = await startTestGateway('embedded', {
      ...WEBHOOK_ENV,
      RDX_RETRY_DELAYS: '1',
      // The endpoint's circuit, open after its failures, lets the replay through a second later.
      RDX_WEBHOOK_BREAKER_OPEN_MS: '1000',
      RDX_CASE_SCAN_INTERVAL_MS: '200',
    });
    client = new GatewayClient(gateway);
    const police = await TestAgency.create('KH.CNP', 'law-enforcement');
    const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    expiring = await TestAgency.create('KH.CNP', 'law-enforcement');
    const key = await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', {
      jwk: expiring.publicJwk,
      notAfter: inDays(7),
    });
    expect(key.status).toBe(201);
    receiver = new WebhookReceiver();
    receiver.answerAlways({ status: 500 });
    subscription = await subscribeWebhook(client, ministry, receiver);
    for (let i = 0; i < 3; i++) {
      const { jws } = await police.signMessage({ data: alertForAnyone() });
      expect((await client.publish(jws)).status).toBe(202);
    }
    // A verification request the ministry leaves unanswered past its deadline.
    const request = await police.signMessage({
      type: VERIFY_REQUEST,
      data: exampleData(VERIFY_REQUEST),
      recipients: 'ID.KEMLU',
      respondby: new Date(Date.now() + 500).toISOString(),
    });
    overdueRequest = request.envelope.id as string;
    expect((await client.publish(request.jws)).status).toBe(202);
    // Two refused: one of the police's (its data is not an alert), one nobody's.
    expect((await client.publish((await police.signMessage({ data: { nonsense: true } })).jws)).status).toBe(
      422,
    );
    expect((await client.publish('not.a.jws')).status).toBeGreaterThanOrEqual(400);
    const window = `from=${inDays(-1 / 24)}&to=${inDays(1 / 24)}&bucket=minute`;
    await eventually(
      () => client.admin('GET', `/v1/admin/flow?${window}`),
      (reply) => reply.body.refused?.length === 2,
    );
    // Every delivery to the failing endpoint has failed for good, and the reply is overdue.
    await eventually(
      () => client.admin('GET', '/v1/admin/attention'),
      (reply) => reply.body.failingDeliveries?.[0]?.failed === 3 && reply.body.overdueReplies?.length === 1,
      30_000,
    );
    browser = await launchConsoleBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await receiver?.stop();
  });

  afterEach(async () => {
    expect(await cspViolations(page)).toEqual([]);
  });

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const expectAccessible = async () => expect(await accessibilityViolations(page)).toEqual([]);

  it('opens on what needs attention: the expiring key and the failing participant, linked', async () => {
    await page.goto(`${gateway.url}/console/`);
    await page.getByLabel('Token').fill(gateway.adminToken);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('What needs attention').waitFor();
    await page.getByText('3 items need attention').waitFor();
    const overdue = page.getByRole('region', { name: 'Replies overdue' });
    await overdue.getByRole('link', { name: 'ID.KEMLU' }).waitFor();
    await overdue
      .getByText(`Owes KH.CNP a reply to request ${overdueRequest}, due`, { exact: false })
      .waitFor();
    const keys = page.getByRole('region', { name: 'Keys expiring within 14 days' });
    await keys.getByRole('link', { name: 'KH.CNP' }).waitFor();
    await keys.getByText(`Key ${expiring.kid} expires`, { exact: false }).waitFor();
    await keys.getByText('7 days left').waitFor();
    const failing = page.getByRole('region', { name: 'Failing webhook deliveries' });
    await failing.getByRole('link', { name: 'ID.KEMLU' }).waitFor();
    await failing.getByText('3 failed').waitFor();
    await page.getByRole('region', { name: 'Suspended but still subscribed' }).getByText('None').waitFor();
    await expectAccessible();
    await screenshot(page, 'overview');
    await failing.getByRole('link', { name: 'ID.KEMLU' }).click();
    await heading('ID.KEMLU: ID.KEMLU').waitFor();
  });

  it('charts accepted messages by type and by country, with titles', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Message flow' }).click();
    await heading('Message flow').waitFor();
    for (const [testId, title, summary] of [
      ['flow-chart-accepted-type', 'Accepted messages by type', '4 messages accepted in this window'],
      ['flow-chart-accepted-country', "Accepted messages by sender's country", '4 messages accepted'],
      ['flow-chart-refused-type', 'Refused messages by type', '2 messages refused in this window'],
      ['flow-chart-refused-country', "Refused messages by sender's country", '2 messages refused'],
    ]) {
      const figure = page.getByRole('figure', { name: title });
      await figure.waitFor();
      await figure.locator('p', { hasText: summary }).waitFor();
      // Bars are drawn for the data: SVG paths of recharts' bar rectangles.
      await page.getByTestId(testId).locator('svg .recharts-bar-rectangle path').first().waitFor();
      expect(await page.getByTestId(testId).locator('svg title').first().textContent()).toBe(title);
    }
    await page
      .getByTestId('flow-chart-refused-country')
      .locator('p', { hasText: 'Cambodia (KH), unknown' })
      .waitFor();
    await page.getByText('Cambodia (KH)', { exact: false }).first().waitFor();
    await page.getByText('their content is never kept', { exact: false }).waitFor();
    await expectAccessible();
    await screenshot(page, 'message-flow');
  });

  it('replays the failed deliveries of a subscription after a confirmation, and the receiver gets them', async () => {
    receiver.answerAlways({ status: 200 });
    const before = receiver.received.length;
    await page
      .getByRole('button', { name: `Replay failed deliveries of subscription ${subscription.id}` })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Replay the failed deliveries?' }).waitFor();
    await dialog.getByText('3 failed deliveries of ID.KEMLU', { exact: false }).waitFor();
    await page.waitForTimeout(100);
    await expectAccessible();
    expect(receiver.received.length).toBe(before); // nothing is sent before the confirmation
    await dialog.getByRole('button', { name: 'Replay failed deliveries' }).click();
    await page
      .getByRole('status')
      .getByText(`3 deliveries of subscription ${subscription.id} are being sent again.`)
      .waitFor();
    await receiver.awaitCount(before + 3);
    expect(receiver.received.length - before).toBe(3);
    await eventually(
      () => client.admin('GET', '/v1/admin/attention'),
      (reply) => reply.body.failingDeliveries.length === 0,
    );
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await page.getByText('2 items need attention').waitFor();
    await expectAccessible();
  });

  it('speaks Bahasa Indonesia on the new screens', async () => {
    await page.getByLabel('Language').first().selectOption('id');
    await page.getByRole('navigation').getByRole('link', { name: 'Ikhtisar' }).click();
    await heading('Yang perlu diperhatikan').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Arus pesan' }).click();
    await heading('Arus pesan').waitFor();
    await page.getByRole('figure', { name: 'Pesan yang diterima menurut jenis' }).waitFor();
    await page.getByRole('figure', { name: 'Pesan yang ditolak menurut negara pengirim' }).waitFor();
    await expectAccessible();
    await page.getByLabel('Bahasa').first().selectOption('en');
  });
});
