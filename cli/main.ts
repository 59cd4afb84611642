import { Command, CommanderError } from 'commander'
import { z } from 'zod'
import { isAppError } from '~/domain/errors'
import { translator } from '~/i18n/i18n'
import { EnvError } from '~/infra/env.server'
import { DatabaseInUseError } from '~/infra/db/client.server'
import { registerDbCommands } from './db'
import { registerExportCommand } from './export'
import { registerImportCommand } from './import'
import { registerMatchCommand } from './match'
import { registerSearchCommands } from './search'
import { registerSeedCommand } from './seed'
import { registerUserCommands } from './users'

/** Thrown by commands for a wrong argument; printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export function buildProgram() {
  const program = new Command()
    .name('kezhuan')
    .description('KeZhuan (科转) command line: the same configuration and domain code as the app')
    .showHelpAfterError()
    .exitOverride()
  registerUserCommands(program)
  registerDbCommands(program)
  registerSeedCommand(program)
  registerImportCommand(program)
  registerExportCommand(program)
  registerMatchCommand(program)
  registerSearchCommands(program)
  return program
}

/** Thrown by a command that has already reported a problem: only sets the exit code. */
export class CommandFailed extends Error {
  constructor(readonly exitCode = 1) {
    super(`exit code ${exitCode}`)
  }
}

/**
 * Runs the command line and returns the exit code; the database is closed afterwards, unless
 * `keepDb` (tests, which hand the process a database of their own with setDb).
 */
export async function main(argv: string[], { keepDb = false }: { keepDb?: boolean } = {}): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    if (error instanceof CommandFailed) return error.exitCode
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`)
      return 2
    }
    if (error instanceof z.ZodError) {
      for (const issue of error.issues) console.error(`error: --${issue.path.join('.')}: ${issue.message}`)
      return 2
    }
    if (isAppError(error)) {
      // The message in words (Chinese, as the other commands speak), then its code and key.
      const t = translator('zh-CN')
      const fields = Object.entries(error.fields ?? {}).map(([k, v]) => `\n  ${k}: ${t(v)} (${v})`).join('')
      console.error(`error: ${t(error.message, error.params)} (${error.code} ${error.message})${fields}`)
      return 1
    }
    if (error instanceof EnvError || error instanceof DatabaseInUseError) {
      console.error(`error: ${error.message}`)
      return 1
    }
    console.error(error)
    return 1
  } finally {
    if (!keepDb) {
      const { closeDb } = await import('~/infra/db/client.server')
      await closeDb()
    }
  }
}
