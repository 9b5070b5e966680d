export * from './agency-signer';
