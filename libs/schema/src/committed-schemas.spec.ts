import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSchemaFileName, SCHEMAS_DIRECTORY, schemaFiles } from './schema-files.writer';

const directory = join(__dirname, '..', '..', '..', SCHEMAS_DIRECTORY);
const FIX = 'run npm run schemas';

// Compares content, not layout: key order counts, whitespace is Prettier's business (npm run check).
function canonical(json: string): string {
  return JSON.stringify(JSON.parse(json));
}

describe(`the JSON Schemas committed in ${SCHEMAS_DIRECTORY}/`, () => {
  const expected = schemaFiles();
  const committed = existsSync(directory) ? readdirSync(directory).filter(isSchemaFileName) : [];

  it('are what the code generates, one per catalogue type', () => {
    const problems = expected.flatMap(({ fileName, schema }) => {
      if (!committed.includes(fileName)) return [`${fileName} is missing: ${FIX}`];
      const text = readFileSync(join(directory, fileName), 'utf8');
      if (!text.endsWith('}\n')) return [`${fileName} does not end with a newline: ${FIX}`];
      let differs: boolean;
      try {
        differs = canonical(text) !== JSON.stringify(schema);
      } catch {
        differs = true;
      }
      return differs ? [`${fileName} differs from the code: ${FIX}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('hold no schema of a type that left the catalogue', () => {
    const names = new Set(expected.map(({ fileName }) => fileName));
    const stale = committed.filter((name) => !names.has(name));
    expect(stale.map((name) => `${name} is stale: ${FIX}`)).toEqual([]);
  });
});
