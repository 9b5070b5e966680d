#!/usr/bin/env node
// The `rdx` command line. It runs the compiled code in dist/ (`npm install` builds it, through
// the `prepare` script; `npm run build` does it again after a change).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`rdx: ${main} is missing; run \`npm run build\` in ${join(__dirname, '..')}\n`);
  process.exit(2);
}
require('../scripts/register-paths.js');
require(main);
