import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { authenticate } from '~/domain/users/accounts.server'
import { DEMO_ACCOUNTS } from '~/domain/seed/demo.server'
import { getDb, prisma } from '~/infra/db/client.server'
import { readMigrations } from '~/infra/db/migrate.server'
import { makeOrg, uniqueEmail } from '../tests/factories'
import { kezhuan } from './test-support'

afterEach(() => {
  expect(process.exitCode ?? 0).toBe(0)
})

describe('kezhuan users create', () => {
  it('creates an administrator, who can then sign in', async () => {
    const email = uniqueEmail('cli-admin')
    const result = await kezhuan('users', 'create', '--email', email, '--password', 'a-long-password', '--role', 'admin')
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toContain(`created ADMIN ${email}`)
    const db = await prisma()
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ role: 'ADMIN', orgId: null, name: '管理员' })
    await expect(authenticate({ email, password: 'a-long-password' })).resolves.toMatchObject({ role: 'ADMIN' })
    // The test database is still open and usable.
    expect((await getDb()).prisma).toBe(db)
  })

  it('stores the e-mail address in lower case', async () => {
    const email = uniqueEmail('cli-case')
    expect((await kezhuan('users', 'create', '--email', email.toUpperCase(), '--password', 'a-long-password', '--role', 'bureau')).code).toBe(0)
    const db = await prisma()
    expect(await db.user.findUnique({ where: { email } })).toMatchObject({ role: 'BUREAU' })
  })

  it('puts a member into an organisation given by name', async () => {
    const org = await makeOrg({ kind: 'ENTERPRISE', name: '命令行测试公司' })
    const email = uniqueEmail('cli-member')
    const result = await kezhuan('users', 'create', '--email', email, '--password', 'a-long-password', '--role', 'enterprise', '--org', org.name, '--org-admin')
    expect(result.code).toBe(0)
    const db = await prisma()
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ orgId: org.id, isOrgAdmin: true, role: 'ENTERPRISE' })
  })

  it('refuses an invalid e-mail address with exit code 2 and a readable message', async () => {
    const db = await prisma()
    const before = await db.user.count()
    const result = await kezhuan('users', 'create', '--email', 'not-an-email', '--password', 'a-long-password', '--role', 'admin')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('error: --email: not a valid e-mail address')
    expect(await db.user.count()).toBe(before)
  })

  it('refuses an unknown role with exit code 2, listing the roles', async () => {
    const result = await kezhuan('users', 'create', '--email', uniqueEmail(), '--password', 'a-long-password', '--role', 'superuser')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('error: --role: one of supplier, enterprise, broker, bureau, admin')
  })

  it('refuses a short password, a missing password and a member without organisation with exit code 2', async () => {
    const short = await kezhuan('users', 'create', '--email', uniqueEmail(), '--password', 'short', '--role', 'admin')
    expect(short.code).toBe(2)
    expect(short.stderr).toContain('--password: at least 8 characters')
    const missing = await kezhuan('users', 'create', '--email', uniqueEmail(), '--role', 'admin')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('give --password or --password-stdin')
    const orphan = await kezhuan('users', 'create', '--email', uniqueEmail(), '--password', 'a-long-password', '--role', 'supplier')
    expect(orphan.code).toBe(2)
    expect(orphan.stderr).toContain('a supplier belongs to an organisation: give --org')
    const noOrg = await kezhuan('users', 'create', '--email', uniqueEmail(), '--password', 'a-long-password', '--role', 'supplier', '--org', '不存在的机构')
    expect(noOrg.code).toBe(2)
    expect(noOrg.stderr).toContain('no organisation with id or name "不存在的机构"')
  })

  it('answers a missing required option with exit code 2 and the usage', async () => {
    const result = await kezhuan('users', 'create', '--email', uniqueEmail())
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/required option '--role <role>' not specified/)
  })

  it('refuses a taken e-mail address with exit code 1', async () => {
    const email = uniqueEmail('cli-dup')
    expect((await kezhuan('users', 'create', '--email', email, '--password', 'a-long-password', '--role', 'admin')).code).toBe(0)
    const again = await kezhuan('users', 'create', '--email', email, '--password', 'another-password', '--role', 'admin')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('CONFLICT')
    expect(again.stderr).toContain('err.emailTaken')
    expect(again.stderr).toContain('email: 该邮箱已注册，请直接登录')
    const db = await prisma()
    expect(await db.user.count({ where: { email } })).toBe(1)
    await expect(authenticate({ email, password: 'a-long-password' })).resolves.toBeTruthy()
  })
})

describe('kezhuan db status', () => {
  it('--json lists every migration as applied', async () => {
    const result = await kezhuan('db', 'status', '--json')
    expect(result.code).toBe(0)
    const status = JSON.parse(result.stdout)
    expect(status.mode).toBe((await getDb()).mode)
    expect(status.migrations.map((m: { name: string }) => m.name)).toEqual(readMigrations().map((m) => m.name))
    expect(status.migrations.every((m: { state: string }) => m.state === 'applied')).toBe(true)
  })

  it('says the schema is up to date', async () => {
    const result = await kezhuan('db', 'status')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Database schema is up to date!')
    for (const m of readMigrations()) expect(result.stdout).toMatch(new RegExp(`applied\\s+${m.name}`))
  })

  it('exits with 1 when a migration needs attention', async () => {
    const db = await getDb()
    const name = '20000101000000_from_another_branch'
    await db.raw.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
      [randomUUID(), '0'.repeat(64), name],
    )
    try {
      const result = await kezhuan('db', 'status')
      expect(result.stdout).toMatch(new RegExp(`unknown\\s+${name}`))
      expect(result.stdout).toContain('1 migration(s) need attention')
      expect(result.code).toBe(1)
      const json = await kezhuan('db', 'status', '--json')
      expect(JSON.parse(json.stdout).migrations).toContainEqual(expect.objectContaining({ name, state: 'unknown' }))
    } finally {
      await db.raw.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [name])
      process.exitCode = undefined
    }
  })

  it('db migrate reports all migrations applied', async () => {
    const result = await kezhuan('db', 'migrate')
    expect(result.code).toBe(0)
    const n = readMigrations().length
    expect(result.stdout).toContain(`${n} of ${n} migrations applied`)
  })
})

describe('kezhuan seed', () => {
  // Loading the demo data set (listings included) is the slowest thing the command line does;
  // running it twice is covered by app/domain/seed/demo.db.test.ts.
  it('loads the demo data and lists the demo accounts', { timeout: 120_000 }, async () => {
    const result = await kezhuan('seed')
    expect(result.code).toBe(0)
    for (const account of DEMO_ACCOUNTS) expect(result.stdout).toContain(account.email)
    const db = await prisma()
    expect(await db.user.count({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } } })).toBe(DEMO_ACCOUNTS.length)
  })
})

describe('kezhuan', () => {
  it('answers an unknown command with exit code 2', async () => {
    const result = await kezhuan('frobnicate')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/)
  })

  it('answers --help with exit code 0', async () => {
    const result = await kezhuan('--help')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('users')
  })
})
