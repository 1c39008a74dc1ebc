import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations from the API's committed SDL: a renamed or removed field fails codegen or
 * vue-tsc, so `pnpm --filter @kindred/admin build` breaks instead of the page.
 */
const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/features/**/*.graphql', 'src/**/*.ts', '!src/gql/**', '!src/**/*.test.ts'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { DateTimeISO: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
  hooks: {},
};

export default config;
