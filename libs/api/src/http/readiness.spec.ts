import { RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { BusTransport, MessageBus } from '@rdx/messaging';
import { Database, MIGRATIONS } from '@rdx/persistence';
import { Readiness } from './readiness';

const ALL_MIGRATIONS = MIGRATIONS.map((m) => ({ name: new m().name }));

/** A readiness check over fakes: the database answering with these migrations, the broker's links. */
function aReadiness(
  options: {
    databaseUp?: boolean;
    migrations?: { name: string }[];
    publisher?: boolean;
    consumer?: boolean;
    roles?: RdxConfig['roles'];
  } = {},
): Readiness {
  const db = {
    ping: () => (options.databaseUp === false ? Promise.reject(new Error('down')) : Promise.resolve()),
    query: () => Promise.resolve(options.migrations ?? ALL_MIGRATIONS),
  } as unknown as Database;
  const bus = { isReady: () => options.publisher ?? true } as unknown as MessageBus;
  const transport = { isConsuming: () => options.consumer ?? true } as unknown as BusTransport;
  const config = { roles: options.roles ?? ['api', 'worker'] } as RdxConfig;
  return new Readiness(config, db, bus, transport);
}

async function refusal(readiness: Readiness): Promise<RdxError> {
  const error = await readiness.check().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RdxError);
  expect((error as RdxError).problem).toBe('unavailable');
  return error as RdxError;
}

describe('Readiness', () => {
  it('is ready with the database up, the schema current and the broker up', async () => {
    await expect(aReadiness().check()).resolves.toEqual({
      status: 'ready',
      database: 'up',
      schema: 'current',
      broker: 'up',
    });
  });

  it('stays ready, degraded, when a link to the broker is down: acceptance goes on into the outbox', async () => {
    for (const links of [{ publisher: false }, { consumer: false }])
      await expect(aReadiness(links).check()).resolves.toMatchObject({ status: 'degraded', broker: 'down' });
    // A link this process does not have does not count.
    await expect(aReadiness({ consumer: false, roles: ['api'] }).check()).resolves.toMatchObject({
      status: 'ready',
    });
  });

  it('is unready when the database does not answer', async () => {
    expect((await refusal(aReadiness({ databaseUp: false }))).detail).toMatch(/database does not answer/);
  });

  it('is unready when the schema is behind or ahead of this version', async () => {
    expect((await refusal(aReadiness({ migrations: ALL_MIGRATIONS.slice(0, 1) }))).detail).toMatch(
      /lacks migrations/,
    );
    const newer = [...ALL_MIGRATIONS, { name: 'Later1999999999999' }];
    expect((await refusal(aReadiness({ migrations: newer }))).detail).toMatch(/newer version/);
  });

  it('is unready from the start of shutdown, so that a load balancer drains it', async () => {
    const readiness = aReadiness();
    readiness.onModuleDestroy();
    expect((await refusal(readiness)).detail).toMatch(/shutting down/);
    expect((await refusal(readiness)).extra.retryAfterSeconds).toBe(5);
  });
});
