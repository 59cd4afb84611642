import { afterEach, vi } from 'vitest'

// A console.error during a test is a failure: it means something went wrong unnoticed. The
// files of a worker share the process (see shared-process.ts): console.error is wrapped once.
const state = globalThis as unknown as { __kzConsoleErrors?: unknown[][] }
if (!state.__kzConsoleErrors) {
  const errors: unknown[][] = (state.__kzConsoleErrors = [])
  const original = console.error
  console.error = (...args: unknown[]) => {
    errors.push(args)
    original(...args)
  }
}

afterEach(() => {
  const seen = state.__kzConsoleErrors!.splice(0)
  if (seen.length) {
    throw new Error(`console.error was called during the test:\n${seen.map((a) => a.map(String).join(' ')).join('\n')}`)
  }
})

export function allowConsoleError() {
  return vi.spyOn(console, 'error').mockImplementation(() => {})
}
