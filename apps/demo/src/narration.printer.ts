const STYLES = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  green: '\x1b[32m',
  red: '\x1b[31m',
  reset: '\x1b[0m',
} as const;

/** Prints the story of the exchange: numbered steps, short lines, colour only on a terminal. */
export class Narrator {
  private step = 0;

  constructor(
    private readonly totalSteps: number,
    private readonly colour: boolean,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  title(text: string): void {
    this.write(this.paint('bold', text));
  }

  /** Opens the next numbered step. */
  next(heading: string): void {
    this.step += 1;
    this.write('');
    this.write(this.paint('bold', `Step ${this.step}/${this.totalSteps}. ${heading}`));
  }

  /** Plain explanation for a newcomer. */
  say(...lines: string[]): void {
    for (const line of lines) this.write(`   ${line}`);
  }

  /** One call of the client library, as an integrator would write it, and what came of it. */
  call(expression: string, outcome: string): void {
    this.write(this.paint('dim', `   ${expression}  → ${outcome}`));
  }

  /** A label and its value, aligned. */
  field(label: string, value: string): void {
    this.write(`     ${`${label}:`.padEnd(14)} ${value}`);
  }

  /** A check that really ran and held. */
  ok(text: string): void {
    this.write(`   ${this.paint('green', '[ok]')} ${text}`);
  }

  fail(text: string): void {
    this.write('');
    this.write(this.paint('red', `FAILED: ${text}`));
  }

  blank(): void {
    this.write('');
  }

  private paint(style: keyof typeof STYLES, text: string): string {
    return this.colour ? `${STYLES[style]}${text}${STYLES.reset}` : text;
  }
}
