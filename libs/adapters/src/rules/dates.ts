/** The date patterns of FORMATS.md: `DD` and `MM` one or two digits, `YYYY` (or Buddhist-era `BBBB`) four. */
export type DatePattern = string;

const compiled = new Map<string, { regex: RegExp; order: ('D' | 'M' | 'Y' | 'B')[] }>();

function compile(pattern: DatePattern) {
  let found = compiled.get(pattern);
  if (found === undefined) {
    const order: ('D' | 'M' | 'Y' | 'B')[] = [];
    const source = pattern.replace(/DD|MM|YYYY|BBBB|[.*+?^${}()|[\]\\]/g, (token) => {
      if (token === 'DD' || token === 'MM') {
        order.push(token[0] as 'D' | 'M');
        return '(\\d{1,2})';
      }
      if (token === 'YYYY' || token === 'BBBB') {
        order.push(token[0] as 'Y' | 'B');
        return '(\\d{4})';
      }
      return `\\${token}`;
    });
    found = { regex: new RegExp(`^${source}$`), order };
    compiled.set(pattern, found);
  }
  return found;
}

/**
 * Rule 4: a date in `pattern` as `YYYY-MM-DD`, or undefined when it does not match or does not
 * exist (31/02, 29/02 outside leap years, month 13). `buddhist` reads `YYYY` as a Buddhist-era year.
 * @example isoDate('29/02/2567', 'DD/MM/YYYY', true) // '2024-02-29'
 */
export function isoDate(value: string, pattern: DatePattern, buddhist = false): string | undefined {
  const { regex, order } = compile(pattern);
  const match = regex.exec(value);
  if (match === null) return undefined;
  let day = 0;
  let month = 0;
  let year = 0;
  order.forEach((part, i) => {
    const n = Number(match[i + 1]);
    if (part === 'D') day = n;
    else if (part === 'M') month = n;
    else year = part === 'B' || buddhist ? n - 543 : n;
  });
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` as another pattern (outbound records). */
export function formatDate(iso: string, pattern: 'DD-MM-YYYY' | 'MM/DD/YYYY'): string {
  const [year, month, day] = iso.split('-');
  return pattern === 'DD-MM-YYYY' ? `${day}-${month}-${year}` : `${month}/${day}/${year}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** `YYYY-MM-DD` plus `days` days. */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
