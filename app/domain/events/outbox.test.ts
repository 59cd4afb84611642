import { describe, expect, it } from 'vitest'
import { backoffMs, MAX_ATTEMPTS } from './outbox.server'

describe('outbox backoff', () => {
  it('doubles from 5 s after each failed attempt', () => {
    expect([1, 2, 3, 4, 5].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000])
  })

  it('treats zero or negative attempts like the first', () => {
    expect(backoffMs(0)).toBe(5_000)
    expect(backoffMs(-3)).toBe(5_000)
  })

  it('never waits more than an hour, however many attempts', () => {
    expect(backoffMs(11)).toBe(60 * 60 * 1000)
    expect(backoffMs(1000)).toBe(60 * 60 * 1000)
    for (let a = 1; a < 40; a++) expect(backoffMs(a + 1)).toBeGreaterThanOrEqual(backoffMs(a))
  })

  it('gives up within a day of retries', () => {
    let total = 0
    for (let a = 1; a < MAX_ATTEMPTS; a++) total += backoffMs(a)
    expect(total).toBeLessThan(24 * 60 * 60 * 1000)
  })
})
