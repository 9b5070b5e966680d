interface Circuit {
  failures: number;
  openUntil: number;
}

/**
 * One circuit per endpoint (its origin), in this worker: after `threshold` consecutive failures
 * the endpoint gets no attempt for `openMs`, so one dead ministry endpoint does not tie up the
 * workers that serve the others. Deliveries it holds back are postponed, not counted as attempts.
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly threshold: number,
    private readonly openMs: number,
  ) {}

  /** Until when the endpoint's circuit is open, or undefined when it may be tried. */
  openUntil(endpoint: string, now: number): number | undefined {
    const circuit = this.circuits.get(endpoint);
    return circuit !== undefined && circuit.openUntil > now ? circuit.openUntil : undefined;
  }

  /** How many endpoints' circuits are open at `now`. */
  openCount(now: number): number {
    let open = 0;
    for (const circuit of this.circuits.values()) if (circuit.openUntil > now) open++;
    return open;
  }

  succeeded(endpoint: string): void {
    this.circuits.delete(endpoint);
  }

  failed(endpoint: string, now: number): void {
    const circuit = this.circuits.get(endpoint) ?? { failures: 0, openUntil: 0 };
    circuit.failures += 1;
    // Half-open after the pause: one more failure opens it again at once.
    if (circuit.failures >= this.threshold) circuit.openUntil = now + this.openMs;
    this.circuits.set(endpoint, circuit);
  }
}
