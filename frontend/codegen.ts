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
      presetConfig: { fragmentMasking: true },
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
    // The schema as graphcache needs it (types, interfaces, unions), so
    // node(id:) resolves by type and fragments on interfaces match.
    './src/gql/introspection.ts': {
      plugins: ['urql-introspection'],
      config: { module: 'es2015', useTypeImports: true },
    },
  },
  hooks: {},
}

export default config
