import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Temporary directories a test file needs until it ends (a data directory, say). Test files share
 * a worker process, so they are removed when the file is done (tests/setup/shared-process.ts),
 * not when the process exits.
 */
const state = globalThis as unknown as { __kzTempDirs?: Set<string> }
const dirs = (state.__kzTempDirs ??= new Set())

export function tempDirForFile(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  dirs.add(dir)
  return dir
}

export function removeTempDirs() {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  dirs.clear()
}
