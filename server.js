// Production server: the React Router build behind Express, with the client's address in
// the request context, static assets, and a clean shutdown that closes the database.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequestHandler } from '@react-router/express'
import compression from 'compression'
import express from 'express'
import { RouterContextProvider } from 'react-router'

const root = path.dirname(fileURLToPath(import.meta.url))
const buildDir = path.resolve(root, process.env.KZ_BUILD_DIR ?? 'build')
const build = await import(path.join(buildDir, 'server/index.js'))
const { onServerStart, clientIpContext } = build.entry.module

let started
try {
  started = await onServerStart()
} catch (error) {
  // Configuration and database problems are stated plainly, without a stack trace.
  console.error(`[kezhuan] cannot start: ${error?.message ?? error}`)
  process.exit(1)
}
const { port, host, trustProxy, shutdown } = started

const app = express()
app.disable('x-powered-by')
if (trustProxy) app.set('trust proxy', trustProxy)
app.use(compression())
app.use('/assets', express.static(path.join(buildDir, 'client/assets'), { immutable: true, maxAge: '1y' }))
app.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h', index: false }))
app.all(
  '*',
  createRequestHandler({
    build,
    mode: 'production',
    getLoadContext(req) {
      const context = new RouterContextProvider()
      context.set(clientIpContext, req.ip ?? null)
      return context
    },
  }),
)

const server = app.listen(port, host, () => {
  console.log(`[kezhuan] listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`)
})
server.on('error', async (error) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `[kezhuan] port ${port} on ${host} is in use; stop the other process or set PORT`
      : `[kezhuan] server error: ${error.message}`,
  )
  await shutdown()
  process.exit(1)
})

let stopping = false
async function stop(signal) {
  if (stopping) return
  stopping = true
  console.log(`[kezhuan] ${signal}: shutting down`)
  const force = setTimeout(() => process.exit(1), 10_000)
  force.unref()
  server.close()
  server.closeAllConnections?.()
  await shutdown()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
