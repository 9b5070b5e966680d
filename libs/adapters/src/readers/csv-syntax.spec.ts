import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvSyntaxProblem } from './csv-syntax';

describe('csvSyntaxProblem, the first pass over a CSV file', () => {
  let folder: string;
  beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'csv-syntax-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };

  it('takes RFC 4180 quoting: quoted commas, line ends and doubled quotes, CRLF, a byte-order mark', async () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n,,\r\nplain,text,1\n';
    expect(await csvSyntaxProblem(file('good.csv', text))).toBeUndefined();
  });

  it('refuses a quote inside an unquoted field, text after a closing quote, and a quote never closed', async () => {
    expect(await csvSyntaxProblem(file('a.csv', 'a,b\nx"y,z\n'))).toBe(
      'line 2: a quote inside an unquoted field',
    );
    expect(await csvSyntaxProblem(file('b.csv', 'a,b\n"x"y,z\n'))).toBe(
      'line 2: text after the closing quote of a field',
    );
    expect(await csvSyntaxProblem(file('c.csv', 'a,b\n"x,z\n'))).toBe('a quoted field is never closed');
  });

  it('refuses bytes that are not UTF-8, and takes a character split between two reads', async () => {
    expect(await csvSyntaxProblem(file('latin1.csv', Buffer.from('a,b\ncaf\xe9,1\n', 'latin1')))).toBe(
      'it is not UTF-8',
    );
    expect(await csvSyntaxProblem(file('cut.csv', Buffer.from([0x61, 0x0a, 0xe2, 0x82])))).toBe(
      'it is not UTF-8',
    );
    // ស is three bytes; placed across the 64 KiB read boundary.
    const padding = 'x'.repeat(65536 - 1);
    expect(await csvSyntaxProblem(file('split.csv', `${padding}ស,1\n`))).toBeUndefined();
  });
});
