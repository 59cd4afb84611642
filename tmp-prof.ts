import { openDatabase, setDb, prisma } from '~/infra/db/client.server'
import { migrate } from '~/infra/db/migrate.server'
import { readExchangeFile } from '~/domain/listings/exchange-files.server'
import { prepareImport, runImport } from '~/domain/listings/import.server'
import { syncSearchDocument, searchDocFor } from '~/domain/search/documents.server'
import { writeSearchDocuments } from '~/infra/search/embedded.server'
import { enqueue } from '~/domain/events/outbox.server'
import { achievementsCsv } from './bench/achievements-data'
process.env.KZ_DATA_DIR = '/tmp/kzimp/profdata'
const db = await openDatabase({ mode: 'pglite', dataDir: null })
await migrate(db.raw)
setDb(db)
const file = await readExchangeFile('achievement', achievementsCsv(300), 'b.csv')
const plan = await prepareImport({ actor: 'system', kind: 'achievement', file, source: 'p' })
let t = performance.now()
await runImport({ actor: 'system', plan })
console.log('import 300', Math.round(performance.now() - t))
const p = await prisma()
const rows = await p.achievement.findMany({ include: { org: { select: { id: true, name: true, regionCode: true } } } })
t = performance.now()
await p.$transaction(async (tx) => { for (const r of rows) await tx.achievement.findUnique({ where: { id: r.id }, include: { org: { select: { id: true, name: true, regionCode: true } } } }) })
console.log('findUnique 300', Math.round(performance.now() - t))
t = performance.now()
const docs = rows.map((r) => searchDocFor('achievement', r as never))
console.log('docs 300', Math.round(performance.now() - t))
t = performance.now()
await p.$transaction(async (tx) => { await writeSearchDocuments(tx, docs) })
console.log('writeSearchDocuments 300', Math.round(performance.now() - t))
t = performance.now()
await p.$transaction(async (tx) => { for (const r of rows) await enqueue(tx, 'match.recompute', { kind: 'achievement', id: r.id }) })
console.log('enqueue 300', Math.round(performance.now() - t))
t = performance.now()
await p.$transaction(async (tx) => { for (const r of rows) await syncSearchDocument(tx, 'achievement', r.id) })
console.log('sync 300', Math.round(performance.now() - t))
process.exit(0)
