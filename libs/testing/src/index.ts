export * from './agency';
export * from './examples';
export * from './shared-vectors';
export * from './tcp-proxy';
