import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives the embedded default when nothing is set', () => {
    const config = loadConfig({}, '/srv/rdx');
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/rdx/data/rdx.sqlite' });
    expect(config.amqpUrl).toBeUndefined();
    expect(config.roles).toEqual(['api', 'worker']);
    expect(config.gatewayId).toBe('rdx-gateway');
    expect(config.bodyLimitBytes).toBe(262144);
    expect(config.webhooks.allowPrivate).toBe(false);
    expect(config.batchLingerMs).toBe(8);
    expect(config.statisticsMinCell).toBe(11);
    // About three days of retries before a delivery fails.
    const total = config.webhooks.retryDelaysSeconds.reduce((a, b) => a + b, 0);
    expect(total / 86400).toBeGreaterThan(2.5);
    expect(total / 86400).toBeLessThan(3.5);
  });

  it('reads production settings', () => {
    const config = loadConfig({
      RDX_DATABASE_URL: 'postgres://rdx@db:5432/rdx',
      RDX_AMQP_URL: 'amqp://rdx:secret@mq:5672/rdx',
      RDX_ROLES: 'worker',
      RDX_PORT: '9000',
      RDX_BATCH_LINGER_MS: '0',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://rdx@db:5432/rdx' });
    expect(config.amqpUrl).toBe('amqp://rdx:secret@mq:5672/rdx');
    expect(config.roles).toEqual(['worker']);
    expect(config.port).toBe(9000);
    expect(config.batchLingerMs).toBe(0);
  });

  it.each([
    ['RDX_PORT', 'eighty', 'RDX_PORT: must be a whole number'],
    ['RDX_PORT', '70000', 'RDX_PORT: must be between 0 and 65535'],
    ['RDX_BATCH_LINGER_MS', '500', 'RDX_BATCH_LINGER_MS: must be between 0 and 100'],
    ['RDX_ROLES', 'api,mailer', 'RDX_ROLES: unknown role "mailer"; use api, worker or both'],
    [
      'RDX_ROLES',
      'worker',
      'RDX_ROLES: the embedded in-process bus runs api and worker in one process; set RDX_AMQP_URL to split them',
    ],
    [
      'RDX_RETRY_DELAYS',
      '5,soon',
      'RDX_RETRY_DELAYS: must be up to 50 comma-separated whole numbers of seconds, e.g. 5,300,1800',
    ],
    ['RDX_WEBHOOK_ALLOW_PRIVATE', 'yes', 'RDX_WEBHOOK_ALLOW_PRIVATE: must be true or false'],
    ['RDX_DATABASE_URL', 'mysql://x', 'RDX_DATABASE_URL: must start with postgres:// or sqlite:'],
    ['RDX_AMQP_URL', 'http://mq', 'RDX_AMQP_URL: must start with amqp:// or amqps://'],
    [
      'RDX_STATISTICS_MIN_CELL',
      '5',
      'RDX_STATISTICS_MIN_CELL: can only be raised: at least 11, the small-cell threshold of the aggregate-statistics schema',
    ],
    ['RDX_ADMIN_TOKEN', 'short', 'RDX_ADMIN_TOKEN: must be at least 32 characters (use a random secret)'],
  ])('stops on a bad %s, naming it and not echoing the value', (variable, value, message) => {
    const attempt = () => loadConfig({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('names the RDX_* variables it does not know, with the setting a typo most likely meant', () => {
    const config = loadConfig({
      RDX_RATE_LIMIT_BURST: '5000',
      RDX_PROT: '9000',
      RDX_SOMETHING_ELSE_ENTIRELY: 'x',
      RDX_PARTICIPANT: 'KH.CNP',
      RDX_KEY_FILE: './kh.jwk',
      RDX_TEST_DATABASE_URL: 'postgres://t@localhost/t',
      RDX_RATE_BURST: '10',
      PATH: '/usr/bin',
    });
    expect(config.rateLimit.burst).toBe(10);
    expect(config.unknownVariables).toEqual([
      { name: 'RDX_PROT', suggestion: 'RDX_PORT' },
      { name: 'RDX_RATE_LIMIT_BURST', suggestion: 'RDX_RATE_BURST' },
      { name: 'RDX_SOMETHING_ELSE_ENTIRELY', suggestion: undefined },
    ]);
    expect(loadConfig({ RDX_PORT: '1', RDX_GATEWAY: 'https://rdx.example' }).unknownVariables).toEqual([]);
  });
});
