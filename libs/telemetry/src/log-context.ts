import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation fields of the work at hand, added to every log line written inside it. Only
 * ids: never a payload field, a token, a key or a secret.
 */
export interface LogFields {
  requestId?: string;
  messageId?: string;
  participantId?: string;
  deliveryId?: string;
  subscriptionId?: string;
}

const storage = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` added to those of the work around it, for every line it logs. */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

/** Runs `work` in the log scope `fields` itself (a request's, again when it completes). */
export function inLogScope<T>(fields: LogFields, work: () => T): T {
  return storage.run(fields, work);
}

/** Adds fields to the current work's (a request learns who its caller is after it started). */
export function addLogFields(fields: LogFields): void {
  const store = storage.getStore();
  if (store !== undefined) Object.assign(store, fields);
}

/** The fields of the current work, for the logger's mixin. */
export function currentLogFields(): LogFields {
  return storage.getStore() ?? {};
}
