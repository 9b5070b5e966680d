import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childNamed, xmlRecords } from './xml.reader';

describe('xmlRecords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdx-xml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a CDATA section as the text it holds', async () => {
    const file = join(dir, 'cdata.xml');
    writeFileSync(file, '<Root><Case><Place>Shelter <![CDATA[& <home>]]> Tak</Place></Case></Root>');
    const places: string[] = [];
    for await (const { element } of xmlRecords(file, 'Root', 'Case'))
      places.push(childNamed(element, 'Place')!.text);
    expect(places).toEqual(['Shelter & <home> Tak']);
  });
});
