import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgresql:// connection string (or unset for the embedded database)',
    }),
  KZ_DATA_DIR: z.string().trim().min(1).default('./data'),
  /** The embedded database's buffer pool in MB; unset: sized to the database when it opens. */
  KZ_PGLITE_BUFFERS_MB: z.coerce
    .number({ message: 'must be a whole number of megabytes from 16 to 2048' })
    .int({ message: 'must be a whole number of megabytes from 16 to 2048' })
    .min(16, { message: 'must be a whole number of megabytes from 16 to 2048' })
    .max(2048, { message: 'must be a whole number of megabytes from 16 to 2048' })
    .optional(),
  SESSION_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  KZ_DEMO_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Search engine: embedded (inside the database) unless set to meilisearch. */
  KZ_SEARCH: z.enum(['embedded', 'meilisearch']).default('embedded'),
  /** A Meilisearch server; unset with KZ_SEARCH=meilisearch: the bundled binary is started locally. */
  MEILI_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:7700' }).optional(),
  MEILI_MASTER_KEY: z.string().min(16, { message: 'at least 16 characters' }).optional(),
  /** smtp(s)://user:pass@host:port; unset: e-mails are written as .eml files under KZ_DATA_DIR/mail. */
  KZ_SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//, { message: 'must start with smtp:// or smtps://' })
    .optional(),
  KZ_MAIL_FROM: z.string().trim().min(3).default('科转 KeZhuan <noreply@kezhuan.local>'),
  /** The address people reach the app at, for links in e-mails; unset: http://HOST:PORT. */
  KZ_PUBLIC_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, '') : undefined))
    .refine((v) => v === undefined || (/^https?:\/\//.test(v) && URL.canParse(v)), { message: 'must be an http(s):// URL such as https://kezhuan.example.cn' }),
  /** Express "trust proxy": loopback, a hop count, or addresses; unset behind no proxy. */
  KZ_TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^[\w.:/, -]+$/, { message: 'an Express trust-proxy value, e.g. loopback or 1' })
    .optional(),
  /** Stripe secret key (sk_live_… / sk_test_…); unset: the payments page offers bank transfer only. */
  STRIPE_SECRET_KEY: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^(sk|rk)_(test|live)_\w+$/.test(v), { message: 'must be a Stripe secret key (sk_test_… or sk_live_…)' }),
  /** The signing secret of the Stripe webhook endpoint (whsec_…). */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || v.startsWith('whsec_'), { message: 'must be a webhook signing secret (whsec_…)' }),
  /** The currency of online payments (ISO 4217, lower case). */
  KZ_CURRENCY: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{3}$/, { message: 'a three-letter ISO 4217 currency code, e.g. cny' })
    .default('cny'),
  /** A local stand-in for Stripe's hosted checkout page (/dev/checkout/…): for browser tests, never in production. */
  KZ_STRIPE_STANDIN: z.enum(['on', 'off']).default('off'),
})

export type Env = z.infer<typeof EnvSchema> & {
  sessionSecret: string
  /** Where links in e-mails point: KZ_PUBLIC_URL, else this server's own address. */
  publicUrl: string
  dataDir: string
  dbMode: 'postgres' | 'pglite'
}

export class EnvError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`)
    throw new EnvError(`Invalid configuration (see .env.example):\n${lines.join('\n')}`)
  }
  const env = result.data
  const dataDir = path.resolve(env.KZ_DATA_DIR)
  if (!env.SESSION_SECRET && env.NODE_ENV === 'production') {
    throw new EnvError(
      'Invalid configuration (see .env.example):\n  SESSION_SECRET: required in production (at least 32 characters)',
    )
  }
  if (env.KZ_STRIPE_STANDIN === 'on' && env.NODE_ENV === 'production') {
    throw new EnvError('Invalid configuration (see .env.example):\n  KZ_STRIPE_STANDIN: the checkout stand-in is never allowed in production')
  }
  if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET && env.NODE_ENV === 'production') {
    throw new EnvError('Invalid configuration (see .env.example):\n  STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY in production')
  }
  return {
    ...env,
    dataDir,
    dbMode: env.DATABASE_URL ? 'postgres' : 'pglite',
    publicUrl: env.KZ_PUBLIC_URL ?? `http://${ownHost(env.HOST)}:${env.PORT}`,
    sessionSecret: env.SESSION_SECRET ?? developmentSecret(dataDir),
  }
}

/** The host part of this server's own address (a wildcard listens on loopback too). */
function ownHost(host: string) {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** Outside production a secret is generated once and kept in the data directory. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(file, secret + '\n', { mode: 0o600 })
  return secret
}

let cached: Env | undefined

export function getEnv(): Env {
  cached ??= parseEnv(process.env)
  return cached
}

/** Tests and the CLI change variables before first use; this forgets the parsed copy. */
export function resetEnv() {
  cached = undefined
}
