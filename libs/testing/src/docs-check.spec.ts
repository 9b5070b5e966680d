// The documentation check of `npm run check` (scripts/check-docs.js): documents describe the system
// as it is, so none is longer than 400 lines and no heading reads as a diary entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const docs = require('../../../scripts/check-docs') as {
  checkDocument(text: string): { line: number; reason: string }[];
  findDocuments(root?: string): string[];
  MAX_LINES: number;
};

const { checkDocument, findDocuments, MAX_LINES } = docs;

const clean = [
  '# Performance',
  '',
  'What the bench measures and how.',
  '',
  '## Latest results',
  '',
  '| measure | gateway |',
  '| ------- | ------: |',
  '| ratio   |    0.88 |',
  '',
  '```bash',
  '# a comment in a code block is not a heading: day 3, 2026-11-28',
  'npm run bench -- --quick',
  '```',
  '',
].join('\n');

const withHeading = (heading: string) => `${clean}\n${heading}\n\nText.\n`;
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('the docs check', () => {
  it('accepts a reference document', () => {
    expect(checkDocument(clean)).toEqual([]);
  });

  it(`accepts ${MAX_LINES} lines and refuses ${MAX_LINES + 1}`, () => {
    expect(MAX_LINES).toBe(400);
    expect(checkDocument(lines(400))).toEqual([]);
    expect(checkDocument(lines(401))).toEqual([{ line: 401, reason: expect.stringMatching(/401 lines/) }]);
  });

  it.each([
    "## The fifth day's reference run",
    '### Day 3',
    '## Day 12: plans made again',
    '## Plans made again as the tables grow (the fourteenth day)',
    "## The 3rd day's run",
    '## Days 3 to 5',
    '## Results (2026-11-28)',
    '## Results of 28 November',
    '## November 28, a slower machine',
    '## What changed yesterday',
    '## Where the time goes today',
    '## What this session measured',
    '## The evening before, on a faster machine',
  ])('refuses the heading %j', (heading) => {
    const problems = checkDocument(withHeading(heading));
    expect(problems).toHaveLength(1);
    expect(problems[0].reason).toMatch(/diary entry/);
    expect(problems[0].reason).toContain(heading);
    expect(problems[0].line).toBe(clean.split('\n').length + 1);
  });

  it('refuses a dated setext heading too, on the line of its text', () => {
    const problems = checkDocument('Intro.\n\nResults of 2026-11-28\n---------------------\n');
    expect(problems).toEqual([{ line: 3, reason: expect.stringMatching(/a date/) }]);
  });

  it.each([
    '## Days of retention per type',
    '## Retention in days',
    '## Keep messages for 30 days',
    '## What bounds throughput, and what would raise it',
    '## Where the time goes',
    '## Webhooks (additions)',
    '## Step 2: register the agencies',
  ])('accepts the heading %j', (heading) => {
    expect(checkDocument(withHeading(heading))).toEqual([]);
  });

  it('reads dates and days only in headings, not in prose or code', () => {
    const text = `${clean}\nThe fifth day's run of 2026-11-28 is in the git log.\n\n\`\`\`\n## Day 3\n\`\`\`\n`;
    expect(checkDocument(text)).toEqual([]);
  });

  it("finds the repository's documents, and no dependency's", () => {
    const found = findDocuments();
    expect(found).toEqual(expect.arrayContaining(['README.md', 'docs/performance.md']));
    expect(found.some((file) => file.includes('node_modules'))).toBe(false);
  });
});
