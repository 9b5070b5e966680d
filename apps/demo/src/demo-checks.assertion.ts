/** A check of the demo that did not hold: the run stops and exits non-zero with this message. */
export class DemoCheckFailed extends Error {
  override readonly name = 'DemoCheckFailed';
}

/** Stops the demo unless `condition` holds. */
export function check(condition: unknown, failure: string): asserts condition {
  if (!condition) throw new DemoCheckFailed(failure);
}

/**
 * Stops the demo unless `attempt` is refused with a `kind` error, and returns that error: a
 * refusal the demo shows must really happen, and for the reason it says.
 */
export async function refused<E extends Error>(
  attempt: Promise<unknown>,
  kind: abstract new (...args: never[]) => E,
  what: string,
): Promise<E> {
  try {
    await attempt;
  } catch (error) {
    check(error instanceof kind, `${what}: expected ${kind.name}, got ${String(error)}`);
    return error;
  }
  throw new DemoCheckFailed(`${what} went through; it should have been refused with ${kind.name}`);
}

/** Polls until `read` finds something, or fails after `ms`: the gateway routes asynchronously. */
export async function until<T>(read: () => Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    check(Date.now() < deadline, `${what} did not happen within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
