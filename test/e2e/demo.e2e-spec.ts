import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('npm run demo, the README’s first command', () => {
  it('plays the whole exchange on the embedded default, every check holding', async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((done, fail) => {
      const child = spawn(
        process.execPath,
        ['-r', resolve(ROOT, 'scripts/register-paths.js'), resolve(ROOT, 'dist/apps/demo/src/main.js')],
        { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', fail);
      child.once('close', (exitCode) => done({ code: exitCode, output }));
    });
    expect({ code, tail: output.slice(-300) }).toEqual({
      code: 0,
      tail: expect.stringContaining('every check held'),
    });
    expect(output).toContain('Step 7/7');
    expect(output).not.toContain('FAILED');
  });
});
