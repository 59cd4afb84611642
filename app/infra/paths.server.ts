import { existsSync } from 'node:fs'
import path from 'node:path'

/** A project folder found upwards from `from`: works from the sources and from the build. */
export function findUp(from: string, relative: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative)
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return path.resolve(relative)
  }
}
