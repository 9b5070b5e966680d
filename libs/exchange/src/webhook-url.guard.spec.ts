import { loadConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { refusedAddress, WebhookUrlGuard } from './webhook-url.guard';

describe('refusedAddress', () => {
  it.each([
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['169.254.169.254', 'a link-local address (cloud metadata lives there)'],
    ['fe80::1', 'a link-local address'],
    ['::ffff:169.254.169.254', 'a link-local address (cloud metadata lives there)'],
    ['::ffff:a9fe:a9fe', 'a link-local address (cloud metadata lives there)'],
    ['224.0.0.1', 'a multicast address'],
  ])('always refuses %s', (address, why) => {
    expect(refusedAddress(address, true)).toBe(why);
    expect(refusedAddress(address, false)).toBe(why);
  });

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['64:ff9b::a00:1', 'a private address'],
    ['10.1.2.3', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['fd12:3456::1', 'a unique local address'],
  ])('refuses %s unless private addresses are allowed', (address, why) => {
    expect(refusedAddress(address, false)).toBe(why);
    expect(refusedAddress(address, true)).toBeUndefined();
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])(
    'allows the public address %s',
    (address) => {
      expect(refusedAddress(address, false)).toBeUndefined();
    },
  );
});

describe('WebhookUrlGuard', () => {
  const guard = (allowPrivate: boolean) =>
    new WebhookUrlGuard(loadConfig({ RDX_WEBHOOK_ALLOW_PRIVATE: String(allowPrivate) }));
  const refusal = async (check: Promise<unknown>) => {
    const error = await check.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RdxError);
    expect((error as RdxError).problem).toBe('refused-webhook-url');
    return (error as RdxError).detail;
  };

  it('takes https to a public address', async () => {
    await expect(guard(false).check('https://93.184.216.34/rdx/hook')).resolves.toMatchObject({
      addresses: [{ address: '93.184.216.34', family: 4 }],
    });
  });

  it('refuses plain http, credentials, loopback names and disguised addresses by default', async () => {
    expect(await refusal(guard(false).check('http://93.184.216.34/hook'))).toContain('use https');
    expect(await refusal(guard(false).check('https://user:pw@93.184.216.34/hook'))).toContain('credentials');
    expect(await refusal(guard(false).check('https://localhost/hook'))).toContain('a loopback address');
    expect(await refusal(guard(false).check('https://[::ffff:127.0.0.1]/hook'))).toContain(
      'a loopback address',
    );
    expect(await refusal(guard(false).check('https://2130706433/hook'))).toContain('a loopback address');
    expect(await refusal(guard(false).check('not a url'))).toContain('not an absolute URL');
  });

  it('with RDX_WEBHOOK_ALLOW_PRIVATE allows http and loopback, never link-local or unspecified', async () => {
    await expect(guard(true).check('http://127.0.0.1:8080/hook')).resolves.toBeDefined();
    expect(await refusal(guard(true).check('http://169.254.169.254/latest/meta-data'))).toContain(
      'link-local',
    );
    expect(await refusal(guard(true).check('http://0.0.0.0:8080/hook'))).toContain('unspecified');
    expect(await refusal(guard(true).check('http://[::ffff:169.254.169.254]/'))).toContain('link-local');
    expect(await refusal(guard(true).check('ftp://127.0.0.1/'))).toContain('use https or http');
  });
});
