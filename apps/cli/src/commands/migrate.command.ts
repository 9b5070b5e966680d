import { Command } from 'commander';

/**
 * `rdx migrate [status]`: the database of RDX_DATABASE_URL brought up to date ahead of a
 * deployment (the gateway also migrates at boot). The persistence layer is loaded only here, so
 * the agencies' commands never load it.
 */
export function migrateCommand(program: Command): void {
  const migrate = program
    .command('migrate')
    .description('bring the database of RDX_DATABASE_URL up to date, then list its migrations (operators)')
    .action(async () => listMigrations(true));
  migrate
    .command('status')
    .description('list the migrations of RDX_DATABASE_URL and whether each has run')
    .action(async () => listMigrations(false));
}

async function listMigrations(run: boolean): Promise<void> {
  await import('reflect-metadata');
  const { loadConfig } = await import('@rdx/config');
  const { createDataSource, openAndMigrate } = await import('@rdx/persistence');
  const config = loadConfig(process.env);
  const dataSource = createDataSource(config.database);
  try {
    if (run) await openAndMigrate(dataSource);
    else await dataSource.initialize();
    const applied = new Set(
      (await dataSource.query('SELECT name FROM rdx_migrations').catch(() => [] as { name: string }[])).map(
        (row: { name: string }) => row.name,
      ),
    );
    for (const migration of dataSource.migrations) {
      process.stdout.write(`${applied.has(migration.name!) ? 'applied' : 'pending'}  ${migration.name}\n`);
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
