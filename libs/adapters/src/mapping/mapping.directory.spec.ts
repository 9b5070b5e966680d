import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Test } from '@nestjs/testing';
import { AdapterRegistry } from '../adapter.registry';
import { AdaptersModule } from '../adapters.module';
import { UnusableInput } from '../contract';
import { mappingAdapters, UnloadableMapping } from './mapping.directory';
import { MappingAdapter } from './mapping.inbound';
import { MappingError } from './mapping.model';

const INSTALLED = resolve(__dirname, '../../../../config/adapters');
const VN = readFileSync(join(INSTALLED, 'vn.yaml'), 'utf8');
const lineOf = (text: string, marker: string) => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rdx-mapping-directory-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the installed mappings (config/adapters/*.yaml)', () => {
  it('all load, one adapter per country', () => {
    const adapters = mappingAdapters();
    expect(adapters.map((a) => [a.country, a instanceof MappingAdapter])).toEqual(
      ['BN', 'LA', 'MM', 'SG', 'TL', 'VN'].map((country) => [country, true]),
    );
  });

  it('keep a country whose mapping does not load, refusing every file with the reason (exit 2)', async () => {
    const folder = mkdtempSync(join(dir, 'installed-'));
    writeFileSync(join(folder, 'vn.yaml'), VN.replace('CA: police', 'CA: polis'));
    writeFileSync(join(folder, 'la.yaml'), VN);
    const [la, vn] = mappingAdapters(folder);
    expect(la).toBeInstanceOf(UnloadableMapping);
    expect((la as UnloadableMapping).error.key).toBe('country');
    expect(vn).toBeInstanceOf(UnloadableMapping);
    const iterator = vn.convert('any.csv')[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow(UnusableInput);
    await expect(vn.convert('any.csv')[Symbol.asyncIterator]().next()).rejects.toThrow(
      `${join(folder, 'vn.yaml')}:${lineOf(VN, 'CA: police')}: fields.custody.type.map.CA: the schema refuses it`,
    );
  });
});

describe('AdapterRegistry with mappings', () => {
  let registry: AdapterRegistry;

  beforeAll(async () => {
    registry = (await Test.createTestingModule({ imports: [AdaptersModule] }).compile()).get(AdapterRegistry);
  });

  it('registers the installed mappings beside the coded adapters, by country', () => {
    expect(registry.inbound('KH')).not.toBeInstanceOf(MappingAdapter);
    for (const country of ['BN', 'la', 'MM', 'SG', 'TL', 'VN'])
      expect(registry.inbound(country)).toBeInstanceOf(MappingAdapter);
  });

  it('gives an adapter from a mapping file, for its own country only', () => {
    const file = join(dir, 'trial.yaml');
    writeFileSync(file, VN.replace('"+84"', '"+84" # on trial'));
    expect((registry.fromMapping(file, 'vn') as MappingAdapter).mapping.file).toBe(file);
    expect(() => registry.fromMapping(file, 'LA')).toThrow(MappingError);
    expect(() => registry.fromMapping(file, 'LA')).toThrow(
      `${file}:1: country: is VN, but the mapping is used for LA`,
    );
  });
});
