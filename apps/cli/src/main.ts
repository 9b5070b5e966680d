import 'reflect-metadata';
import { ConfigError, loadConfig } from '@rdx/config';
import { createDataSource, openAndMigrate } from '@rdx/persistence';

const USAGE = `usage: npm run migration:run      (or: node -r ./scripts/register-paths.js dist/apps/cli/src/main.js migrate)

  migrate   brings the database of RDX_DATABASE_URL up to date, then lists its migrations
  status    lists the migrations and whether each has run`;

/** Operators' command line: database migrations ahead of a deployment (the gateway also migrates at boot). */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'migrate' && command !== 'status') {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(process.env);
  const dataSource = createDataSource(config.database);
  try {
    if (command === 'migrate') await openAndMigrate(dataSource);
    else await dataSource.initialize();
    const applied = new Set(
      (await dataSource.query('SELECT name FROM rdx_migrations').catch(() => [] as { name: string }[])).map(
        (row: { name: string }) => row.name,
      ),
    );
    for (const migration of dataSource.migrations) {
      console.log(`${applied.has(migration.name!) ? 'applied' : 'pending'}  ${migration.name}`);
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `RDX cannot start: ${error.message}` : error);
  process.exit(1);
});
