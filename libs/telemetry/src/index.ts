export * from './log-context';
export * from './logging';
export * from './metrics';
export * from './telemetry.module';
