/**
 * The import page and the export resource route, called as React Router calls them: a real
 * Request (multipart for uploads), params and a context with the signed-in user.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { RouterContextProvider } from 'react-router'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { resetEnv } from '~/infra/env.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import { makeOrg, makeUser } from '../../tests/factories'
import * as importRoute from './import'
import * as exportRoute from './resources/export'

const ORIGIN = 'http://localhost'
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kz-import-route-'))
let previousDataDir: string | undefined

beforeAll(async () => {
  previousDataDir = process.env.KZ_DATA_DIR
  process.env.KZ_DATA_DIR = dataDir
  resetEnv()
  await makeOrg({ kind: 'GOVERNMENT', name: '重庆市永川区科学技术局', verified: true })
})

afterAll(() => {
  if (previousDataDir === undefined) delete process.env.KZ_DATA_DIR
  else process.env.KZ_DATA_DIR = previousDataDir
  resetEnv()
  rmSync(dataDir, { recursive: true, force: true })
})

async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}

const call = (fn: (args: never) => unknown, request: Request, ctx: RouterContextProvider, params: Record<string, string> = {}) =>
  new Promise<unknown>((resolve) => resolve(fn({ request, params, context: ctx, url: new URL(request.url) } as never)))

async function outcome(promise: Promise<unknown>): Promise<{ status: number; headers: Headers; data: any }> {
  const value = await promise.catch((error: unknown) => error)
  if (value instanceof Response) {
    const text = await value.text()
    let data: unknown = text
    try {
      data = JSON.parse(text)
    } catch {}
    return { status: value.status, headers: value.headers, data }
  }
  if (value instanceof Error) throw value
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null }
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data }
  }
  return { status: 200, headers: new Headers(), data: value }
}

function upload(fields: Record<string, string>, file?: { name: string; content: string | Uint8Array }) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  if (file) form.set('file', new File([file.content as BlobPart], file.name))
  return new Request(`${ORIGIN}/import`, { method: 'POST', body: form })
}

const post = (fields: Record<string, string>) => new Request(`${ORIGIN}/import`, { method: 'POST', body: new URLSearchParams(fields) })

const HEADER = 'id,title,summary,field,industry,keywords,trl,transferModes,askingPrice,owner'
const line = (id: string, trl: number, title: string) =>
  `${id},${title},采用结构光 3D 相机与点云位姿估计，实现散乱金属件的无序抓取。,先进制造与自动化,智能装备,机器视觉,${trl},许可,800000,渝西理工大学`

describe('/import', () => {
  it('uploads, previews with the errors, refuses to confirm a file with errors, then imports the valid rows', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const ctx = await context(bureau)
    const csv = [HEADER, line('W1', 6, '网页导入甲'), line('W2', 12, '网页导入乙'), line('W3', 5, '网页导入丙')].join('\n')
    const uploaded = await outcome(call(importRoute.action, upload({ intent: 'upload', kind: 'achievement', source: 'web-test' }, { name: '成果.csv', content: csv }), ctx))
    expect(uploaded.status).toBe(302)
    const location = uploaded.headers.get('Location')!
    expect(location).toMatch(/^\/import\?id=[a-f0-9]{32}$/)
    const id = location.split('=')[1]!

    const preview = await outcome(call(importRoute.loader, new Request(`${ORIGIN}${location}`), ctx))
    expect(preview.data.upload).toMatchObject({
      status: 'ready',
      fileName: '成果.csv',
      preview: { total: 3, valid: 2, invalidRows: 1, updates: 0, status: 'PUBLISHED', newOrgs: ['渝西理工大学'] },
      cellErrors: [{ row: 3, column: 'trl', key: 'err.trl' }],
    })
    expect(preview.data.upload.rows.map((r: { row: number }) => r.row)).toEqual([2, 3, 4])
    expect(preview.data.upload.header.map((h: { key: string }) => h.key)).toEqual(HEADER.split(','))

    const report = await outcome(call(importRoute.loader, new Request(`${ORIGIN}${location}&report=errors`), ctx))
    expect(report.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(report.data).toContain('"3","trl","err.trl","技术成熟度应为 1—9 的整数"')

    // Someone else cannot see or confirm it.
    const stranger = await context(await makeUser({ role: 'BUREAU' }))
    expect((await outcome(call(importRoute.loader, new Request(`${ORIGIN}${location}`), stranger))).data).toMatchObject({ upload: null, expired: true })

    const refused = await outcome(call(importRoute.action, post({ intent: 'confirm', id }), ctx))
    expect(refused).toMatchObject({ status: 400, data: { formError: 'err.import.hasErrors' } })
    const db = await prisma()
    expect(await db.achievement.count({ where: { source: 'web-test' } })).toBe(0)

    const done = await outcome(call(importRoute.action, post({ intent: 'confirm', id, skipInvalid: 'on' }), ctx))
    expect(done.status).toBe(302)
    const result = await outcome(call(importRoute.loader, new Request(`${ORIGIN}${location}`), ctx))
    expect(result.data.upload).toMatchObject({ status: 'done', result: { created: 2, updated: 0, skipped: 1, written: true } })
    expect(await db.achievement.count({ where: { source: 'web-test', status: 'PUBLISHED' } })).toBe(2)

    // A second confirmation of the same upload does nothing.
    expect(await outcome(call(importRoute.action, post({ intent: 'confirm', id, skipInvalid: 'on' }), ctx))).toMatchObject({ status: 409, data: { formError: 'err.import.busy' } })
  })

  it('refuses other file types, too large files and missing files clearly', async () => {
    const ctx = await context(await makeUser({ role: 'BUREAU' }))
    const pdf = await outcome(call(importRoute.action, upload({ intent: 'upload', kind: 'achievement' }, { name: 'scan.pdf', content: '%PDF-1.4' }), ctx))
    expect(pdf).toMatchObject({ status: 400, data: { formError: 'err.import.fileType?name=scan.pdf' } })
    const none = await outcome(call(importRoute.action, upload({ intent: 'upload', kind: 'achievement' }), ctx))
    expect(none).toMatchObject({ status: 400, data: { formError: 'err.import.noFile' } })
    const big = await outcome(
      call(importRoute.action, upload({ intent: 'upload', kind: 'achievement' }, { name: 'big.csv', content: new Uint8Array(21 * 1024 * 1024) }), ctx),
    )
    expect(big).toMatchObject({ status: 413, data: { formError: 'err.import.tooLarge?max=20' } })
  })

  it('lets an organisation admin import only their kind; others get 403', async () => {
    const org = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const admin = await context(await makeUser({ role: 'ENTERPRISE', orgId: org.id, isOrgAdmin: true }))
    const page = await outcome(call(importRoute.loader, new Request(`${ORIGIN}/import`), admin))
    expect(page.data).toMatchObject({ kinds: ['demand'], mode: 'org' })
    const wrongKind = await outcome(call(importRoute.action, upload({ intent: 'upload', kind: 'achievement' }, { name: 'a.csv', content: HEADER }), admin))
    expect(wrongKind).toMatchObject({ status: 400, data: { formError: 'err.import.kind' } })

    const member = await context(await makeUser({ role: 'ENTERPRISE', orgId: org.id, isOrgAdmin: false }))
    expect((await outcome(call(importRoute.loader, new Request(`${ORIGIN}/import`), member))).status).toBe(403)
    const broker = await context(await makeUser({ role: 'BROKER', isOrgAdmin: true }))
    expect((await outcome(call(importRoute.loader, new Request(`${ORIGIN}/import`), broker))).status).toBe(403)
    const anonymous = await outcome(call(importRoute.loader, new Request(`${ORIGIN}/import`), await context()))
    expect(anonymous.status).toBe(302)
  })
})

describe('/export/:kind', () => {
  const get = (path: string) => new Request(`${ORIGIN}${path}`)

  it('streams a CSV with a BOM and a Chinese file name, published listings only, no confidential details', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const ctx = await context(bureau)
    const marker = `导出路由${Math.random().toString(36).slice(2, 7)}`
    const json = JSON.stringify([
      {
        id: 'E1',
        title: `${marker} 保密需求`,
        description: '我们的铝合金压铸件气孔率偏高，需要一套在线检测方案。',
        industry: '汽车及零部件',
        field: '先进制造与自动化',
        cooperationModes: ['合作开发'],
        confidential: true,
        currentSituation: '绝密现状描述',
        enterprise: '重庆路由测试机械有限公司',
      },
    ])
    const form = upload({ intent: 'upload', kind: 'demand', source: 'export-route' }, { name: 'd.json', content: json })
    const location = (await outcome(call(importRoute.action, form, ctx))).headers.get('Location')!
    await outcome(call(importRoute.action, post({ intent: 'confirm', id: location.split('=')[1]! }), ctx))

    const response = (await call(exportRoute.loader, get(`/export/demands?format=csv&q=${encodeURIComponent(marker)}`), ctx, { kind: 'demands' })) as Response
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="kezhuan-demands-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''%E6%8A%80%E6%9C%AF%E9%9C%80%E6%B1%82-\d{4}-\d{2}-\d{2}\.csv$/)
    const bytes = Buffer.from(await response.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8')
    expect(text).toContain(`${marker} 保密需求`)
    expect(text).toContain('是')
    expect(text).not.toContain('绝密现状描述')
  })

  it('answers 400 with JSON for a wrong kind, format or filter', async () => {
    const ctx = await context()
    const kind = await outcome(call(exportRoute.loader, get('/export/patents'), ctx, { kind: 'patents' }))
    expect(kind).toMatchObject({ status: 400, data: { error: 'err.export.kind' } })
    const format = await outcome(call(exportRoute.loader, get('/export/achievements?format=pdf'), ctx, { kind: 'achievements' }))
    expect(format).toMatchObject({ status: 400, data: { error: 'err.export.format' } })
    const filter = await outcome(call(exportRoute.loader, get('/export/achievements?trlMin=0&field=X'), ctx, { kind: 'achievements' }))
    expect(filter).toMatchObject({
      status: 400,
      data: { error: 'err.invalidForm', fields: { trlMin: { code: 'err.trl', message: '技术成熟度应为 1—9 的整数' }, field: { code: 'err.field' } } },
    })
    const xlsx = await outcome(call(exportRoute.loader, get('/export/scenarios?format=xlsx&page=3'), ctx, { kind: 'scenarios' }))
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  })
})
