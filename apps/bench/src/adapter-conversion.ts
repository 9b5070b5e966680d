import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { ROOT } from './child-service';

/** What converting a KH register measured, and the bare CSV parse of the same file beside it. */
export interface AdapterConversion {
  records: number;
  messages: number;
  recordsPerSec: number;
  /** The same file through csv-parse alone, in the same run: what conversion is measured against. */
  parseRecordsPerSec: number;
  ratio: number;
  peakRssMiB: number;
}

const KH_HEADER =
  'case_no,rescue_date,province,place,custody,custodian,status,needs,name_latin,name_khmer,alias,sex,dob,dob_estimated,minor,nationality,passport_no,passport_issuer,passport_held,phone,languages,objects_notification,fears_persecution,consular';

/** A KH rescue register of `rows` rows, cases of four persons, written by streaming. */
async function writeRegister(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${KH_HEADER}\n`);
  for (let i = 0; i < rows; i++) {
    const row = `CNP-2026-${Math.floor(i / 4)},26/11/2026,18,"Provincial shelter, Sihanoukville",SH,Department of Social Affairs,I,MED;PSY,Siti Rahmawati ${i},ស៊ីទី ${i % 10},,F,14/03/1998,,,IDN,X${1000000 + i},,EXPL,+62 812-3456-${String(i % 10000).padStart(4, '0')},id jv,N,N,Y\n`;
    if (!out.write(row)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

/** Runs one measurement in a child process of its own, so that its peak memory is its own. */
function measure(
  mode: 'convert' | 'parse',
  file: string,
): Promise<{ messages: number; ms: number; maxRssKiB: number }> {
  const child = fork(join(__dirname, 'adapter-conversion.child.js'), [mode, file], {
    execArgv: ['-r', resolve(ROOT, 'scripts/register-paths.js')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    child.once('message', (m) => done(m as never));
    child.once('exit', (code) =>
      code === 0 ? undefined : fail(new Error(`the ${mode} child exited ${code}`)),
    );
  });
}

/**
 * The adapters' throughput: a generated KH register of `rows` rows converted as `rdx adapter
 * convert` does it, beside csv-parse reading the same file, each in its own process.
 */
export async function adapterConversion(
  rows: number,
  log: (line: string) => void,
): Promise<AdapterConversion> {
  const dir = await mkdtemp(join(tmpdir(), 'rdx-bench-adapter-'));
  try {
    const file = join(dir, 'kh-register.csv');
    await writeRegister(file, rows);
    log(`adapter conversion: a KH register of ${rows.toLocaleString('en')} rows`);
    const parse = await measure('parse', file);
    const convert = await measure('convert', file);
    const result = {
      records: rows,
      messages: convert.messages,
      recordsPerSec: Math.round(rows / (convert.ms / 1000)),
      parseRecordsPerSec: Math.round(rows / (parse.ms / 1000)),
      ratio: 0,
      peakRssMiB: Math.round(convert.maxRssKiB / 1024),
    };
    result.ratio = Math.round((result.recordsPerSec / result.parseRecordsPerSec) * 100) / 100;
    log(
      `  ${result.recordsPerSec}/s converted (csv-parse alone ${result.parseRecordsPerSec}/s, ratio ${result.ratio}), ${result.messages} messages, peak RSS ${result.peakRssMiB} MiB`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
