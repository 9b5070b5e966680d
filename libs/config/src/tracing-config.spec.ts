import { ConfigError } from './load-config';
import { parseTracing } from './tracing-config';

describe('parseTracing (the standard OTEL_* variables)', () => {
  it('is off by default, with the service named rdx-gateway', () => {
    expect(parseTracing({})).toEqual({ tracesUrl: undefined, serviceName: 'rdx-gateway' });
  });

  it('is on with OTEL_EXPORTER_OTLP_ENDPOINT, sending to its /v1/traces', () => {
    expect(
      parseTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_SERVICE_NAME: 'rdx-api' }),
    ).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'rdx-api' });
  });

  it('takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, before the general endpoint', () => {
    expect(
      parseTracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
      }).tracesUrl,
    ).toBe('https://traces.example/otlp');
  });

  it('stays off when OTEL_SDK_DISABLED is true', () => {
    expect(
      parseTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })
        .tracesUrl,
    ).toBeUndefined();
  });

  it('stops the start on an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => parseTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(ConfigError);
    expect(() => parseTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});
