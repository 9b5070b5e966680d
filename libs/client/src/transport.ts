import { RdxProblem, RdxUnreachable } from './errors';

/** How often, and how patiently, a request is tried again. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first backoff; each next one doubles, up to `maxDelayMs`, and a random part of it is waited. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is cut to it. */
  maxRetryAfterSeconds: number;
  /** How long one try may take before it counts as a network failure. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxRetryAfterSeconds: 60,
  timeoutMs: 30_000,
};

/** One call to the gateway. */
export interface GatewayRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: string;
  contentType?: string;
  /** Made again for each try: a bearer token is good for one request only. */
  headers?: () => Promise<Record<string, string>>;
  /**
   * Whether sending it twice does no harm. A request that is not is tried again only when it
   * cannot have reached the gateway (the connection was refused) or the gateway said it took
   * nothing (429, 503).
   */
  idempotent: boolean;
}

export interface GatewayAnswer<T> {
  status: number;
  body: T;
}

/** Errors of a connection that never reached the gateway, so nothing can have been done. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * HTTP to the gateway with retries: network failures, 429 and 5xx are tried again with backoff
 * and jitter, honouring `Retry-After`; every refusal becomes an {@link RdxProblem}, and a gateway
 * that never answers an {@link RdxUnreachable}.
 */
export class GatewayTransport {
  constructor(
    readonly baseUrl: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly random: () => number = Math.random,
  ) {}

  async send<T>(request: GatewayRequest): Promise<GatewayAnswer<T>> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${request.path}`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method,
          body: request.body,
          redirect: 'error',
          signal: AbortSignal.timeout(this.retry.timeoutMs),
          headers: {
            accept: 'application/json, application/problem+json',
            ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
            ...(request.headers === undefined ? {} : await request.headers()),
          },
        });
      } catch (error) {
        lastError = error;
        if (!request.idempotent && !NOT_SENT.has(errorCode(error) ?? '')) break;
        if (attempt < this.retry.attempts) await this.sleep(this.backoff(attempt));
        continue;
      }
      const body = await readBody(response);
      if (response.ok) return { status: response.status, body: body as T };
      const problem = toProblem(response, body);
      const retryable =
        response.status === 429 || response.status === 503 || (response.status >= 500 && request.idempotent);
      if (!retryable || attempt === this.retry.attempts) throw problem;
      lastError = problem;
      await this.sleep(
        problem.retryAfterSeconds === undefined
          ? this.backoff(attempt)
          : Math.min(problem.retryAfterSeconds, this.retry.maxRetryAfterSeconds) * 1000,
      );
    }
    if (lastError instanceof RdxProblem) throw lastError;
    throw new RdxUnreachable(this.baseUrl, this.retry.attempts, lastError);
  }

  /** Full jitter: a random wait up to the doubled delay, so clients that failed together spread out. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(this.random() * ceiling);
  }
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (!/json/.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toProblem(response: Response, body: unknown): RdxProblem {
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
  if (typeof body === 'object' && body !== null && typeof (body as { type?: unknown }).type === 'string') {
    const p = body as {
      type: string;
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    return new RdxProblem(
      p.type,
      response.status,
      p.title ?? response.statusText,
      p.detail ?? '',
      Array.isArray(p.errors) ? p.errors : [],
      retryAfter,
    );
  }
  // Not the gateway's own answer (a proxy's error page, say): keep what there is.
  const text = typeof body === 'string' ? body.slice(0, 200) : '';
  return new RdxProblem('about:blank', response.status, response.statusText, text, [], retryAfter);
}

/** `Retry-After` in seconds, or as an HTTP date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
