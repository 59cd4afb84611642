import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { z } from 'zod'
import { createUser } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { UsageError } from './main'

const ROLES = ['supplier', 'enterprise', 'broker', 'bureau', 'admin'] as const

const CreateArgs = z.object({
  email: z.email({ error: 'not a valid e-mail address' }),
  password: z.string().min(8, { error: 'at least 8 characters' }).max(128, { error: 'at most 128 characters' }),
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` }),
  org: z.string().trim().min(1).max(200).optional(),
  orgAdmin: z.boolean().optional(),
})

export function registerUserCommands(program: Command) {
  const users = program.command('users').description('accounts')

  users
    .command('create')
    .description('create an account, e.g. the first administrator')
    .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
    .option('--password <password>', 'password (or use --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--name <name>', 'display name', '管理员')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--org <id-or-name>', 'organisation (its id or exact name)')
    .option('--org-admin', 'make the user an administrator of the organisation')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const password = options.passwordStdin ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : options.password
      if (password === undefined) throw new UsageError('give --password or --password-stdin')
      const args = CreateArgs.parse({ ...options, password })
      const orgId = args.org ? await resolveOrg(args.org) : undefined
      if (['supplier', 'enterprise', 'broker'].includes(args.role) && !orgId) {
        throw new UsageError(`a ${args.role} belongs to an organisation: give --org`)
      }
      const user = await createUser({
        actor: 'system',
        input: {
          email: args.email,
          password: args.password,
          name: args.name,
          role: args.role.toUpperCase() as Uppercase<(typeof ROLES)[number]>,
          orgId,
          isOrgAdmin: args.orgAdmin ?? false,
        },
      })
      console.log(`created ${user.role} ${user.email} (${user.id})`)
    })
}

async function resolveOrg(idOrName: string): Promise<string> {
  const db = await prisma()
  const org = await db.organization.findFirst({ where: { OR: [{ id: idOrName }, { name: idOrName }] }, select: { id: true } })
  if (!org) throw new UsageError(`no organisation with id or name "${idOrName}"`)
  return org.id
}
