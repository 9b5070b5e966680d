export * from './api.module';
export * from './http/configure-http';
export * from './http/problem.filter';
export * from './operations.module';
