/** Waits `ms`, or less if `signal` aborts first (shutdown must not sit out a backoff). Never rejects. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The delay for the n-th try (0-based), repeating the last entry once the list runs out. */
export function backoffDelay(delaysMs: readonly number[], attempt: number): number {
  return delaysMs[Math.min(Math.max(attempt, 0), delaysMs.length - 1)] ?? 0;
}

/** A short description of a failure for logs: never the payload, only what the error says about itself. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return (error as { message: string }).message;
  }
  return String(error);
}
