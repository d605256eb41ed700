import type { CodegenConfig } from '@graphql-codegen/cli'

// Typed GraphQL documents, generated from the server's schema in ../graph.
// The output in src/gql/ is committed; `npm run codegen` must leave it unchanged.
const config: CodegenConfig = {
  // Every schema file gqlgen reads (gqlgen.yml: graph/*.graphqls).
  schema: ['../graph/*.graphqls'],
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*', '!src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: false,
        scalars: {
          Time: 'string',
          Cursor: 'string',
          Upload: 'File',
        },
      },
    },
  },
  hooks: {},
}

export default config
