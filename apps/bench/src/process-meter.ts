import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;
const PAGE_KB = 4;

export interface Usage {
  /** CPU time used, in seconds (user + system). */
  cpuSeconds: number;
  rssMiB: number;
}

function read(pid: number): Usage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15,
    // cutime 16 and cstime 17 (children it reaped: PostgreSQL's ended backends), rss 24.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    const rssPages = Number(fields[21]);
    return { cpuSeconds: ticks / CLOCK_TICKS, rssMiB: (rssPages * PAGE_KB) / 1024 };
  } catch {
    return undefined;
  }
}

/** The pids whose command name is `comm` (all of PostgreSQL's processes, say). */
export function pidsNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** A process, or a group of them (PostgreSQL's backends), measured together. */
export interface Metered {
  name: string;
  pids: () => number[];
}

/** CPU and resident memory of processes, from /proc (Linux). */
export class ProcessMeter {
  constructor(private readonly processes: Metered[]) {}

  sample(): Record<string, Usage> {
    const out: Record<string, Usage> = {};
    for (const p of this.processes) {
      const usages = p
        .pids()
        .map(read)
        .filter((u): u is Usage => u !== undefined);
      out[p.name] = {
        cpuSeconds: usages.reduce((s, u) => s + u.cpuSeconds, 0),
        rssMiB: usages.reduce((s, u) => s + u.rssMiB, 0),
      };
    }
    return out;
  }

  /** CPU used between two samples as a share of one core, and the later RSS. */
  static between(
    before: Record<string, Usage>,
    after: Record<string, Usage>,
    seconds: number,
  ): Record<string, { cpuPercent: number; rssMiB: number }> {
    const out: Record<string, { cpuPercent: number; rssMiB: number }> = {};
    for (const name of Object.keys(after)) {
      const used = after[name].cpuSeconds - (before[name]?.cpuSeconds ?? 0);
      out[name] = { cpuPercent: round((100 * used) / seconds), rssMiB: round(after[name].rssMiB) };
    }
    return out;
  }
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
