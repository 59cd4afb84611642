#!/usr/bin/env node
// Builds the app when there is no build yet or a source file is newer than it, so that
// `npm start` on a fresh clone (or after a pull) always serves the current code.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const output = path.join(root, 'build/server/index.js')
const sources = ['app', 'public', 'react-router.config.ts', 'vite.config.ts', 'package-lock.json']

function newest(p) {
  if (!existsSync(p)) return 0
  const stat = statSync(p)
  if (!stat.isDirectory()) return stat.mtimeMs
  let max = stat.mtimeMs
  for (const entry of readdirSync(p)) {
    if (entry === 'generated') continue
    max = Math.max(max, newest(path.join(p, entry)))
  }
  return max
}

const built = existsSync(output) ? statSync(output).mtimeMs : 0
const changed = Math.max(...sources.map((s) => newest(path.join(root, s))))
if (built > changed) process.exit(0)

console.log(built ? '[kezhuan] sources changed: building…' : '[kezhuan] first start: building…')
const result = spawnSync(process.execPath, [path.join(root, 'node_modules/@react-router/dev/bin.js'), 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (result.status !== 0) process.exit(result.status ?? 1)
