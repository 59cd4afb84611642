import { prisma } from '~/infra/db/client.server'
import { runSearchEngineContract } from './contract'
import { createEmbeddedEngine } from './embedded.server'

// On PGlite and on PostgreSQL (the two database projects), each with a fresh database.
runSearchEngineContract('embedded', async () => {
  const db = await prisma()
  await db.$executeRawUnsafe('DELETE FROM "SearchDocument"')
  await db.$executeRawUnsafe('DELETE FROM "SearchTermStat"')
  await db.$executeRawUnsafe('DELETE FROM "SearchFacetStat"')
  return { engine: createEmbeddedEngine() }
})
