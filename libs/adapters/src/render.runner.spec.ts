import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { OutboundAdapter } from './contract';
import { RENDER_EXIT, runRender } from './render.runner';
import { VICTIM_NOTIFICATION } from './victim-notification';

/** Renders any victim notification it is given, so that only the runner's own checks can refuse. */
const anyRecord: OutboundAdapter = {
  country: 'ID',
  types: [VICTIM_NOTIFICATION],
  render: () => ({ ok: true }),
};

let folder: string;
beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'render-'))));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function render(message: unknown): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(folder, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(message));
  const [out, err] = [new PassThrough(), new PassThrough()];
  let [stdout, stderr] = ['', ''];
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await runRender(anyRecord, 'ID', file, out, err);
  return { code, stdout, stderr };
}

describe('runRender', () => {
  it('refuses, exit 2, a message whose data its type does not allow, and writes nothing', async () => {
    const result = await render({
      type: VICTIM_NOTIFICATION,
      id: '0d7c3e5a-8f1b-4c2d-9e6f-7a8b9c0d1e2f',
      data: { caseRef: 'KH-CNP-1', persons: [{ names: [], nationalities: ['ID'] }] },
    });
    expect(result).toEqual({
      code: RENDER_EXIT.unusable,
      stdout: '',
      stderr: expect.stringMatching(/not valid/),
    });
  });

  it('refuses, exit 2, input that is not a message', async () => {
    expect((await render([1, 2])).code).toBe(RENDER_EXIT.unusable);
  });

  it('renders a valid message', async () => {
    const message = {
      type: VICTIM_NOTIFICATION,
      messageId: '0d7c3e5a-8f1b-4c2d-9e6f-7a8b9c0d1e2f',
      data: {
        caseRef: 'KH-CNP-1',
        persons: [
          {
            names: [{ value: 'Siti' }],
            sex: 'female',
            nationalities: ['ID'],
            isMinor: false,
            victimObjectsToNotification: false,
            fearsPersecutionAtHome: false,
          },
        ],
        location: { country: 'KH', place: 'Bavet' },
        custody: { type: 'police', custodian: 'Bavet police' },
        identificationStatus: 'presumed',
        needs: [],
        identifiedOn: '2026-01-02',
      },
    };
    expect(await render(message)).toEqual({
      code: RENDER_EXIT.rendered,
      stdout: '{\n  "ok": true\n}\n',
      stderr: '',
    });
  });
});
