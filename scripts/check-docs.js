// The documentation check (`npm run check`): README.md and every Markdown file under docs/, libs/
// and apps/ is a reference of how the system works now, not a diary of how it got there. Each is
// at most MAX_LINES lines long, and no heading reads as a diary entry: a date, a numbered or
// ordinal day ("the fifth day", "Day 3"), or a moment relative to the writing ("yesterday",
// "this session"). The history belongs in the git log.
//
//   node scripts/check-docs.js            every document of the repository
//   node scripts/check-docs.js FILE...    only these
//
// It prints each failure as `path:line: reason` and exits 1 on any.
const fs = require('node:fs');
const path = require('node:path');

const MAX_LINES = 400;
const ROOT = path.resolve(__dirname, '..');
/** Searched for `*.md` below them, besides README.md at the root. */
const DIRECTORIES = ['docs', 'libs', 'apps'];
const SKIPPED = new Set(['node_modules', 'dist', 'coverage']);

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|' +
  'jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const ORDINAL_WORDS =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|' +
  'fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth';
const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|' +
  'sixteen|seventeen|eighteen|nineteen|twenty|thirty';
const ORDINAL = `(?:(?:twenty|thirty)-)?(?:${ORDINAL_WORDS})|\\d+(?:st|nd|rd|th)`;

/** What makes a heading read as a diary entry, and how the failure says it. */
const DIARY = [
  { pattern: /\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{4}\/\d{1,2}\/\d{1,2}\b/, reason: 'a date' },
  {
    pattern: new RegExp(
      `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\b|\\b(?:${MONTHS})\\.?\\s+\\d{1,4}(?:st|nd|rd|th)?\\b`,
      'i',
    ),
    reason: 'a date',
  },
  // "the fifth day", "(the fourteenth day)", "the 3rd day's run", "second days": an ordinal day.
  { pattern: new RegExp(`\\b(?:${ORDINAL})\\s+days?\\b`, 'i'), reason: 'a day of a diary' },
  // "Day 3", "day one", "days 3 to 5": a numbered day. "30 days", a unit, is not one.
  { pattern: new RegExp(`\\bdays?\\s+(?:\\d+|(?:${NUMBER_WORDS}))\\b`, 'i'), reason: 'a day of a diary' },
  {
    pattern:
      /\b(?:yesterday|today|tonight|tomorrow)\b|\bthis (?:session|morning|afternoon|evening|week)\b|\b(?:evening|morning|night) before\b/i,
    reason: 'a moment of the writing',
  },
];

/**
 * The headings of a Markdown text, outside fenced code blocks: ATX (`## Title`) and setext (a
 * line underlined with `===` or `---`). Each with its 1-based line number and its text.
 */
function headings(lines) {
  const found = [];
  let fence;
  lines.forEach((line, i) => {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (
        opening &&
        opening[1][0] === fence[0] &&
        opening[1].length >= fence.length &&
        /^\s*[`~]+\s*$/.test(line)
      )
        fence = undefined;
      return;
    }
    if (opening) {
      fence = opening[1];
      return;
    }
    const atx = /^ {0,3}#{1,6}(?:\s+(.*?))?\s*#*\s*$/.exec(line);
    if (atx) found.push({ line: i + 1, text: line.trim() });
    else if (/^ {0,3}(?:=+|-+)\s*$/.test(line) && i > 0 && isParagraphLine(lines[i - 1]))
      found.push({ line: i, text: lines[i - 1].trim() });
  });
  return found;
}

/** A line that can be a setext heading's text: not blank, not a list item, table row or quote. */
function isParagraphLine(line) {
  return /\S/.test(line) && !/^\s*(?:[-*+>|]|\d+[.)]\s|#)/.test(line);
}

/**
 * The problems of one document's text: too many lines, headings that read as a diary entry.
 * @param {string} text
 * @returns {{ line: number, reason: string }[]}
 */
function checkDocument(text) {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const problems = [];
  if (lines.length > MAX_LINES)
    problems.push({
      line: MAX_LINES + 1,
      reason: `${lines.length} lines, over the ${MAX_LINES} a document may have`,
    });
  for (const heading of headings(lines)) {
    const diary = DIARY.find(({ pattern }) => pattern.test(heading.text));
    if (diary)
      problems.push({
        line: heading.line,
        reason: `heading reads as a diary entry (${diary.reason}): ${heading.text}`,
      });
  }
  return problems;
}

/** README.md and every `*.md` under docs/, libs/ and apps/, relative to `root`, sorted. */
function findDocuments(root = ROOT) {
  const found = fs.existsSync(path.join(root, 'README.md')) ? ['README.md'] : [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(relative);
    }
  };
  for (const dir of DIRECTORIES) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return found.sort();
}

function main(argv) {
  const files = argv.length > 0 ? argv.map((f) => path.relative(ROOT, path.resolve(f))) : findDocuments();
  let failures = 0;
  for (const file of files) {
    for (const problem of checkDocument(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
      process.stderr.write(`${file}:${problem.line}: ${problem.reason}\n`);
      failures++;
    }
  }
  if (failures > 0) {
    process.stderr.write(`check-docs: ${failures} problem(s) in ${files.length} documents\n`);
    return 1;
  }
  process.stdout.write(
    `check-docs: ${files.length} documents, none over ${MAX_LINES} lines, no heading reads as a diary entry\n`,
  );
  return 0;
}

module.exports = { checkDocument, findDocuments, MAX_LINES };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
