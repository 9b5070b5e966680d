import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InboundAdapter, Outcome, UnusableInput } from '../contract';
import { MappingAdapter } from './mapping.inbound';
import { loadMapping } from './mapping.loader';
import { MappingError } from './mapping.model';

/** Where the installed mappings are, relative to the project's root. */
export const MAPPINGS_DIRECTORY = join('config', 'adapters');

/** The project's root, found from where this file runs (src or dist), not from the working directory. */
export function projectRoot(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * An adapter for each mapping installed as `config/adapters/<cc>.yaml`, its country the file's
 * name. Each is loaded and checked now; one that does not load still answers for its country,
 * with its {@link MappingError} as the reason `convert` refuses (exit 2), so that one broken
 * mapping does not take the other countries down with it.
 */
export function mappingAdapters(
  directory = join(projectRoot() ?? '.', MAPPINGS_DIRECTORY),
): InboundAdapter[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => /^[a-z]{2}\.yaml$/.test(name))
    .sort()
    .map((name) => {
      const country = name.slice(0, 2).toUpperCase();
      try {
        return new MappingAdapter(loadMapping(join(directory, name), { country }));
      } catch (error) {
        if (error instanceof MappingError) return new UnloadableMapping(country, error);
        throw error;
      }
    });
}

/** A country whose installed mapping does not load: every conversion is refused with the reason. */
export class UnloadableMapping implements InboundAdapter {
  constructor(
    readonly country: string,
    readonly error: MappingError,
  ) {}

  async *convert(): AsyncIterable<Outcome> {
    throw new UnusableInput(this.error.message);
  }
}
