import { vi } from 'vitest'
import { allowConsoleError } from '../tests/setup/no-console-error'
import { main } from './main'

/**
 * Runs `kezhuan …` in-process on the calling test file's database and returns the exit code with
 * what it printed, as a terminal would show it (a console line ends with a newline). The test
 * database stays open (`keepDb`: main closes only a database it opened itself).
 */
export async function kezhuan(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const line = (into: string[]) => (...a: unknown[]) => void into.push(`${a.map(String).join(' ')}\n`)
  const chunk = (into: string[]) => (data: string | Uint8Array) => {
    into.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'))
    return true
  }
  const log = vi.spyOn(console, 'log').mockImplementation(line(out))
  const error = allowConsoleError().mockImplementation(line(err))
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(chunk(err))
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(chunk(out))
  try {
    const code = await main(['node', 'kezhuan', ...args], { keepDb: true })
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    log.mockRestore()
    error.mockRestore()
    stderr.mockRestore()
    stdout.mockRestore()
  }
}
