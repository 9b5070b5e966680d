#!/usr/bin/env node
// The API fuzz test (test/e2e/fuzz.e2e-spec.ts) for longer than the default test run:
//   npm run fuzz -- --runs 5000 [--seed 42] [--backend embedded|production]
// It needs the same PostgreSQL and RabbitMQ as `npm test`.
const { spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const usage = 'usage: npm run fuzz -- [--runs N] [--seed S] [--backend embedded|production]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5000' },
      seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const integer = (name) => {
  const value = Number(values[name]);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer\n${usage}`);
    process.exit(2);
  }
  return String(value);
};
if (values.backend !== undefined && !['embedded', 'production'].includes(values.backend)) {
  console.error(`--backend must be embedded or production\n${usage}`);
  process.exit(2);
}
const env = { ...process.env, RDX_FUZZ_RUNS: integer('runs'), RDX_FUZZ_SEED: integer('seed') };
if (values.backend !== undefined) env.RDX_FUZZ_BACKEND = values.backend;
console.log(
  `fuzzing with --runs ${env.RDX_FUZZ_RUNS} --seed ${env.RDX_FUZZ_SEED} (a failure prints its counterexample)`,
);
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--selectProjects=e2e', '--runTestsByPath', 'test/e2e/fuzz.e2e-spec.ts'],
  {
    env,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
