/** A check of the demo that did not hold: the run stops and exits non-zero with this message. */
export class DemoCheckFailed extends Error {
  override readonly name = 'DemoCheckFailed';
}

/** Stops the demo unless `condition` holds. */
export function check(condition: unknown, failure: string): asserts condition {
  if (!condition) throw new DemoCheckFailed(failure);
}

/** Stops the demo unless the gateway answered `expected`; the message shows what it said instead. */
export function expectStatus(reply: { status: number; body: unknown }, expected: number, what: string): void {
  check(
    reply.status === expected,
    `${what}: expected HTTP ${expected}, got ${reply.status} ${JSON.stringify(reply.body)}`,
  );
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
