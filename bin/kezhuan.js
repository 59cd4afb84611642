#!/usr/bin/env node
// The `kezhuan` command line. It runs the TypeScript sources with tsx, so it uses exactly
// the app's configuration and domain code.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv)
