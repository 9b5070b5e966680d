import { startApi } from './baseline-api';
import { startWorker } from './baseline-worker';
import { BaselineConfig, loadConfig } from './config';

/**
 * The baseline pipeline of the benchmark: the same job as the gateway's publish path (verify,
 * store, enqueue, route into inboxes), written by hand with no framework, to measure what the
 * gateway's structure costs. Usage: `main.js <api|worker>`, configured by BASELINE_* variables.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  const stop = await start(config);
  if (config.role === 'worker') process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('baseline: stopping failed:', error);
        process.exit(1);
      },
    );
  });
}

function start(config: BaselineConfig): Promise<() => Promise<void>> {
  switch (config.role) {
    case 'api':
      return startApi(config);
    case 'worker':
      return startWorker(config);
  }
}

main().catch((error: unknown) => {
  console.error('baseline: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
