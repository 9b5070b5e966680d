export * from './rdx-config';
export * from './load-config';
export * from './config.module';
export * from './tracing-config';
