export * from './adapter-runs';
export * from './agency';
export * from './examples';
export * from './schema-checks';
export * from './shared-vectors';
export * from './tcp-proxy';
