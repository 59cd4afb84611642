import { expect, test } from './helpers'

test('/healthz reports the database this run uses', async ({ request }) => {
  const response = await request.get('/healthz')
  expect(response.status()).toBe(200)
  expect(response.headers()['cache-control']).toBe('no-store')
  const body = await response.json()
  expect(body).toMatchObject({
    status: 'ok',
    database: { mode: process.env.KZ_E2E_DATABASE_URL ? 'postgres' : 'pglite', status: 'ok' },
  })
})
