import type { Command } from 'commander'
import { DEMO_PASSWORD, seedDemo } from '~/domain/seed/demo.server'
import { getEnv } from '~/infra/env.server'
import { UsageError } from './main'

export function registerSeedCommand(program: Command) {
  program
    .command('seed')
    .description('load the demo data set (organisations and one account per role); safe to repeat')
    .option('--force', 'load it even when NODE_ENV=production')
    .action(async (options: { force?: boolean }) => {
      if (getEnv().NODE_ENV === 'production' && !options.force) {
        throw new UsageError('refusing to load demo accounts in production (use --force if you mean it)')
      }
      const accounts = await seedDemo()
      console.log(`Demo data loaded. Demo accounts (password for all: ${DEMO_PASSWORD}):`)
      for (const a of accounts) console.log(`  ${a.role.padEnd(10)} ${a.email.padEnd(32)} ${a.label}`)
    })
}
