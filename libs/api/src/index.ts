export * from './api.module';
export * from './http/configure-http';
export { CONSOLE_CSP, installConsole } from './http/console';
export * from './http/problem.filter';
export { requestLimitOptions } from './http/request-limits';
export * from './operations.module';
