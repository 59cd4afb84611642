import type { Command } from 'commander'
import { getDb } from '~/infra/db/client.server'
import { migrationStatus, readMigrations } from '~/infra/db/migrate.server'
import { CommandFailed } from './main'

export function registerDbCommands(program: Command) {
  const db = program.command('db').description('database migrations')

  db.command('migrate')
    .description('apply pending migrations (the app also does this at start-up)')
    .action(async () => {
      // Opening the database applies what is pending.
      const database = await getDb()
      const states = await migrationStatus(database.raw)
      console.log(`database: ${database.mode} (${database.location})`)
      console.log(`${states.filter((s) => s.state === 'applied').length} of ${readMigrations().length} migrations applied`)
    })

  db.command('status')
    .description('list migrations and whether each is applied')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const database = await getDb()
      const states = await migrationStatus(database.raw)
      if (options.json) {
        console.log(JSON.stringify({ mode: database.mode, location: database.location, migrations: states }))
        return
      }
      console.log(`database: ${database.mode} (${database.location})`)
      for (const s of states) console.log(`${s.state.padEnd(8)} ${s.name}`)
      const problems = states.filter((s) => s.state !== 'applied')
      console.log(problems.length ? `${problems.length} migration(s) need attention` : 'Database schema is up to date!')
      // Thrown, not process.exitCode: bin/kezhuan.js sets the exit code from main's answer.
      if (problems.length) throw new CommandFailed(1)
    })
}
