export * from './agency-signer';
export * from './errors';
export * from './key-directory';
export * from './rdx-admin-client';
export * from './rdx-client';
export * from './transport';
export * from './verifier';
export * from './views';
