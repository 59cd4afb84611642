import { seedDemoListings, demoDir, seedDemo } from '~/domain/seed/demo.server'
import { seedDemoContracts } from '~/domain/contracts/demo.server'
import { getDb, prisma } from '~/infra/db/client.server'
const t0 = Date.now()
await getDb()
const t1 = Date.now()
await seedDemo()
const t2 = Date.now()
const db = await prisma()
const n = await db.contract.count()
await db.$executeRawUnsafe('DELETE FROM "Contract"')
const t3 = Date.now()
await seedDemoContracts({ dir: demoDir() })
const t4 = Date.now()
console.log(`open+migrate ${t1 - t0} ms; seedDemo ${t2 - t1} ms (${n} contracts); contracts again ${t4 - t3} ms`)
process.exit(0)
