export * from './admin-authenticator';
export * from './admin.module';
export * from './issue-admin-token.use-case';
export * from './manage-keys.use-case';
export * from './manage-participants.use-case';
export * from './read-audit.use-case';
