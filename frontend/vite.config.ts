/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const backend = 'http://localhost:8080'

/**
 * fontsAsFiles moves the fonts that stylesheets carry as data: URLs (as
 * GraphiQL's do) into files of the build: the pages'
 * Content-Security-Policy allows fonts from 'self' only.
 */
function fontsAsFiles(): Plugin {
  return {
    name: 'fonts-as-files',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const asset of Object.values(bundle)) {
        if (asset.type !== 'asset' || !asset.fileName.endsWith('.css')) continue
        const css = typeof asset.source === 'string' ? asset.source : new TextDecoder().decode(asset.source)
        asset.source = css.replace(
          /url\((["']?)data:font\/([\w-]+);base64,([A-Za-z0-9+/=]+)\1\)/g,
          (_match, _quote, ext: string, data: string) => {
            const ref = this.emitFile({ type: 'asset', name: `font.${ext}`, source: Buffer.from(data, 'base64') })
            return `url(./${basename(this.getFileName(ref))})`
          },
        )
      }
    },
  }
}

export default defineConfig({
  plugins: [react(), tailwindcss(), fontsAsFiles()],
  build: {
    // The Go package in this folder embeds dist/ (dist/app is this build).
    outDir: 'dist/app',
    emptyOutDir: true,
    rollupOptions: {
      // The console, and the GraphQL playground (/playground): an entry of
      // its own, so that GraphiQL is never part of the console's bundle.
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        playground: fileURLToPath(new URL('playground.html', import.meta.url)),
      },
      onwarn(warning, warn) {
        // GraphiQL's modules start with "use no memo" (for the React
        // compiler), which bundling drops, harmlessly.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
        warn(warning)
      },
    },
  },
  server: {
    proxy: {
      '/graphql': { target: backend, ws: true, changeOrigin: false },
      '/api': backend,
      '/files': backend,
      '/exports': backend,
      '/healthz': backend,
      '/readyz': backend,
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
})
