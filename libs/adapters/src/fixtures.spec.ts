import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { AdapterRegistry } from './adapter.registry';
import { INBOUND_ADAPTERS, OUTBOUND_ADAPTERS } from './contract';
import { AdaptersModule } from './adapters.module';
import { runConvert } from './convert.runner';
import { runRender } from './render.runner';
import { Test } from '@nestjs/testing';

/** The shared fixtures, beside the project (FORMATS.md section 10). */
const FIXTURES = resolve(__dirname, '../../../../shared/adapters/fixtures');

/** Every fixture found by walking the folder, so that one added later is tested too. */
function inboundFixtures(): { country: string; input: string; base: string }[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(FIXTURES, d.name))
        .filter((f) => /\.(csv|json|xml)$/.test(f) && !/\.(expected|message)\.json$/.test(f))
        .map((f) => ({
          country: d.name.toUpperCase(),
          input: join(FIXTURES, d.name, f),
          base: join(FIXTURES, d.name, f.replace(/\.\w+$/, '')),
        })),
    );
}

const collect = (stream: PassThrough) => {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
};

describe('every inbound fixture of shared/adapters/fixtures', () => {
  let registry: AdapterRegistry;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ imports: [AdaptersModule] }).compile();
    registry = module.get(AdapterRegistry);
    expect(module.get(INBOUND_ADAPTERS)).toBeInstanceOf(Array);
    expect(module.get(OUTBOUND_ADAPTERS)).toBeInstanceOf(Array);
  });

  it('finds the fixtures', () => {
    expect(existsSync(FIXTURES)).toBe(true);
    expect(inboundFixtures().length).toBeGreaterThan(10);
  });

  it('has an adapter for every country with fixtures', () => {
    const countries = [...new Set(inboundFixtures().map((f) => f.country))];
    expect(countries.length).toBe(11);
    expect(countries.filter((c) => registry.inbound(c) === undefined)).toEqual([]);
  });

  it.each(inboundFixtures().map((f) => [`${f.country} ${f.input.split('/').pop()}`, f] as const))(
    'converts %s exactly as expected',
    async (_name, fixture) => {
      const adapter = registry.inbound(fixture.country)!;
      expect(adapter).toBeDefined();
      const out = new PassThrough();
      const err = new PassThrough();
      const [stdout, stderr] = [collect(out), collect(err)];
      const code = await runConvert(adapter, fixture.input, out, err);
      const expectedExit = Number(readFileSync(`${fixture.base}.expected-exit`, 'utf8').trim());
      const expectedMessages = existsSync(`${fixture.base}.expected.ndjson`)
        ? readFileSync(`${fixture.base}.expected.ndjson`, 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l))
        : [];
      const expectedProblems = existsSync(`${fixture.base}.expected-errors.txt`)
        ? readFileSync(`${fixture.base}.expected-errors.txt`, 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => l.replace('\t', ' '))
            .sort()
        : [];
      const problems = stderr()
        .split('\n')
        .filter((l) => l.startsWith('record '))
        .map((l) => /^record (\d+): field (.+?): /.exec(l)!)
        .map((m) => `${m[1]} ${m[2]}`);
      expect({
        code,
        messages: stdout()
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l)),
        problems: [...new Set(problems)].sort(),
      }).toEqual({
        code: expectedExit,
        messages: expectedMessages,
        problems: [...new Set(expectedProblems)].sort(),
      });
      if (expectedExit === 2) expect(stdout()).toBe('');
    },
  );
});

function outboundFixtures(): { country: string; input: string; base: string }[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(FIXTURES, d.name))
        .filter((f) => f.endsWith('.message.json'))
        .map((f) => ({
          country: d.name.toUpperCase(),
          input: join(FIXTURES, d.name, f),
          base: join(FIXTURES, d.name, f.replace(/\.message\.json$/, '')),
        })),
    );
}

describe('every outbound fixture of shared/adapters/fixtures', () => {
  let registry: AdapterRegistry;

  beforeAll(async () => {
    registry = (await Test.createTestingModule({ imports: [AdaptersModule] }).compile()).get(AdapterRegistry);
  });

  it('has an outbound adapter for every country with outbound fixtures', () => {
    const countries = [...new Set(outboundFixtures().map((f) => f.country))];
    expect(countries.length).toBeGreaterThan(0);
    expect(countries.filter((c) => registry.outbound(c) === undefined)).toEqual([]);
  });

  it.each(outboundFixtures().map((f) => [`${f.country} ${f.input.split('/').pop()}`, f] as const))(
    'renders %s exactly as expected',
    async (_name, fixture) => {
      const adapter = registry.outbound(fixture.country);
      expect(adapter).toBeDefined();
      const out = new PassThrough();
      const err = new PassThrough();
      const [stdout, stderr] = [collect(out), collect(err)];
      const code = await runRender(adapter, fixture.country, fixture.input, out, err);
      const expectedExit = existsSync(`${fixture.base}.expected-exit`)
        ? Number(readFileSync(`${fixture.base}.expected-exit`, 'utf8').trim())
        : 0;
      expect({ code, stderr: code === 0 ? '' : expect.any(String) }).toEqual({
        code: expectedExit,
        stderr: code === 0 ? stderr() : expect.any(String),
      });
      if (expectedExit === 0) {
        const expected = readFileSync(`${fixture.base}.expected.json`, 'utf8');
        expect(JSON.parse(stdout())).toEqual(JSON.parse(expected));
        // Two-space indent, a newline at the end, names in their own scripts as they are.
        expect(stdout()).toBe(`${JSON.stringify(JSON.parse(expected), null, 2)}\n`);
      } else {
        expect(stdout()).toBe('');
      }
    },
  );
});
