export * from './audit-chain';
export * from './compact-jws';
export * from './digest';
export * from './gateway-signer';
export * from './jcs';
export * from './public-jwk';
