/**
 * When to try a delivery again after `attemptsMade` failed attempts: the configured delay with
 * ±20 % jitter (so retries of many deliveries do not arrive together), never sooner than a
 * `Retry-After` the receiver asked for. Undefined when the schedule is spent.
 */
export function nextAttemptDelayMs(
  attemptsMade: number,
  delaysSeconds: readonly number[],
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  const delay = delaysSeconds[attemptsMade - 1];
  if (delay === undefined) return undefined;
  const jittered = delay * 1000 * (0.8 + 0.4 * random());
  return Math.round(Math.max(jittered, (retryAfterSeconds ?? 0) * 1000));
}

/** Reads a Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
