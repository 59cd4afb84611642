import type { Config } from '@react-router/dev/config'

export default {
  ssr: true,
  // KZ_BUILD_DIR lets two builds of one checkout live side by side (server.js reads the same variable).
  buildDirectory: process.env.KZ_BUILD_DIR ?? 'build',
  future: {
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
} satisfies Config
