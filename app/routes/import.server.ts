import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '~/domain/errors'
import type { ParsedFile, RowError } from '~/domain/listings/exchange'
import type { ImportPlan, ImportSummary } from '~/domain/listings/import.server'
import type { ListingKind } from '~/domain/listings/kinds'
import { msg } from '~/domain/validation/fields'
import { getEnv } from '~/infra/env.server'

/**
 * Uploads between preview and confirmation: the parsed file and what the preview found are kept
 * under KZ_DATA_DIR/imports/<id>/, readable only by the person who uploaded them. Nothing is
 * written to the database before the confirmation. Uploads older than a day are removed.
 */

export const MAX_UPLOAD_MB = 20
export const MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
const KEEP_MS = 24 * 3600 * 1000
const ID = /^[a-f0-9]{32}$/

export type UploadStatus = 'ready' | 'checking' | 'running' | 'done' | 'failed'

export interface UploadMeta {
  id: string
  userId: string
  kind: ListingKind
  source: string
  fileName: string
  createdAt: string
  status: UploadStatus
  /** What the preview found (the confirmation checks again). */
  preview: {
    total: number
    valid: number
    invalidRows: number
    updates: number
    errors: RowError[]
    newOrgs: string[]
    newBatches: string[]
    status: ImportPlan['status']
    notes: string[]
  }
  progress?: { done: number; total: number }
  result?: Omit<ImportSummary, 'errors'> & { errorCount: number }
  failure?: string
}

function importsDir() {
  return path.join(getEnv().dataDir, 'imports')
}

function dirOf(id: string) {
  if (!ID.test(id)) throw new AppError('NOT_FOUND', 'err.import.expired')
  return path.join(importsDir(), id)
}

async function writeJson(file: string, value: unknown) {
  // Written whole, then renamed: a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(value))
  await rename(tmp, file)
}

export async function saveUpload(meta: Omit<UploadMeta, 'id' | 'createdAt' | 'status'>, file: ParsedFile): Promise<UploadMeta> {
  await removeOldUploads()
  const id = randomBytes(16).toString('hex')
  const dir = dirOf(id)
  await mkdir(dir, { recursive: true })
  const full: UploadMeta = { ...meta, id, createdAt: new Date().toISOString(), status: 'ready' }
  await writeJson(path.join(dir, 'file.json'), file)
  await writeJson(path.join(dir, 'meta.json'), full)
  return full
}

/** The upload, if it exists and belongs to the user. */
export async function loadMeta(id: string, userId: string): Promise<UploadMeta> {
  let meta: UploadMeta
  try {
    meta = JSON.parse(await readFile(path.join(dirOf(id), 'meta.json'), 'utf8')) as UploadMeta
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('NOT_FOUND', 'err.import.expired')
  }
  if (meta.userId !== userId) throw new AppError('NOT_FOUND', 'err.import.expired')
  return meta
}

export async function loadFile(id: string): Promise<ParsedFile> {
  return JSON.parse(await readFile(path.join(dirOf(id), 'file.json'), 'utf8')) as ParsedFile
}

export async function saveMeta(meta: UploadMeta) {
  await writeJson(path.join(dirOf(meta.id), 'meta.json'), meta)
}

// Two confirmations of one upload in this process: the second is refused.
const running = new Set<string>()

/** Marks an upload as being imported; false when it already is (or was). */
export async function claimUpload(meta: UploadMeta): Promise<boolean> {
  if (running.has(meta.id) || meta.status !== 'ready') return false
  running.add(meta.id)
  await saveMeta({ ...meta, status: 'checking' })
  return true
}

export function releaseUpload(id: string) {
  running.delete(id)
}

async function removeOldUploads() {
  const dir = importsDir()
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  const now = Date.now()
  for (const name of names) {
    if (!ID.test(name) || running.has(name)) continue
    const info = await stat(path.join(dir, name)).catch(() => null)
    if (info && now - info.mtimeMs > KEEP_MS) await rm(path.join(dir, name), { recursive: true, force: true })
  }
}

/**
 * A multipart body read up to a limit: a larger upload is refused before it fills the memory
 * (a missing or false Content-Length does not get past the count).
 */
export async function readLimitedFormData(request: Request, maxBytes = MAX_UPLOAD_BYTES + 64 * 1024): Promise<FormData> {
  const tooLarge = () => new AppError('BAD_INPUT', msg('err.import.tooLarge', { max: MAX_UPLOAD_MB }))
  const declared = Number(request.headers.get('Content-Length'))
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge()
  if (!request.body) return request.formData()
  const reader = request.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    parts.push(value)
  }
  return new Response(Buffer.concat(parts), { headers: { 'Content-Type': request.headers.get('Content-Type') ?? '' } }).formData()
}
