// Three tiers, told apart by suffix (see STYLE.md): unit specs beside the code,
// integration specs against real PostgreSQL and RabbitMQ, e2e specs through HTTP.
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const transform = {
  '^.+\\.[tj]s$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
// jose 6, NestJS 12, path-to-regexp 9, uuid 14, stream-json 3 and content-disposition 2 (under
// @fastify/static) ship only ES modules. Jest's own module loader
// requires them only with --experimental-vm-modules, so SWC turns them into CommonJS instead.
// (path-to-regexp arrives nested, under @fastify/middie: the pattern looks at the whole path.)
const transformIgnorePatterns = [
  '^(?!.*/node_modules/(jose|@nestjs|path-to-regexp|uuid|stream-json|stream-chain|content-disposition)/).*/node_modules/',
];
const common = {
  rootDir: __dirname,
  moduleNameMapper,
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
};

module.exports = {
  // Integration and e2e tests start gateways, databases and broker connections: give them time.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.integration-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
