import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SchemaRegistry } from './schema.registry';

/** Where `npm run schemas` writes the JSON Schemas, relative to the repository root. */
export const SCHEMAS_DIRECTORY = 'schemas';
const SUFFIX = '.schema.json';

/** The file a type's JSON Schema is published in, e.g. "org.asean.rdx.locate-request.v1.schema.json". */
export function schemaFileName(type: string): string {
  return `${type}${SUFFIX}`;
}

/** True for a file name this writer owns; anything else in the directory is left alone. */
export function isSchemaFileName(name: string): boolean {
  return name.endsWith(SUFFIX);
}

/** Each catalogue type's JSON Schema with the file name it is published under. */
export function schemaFiles(registry = new SchemaRegistry()): { fileName: string; schema: object }[] {
  return registry
    .list()
    .map(({ type }) => ({ fileName: schemaFileName(type), schema: registry.jsonSchema(type)! }));
}

/**
 * Writes every type's JSON Schema into `directory`, formatted as the repository's Prettier formats it, and
 * deletes the schema files of types that left the catalogue. Returns the names written and removed.
 */
export async function writeSchemaFiles(directory: string): Promise<{ written: string[]; removed: string[] }> {
  // Loaded here, not at the top: Prettier is a dev dependency and loads as an ES module, which the unit
  // specs importing this file's helpers cannot do.
  const prettier = await import('prettier');
  await mkdir(directory, { recursive: true });
  const files = schemaFiles();
  for (const { fileName, schema } of files) {
    const path = join(directory, fileName);
    const options = await prettier.resolveConfig(path);
    const text = await prettier.format(JSON.stringify(schema, null, 2), { ...options, filepath: path });
    await writeFile(path, text);
  }
  const expected = new Set(files.map(({ fileName }) => fileName));
  const removed = (await readdir(directory)).filter((name) => isSchemaFileName(name) && !expected.has(name));
  for (const name of removed) await rm(join(directory, name));
  return { written: [...expected], removed };
}

if (require.main === module) {
  const directory = resolve(process.argv[2] ?? SCHEMAS_DIRECTORY);
  writeSchemaFiles(directory).then(
    ({ written, removed }) => {
      console.log(`${written.length} schemas written to ${directory}`);
      for (const name of removed) console.log(`removed stale ${name}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
