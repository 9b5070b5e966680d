export * from './http-tracing';
export * from './http-logging';
export * from './log-context';
export * from './logging';
export * from './metrics';
export * from './telemetry.module';
export * from './trace-context';
export * from './tracing';
