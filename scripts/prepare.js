// npm runs this after `npm install` and `npm ci` in the checkout: it builds dist/, so that
// `npx rdx` (bin/rdx.js) works at once. A Docker layer that holds only the package files has
// nothing to build yet, and skips it.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
if (!existsSync(join(root, 'tsconfig.build.json'))) process.exit(0);
const npm = process.env.npm_execpath;
const result = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
