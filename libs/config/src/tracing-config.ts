import { ConfigError } from './load-config';

/** OpenTelemetry tracing, from the SDK's standard OTEL_* variables. */
export interface TracingConfig {
  /** Where spans go (OTLP over HTTP); unset: tracing is off. */
  readonly tracesUrl: string | undefined;
  /** `service.name` of every span's resource. */
  readonly serviceName: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Tracing is on when an OTLP endpoint is set: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is, or
 * `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/traces` added (the SDK's rule), unless
 * `OTEL_SDK_DISABLED=true`. The exporter reads the other OTEL_EXPORTER_OTLP_* settings itself.
 */
export function parseTracing(env: Env): TracingConfig {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const serviceName = read('OTEL_SERVICE_NAME') ?? 'rdx-gateway';
  if (read('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { tracesUrl: undefined, serviceName };
  const traces = read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (traces !== undefined)
    return { tracesUrl: httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces), serviceName };
  if (base === undefined) return { tracesUrl: undefined, serviceName };
  const url = httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  return { tracesUrl: `${url.replace(/\/+$/, '')}/v1/traces`, serviceName };
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, 'must be an http:// or https:// URL (OTLP over HTTP)');
  return raw;
}
