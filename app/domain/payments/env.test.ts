import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '~/infra/env.server'

const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), KZ_DATA_DIR: '/tmp/kz-env-test' } as const

describe('payment settings', () => {
  it('default to CNY, no Stripe, no stand-in', () => {
    const env = parseEnv({ ...base })
    expect(env).toMatchObject({ KZ_CURRENCY: 'cny', KZ_STRIPE_STANDIN: 'off' })
    expect(env.STRIPE_SECRET_KEY).toBeUndefined()
    expect(env.STRIPE_WEBHOOK_SECRET).toBeUndefined()
    expect(parseEnv({ ...base, KZ_CURRENCY: 'HKD', STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' })).toMatchObject({ KZ_CURRENCY: 'hkd', STRIPE_SECRET_KEY: 'sk_test_abc' })
  })

  it('refuse the checkout stand-in in production, malformed keys, and Stripe without its webhook secret in production', () => {
    expect(() => parseEnv({ ...base, NODE_ENV: 'production', KZ_STRIPE_STANDIN: 'on' })).toThrow(EnvError)
    expect(() => parseEnv({ ...base, NODE_ENV: 'production', KZ_STRIPE_STANDIN: 'on' })).toThrow(/KZ_STRIPE_STANDIN/)
    expect(() => parseEnv({ ...base, NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_abc' })).toThrow(/STRIPE_WEBHOOK_SECRET/)
    expect(() => parseEnv({ ...base, STRIPE_SECRET_KEY: 'pk_test_abc' })).toThrow(/STRIPE_SECRET_KEY/)
    expect(() => parseEnv({ ...base, STRIPE_WEBHOOK_SECRET: 'secret' })).toThrow(/STRIPE_WEBHOOK_SECRET/)
    expect(() => parseEnv({ ...base, KZ_CURRENCY: 'yuan' })).toThrow(/KZ_CURRENCY/)
    expect(() => parseEnv({ ...base, KZ_STRIPE_STANDIN: 'yes' })).toThrow(/KZ_STRIPE_STANDIN/)
  })
})
