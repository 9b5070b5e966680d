import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { UnusableInput } from '../contract';
import { parsedText } from './utf8';

/** One data row of a CSV file: its number (from 1, the header and skipped lines not counted) and its values by column. */
export interface CsvRow {
  record: number;
  values: Readonly<Record<string, string>>;
}

/** A blank line, or one of white space and commas only: skipped, not counted. */
const blank = (values: readonly string[]) => values.every((v) => v.trim() === '');

function rows(file: string) {
  return createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
}

/**
 * A CSV file's rows (RFC 4180 quoting, a header line, columns in any order), streamed. The
 * first pass checks the encoding, that the CSV parses, and that each column of `required` is
 * there (`requiredOneOf`: at least one of each group), so that an unusable file is refused
 * before the first row is converted.
 */
export async function* csvRows(
  file: string,
  required: readonly string[],
  requiredOneOf: readonly (readonly string[])[] = [],
): AsyncIterable<CsvRow> {
  let header: string[] | undefined;
  try {
    // One pass checks both: the text is decoded strictly as UTF-8 on its way into the parser.
    const checked = parsedText(file, parse({ relax_column_count: true, skip_empty_lines: true }));
    for await (const row of checked) {
      header ??= (row as string[]).map((name) => name.trim());
    }
  } catch (error) {
    if (error instanceof UnusableInput) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new UnusableInput(`cannot read ${file}: ${code}`);
    if ((error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new UnusableInput(`${file} is not UTF-8`);
    }
    throw new UnusableInput(`${file} is not a CSV file: ${(error as Error).message}`);
  }
  if (header === undefined) throw new UnusableInput(`${file} is empty: no header line`);
  const missing = required.filter((column) => !header!.includes(column));
  for (const group of requiredOneOf)
    if (!group.some((c) => header!.includes(c))) missing.push(group.join(' or '));
  if (missing.length > 0) throw new UnusableInput(`${file} has no column ${missing.join(', ')}`);

  let record = 0;
  let first = true;
  for await (const row of rows(file)) {
    if (first) {
      first = false;
      continue;
    }
    const cells = row as string[];
    if (blank(cells)) continue;
    record++;
    const values: Record<string, string> = {};
    header.forEach((name, i) => {
      if (cells[i] !== undefined && !(name in values)) values[name] = cells[i];
    });
    yield { record, values };
  }
}
