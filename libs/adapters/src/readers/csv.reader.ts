import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { UnusableInput } from '../contract';
import { csvSyntaxProblem } from './csv-syntax';

/** One data row of a CSV file: its number (from 1, the header and skipped lines not counted) and its values by column. */
export interface CsvRow {
  record: number;
  values: Readonly<Record<string, string>>;
}

/** A blank line, or one of white space and commas only: skipped, not counted. */
const blank = (values: readonly string[]) => values.every((v) => v.trim() === '');

/** The parser's rows; a failure it finds that the first pass did not (none should) still makes the file unusable. */
async function* parsedRows(file: string): AsyncIterable<unknown> {
  try {
    yield* createReadStream(file).pipe(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
    );
  } catch (error) {
    throw new UnusableInput(`${file} is not a usable CSV file: ${(error as Error).message}`);
  }
}

/**
 * A CSV file's rows (RFC 4180 quoting, a header line, columns in any order), streamed. The
 * first pass checks the encoding and the quoting ({@link csvSyntaxProblem}), and that each column of `required` is
 * there (`requiredOneOf`: at least one of each group), so that an unusable file is refused
 * before the first row is converted.
 */
export async function* csvRows(
  file: string,
  required: readonly string[],
  requiredOneOf: readonly (readonly string[])[] = [],
): AsyncIterable<CsvRow> {
  let problem: string | undefined;
  try {
    problem = await csvSyntaxProblem(file);
  } catch (error) {
    throw new UnusableInput(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (problem !== undefined) throw new UnusableInput(`${file} is not a usable CSV file: ${problem}`);
  let header: string[] | undefined;
  for await (const row of createReadStream(file).pipe(parse({ bom: true, to_line: 1 }))) {
    header = (row as string[]).map((name) => name.trim());
  }
  if (header === undefined) throw new UnusableInput(`${file} is empty: no header line`);
  const missing = required.filter((column) => !header!.includes(column));
  for (const group of requiredOneOf)
    if (!group.some((c) => header!.includes(c))) missing.push(group.join(' or '));
  if (missing.length > 0) throw new UnusableInput(`${file} has no column ${missing.join(', ')}`);

  let record = 0;
  let first = true;
  for await (const row of parsedRows(file)) {
    if (first) {
      first = false;
      continue;
    }
    const cells = row as string[];
    if (blank(cells)) continue;
    record++;
    const values: Record<string, string> = {};
    // The first of two columns with one name counts.
    for (let i = header.length - 1; i >= 0; i--) if (cells[i] !== undefined) values[header[i]] = cells[i];
    yield { record, values };
  }
}
