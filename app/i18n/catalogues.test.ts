import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { OrgKind, Role } from '~/generated/prisma/enums'
import type { ReasonCode } from '~/domain/matching/rerank'
import { creditCodeProblem, withCheckCharacter, type CreditCodeProblem } from '~/domain/orgs/credit-code'
import { CATALOGUES, LOCALES, translator } from './i18n'

const APP = path.resolve(import.meta.dirname, '..')
const I18N = import.meta.dirname
const catalogues = CATALOGUES
const KEYS = new Set(Object.keys(CATALOGUES['zh-CN']))
// The first segment of every key: app, nav, err, orgKind, …
const NAMESPACES = [...new Set([...KEYS].map((k) => k.split('.')[0]!))]

function files(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .filter((f) => !f.includes(`${path.sep}generated${path.sep}`) && !/\.test\.tsx?$/.test(f) && keep(f))
}

/** Source text without import lines (their paths, e.g. './app.css', look like keys). */
function source(file: string) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(import|export .* from)\b/.test(line))
    .join('\n')
}

const rel = (f: string) => path.relative(APP, f)

/** Quoted literals that look like message keys of a known namespace, with where they occur. */
function literalKeys(list: string[], namespaces: string[]) {
  const re = new RegExp(`['"](?:${namespaces.join('|')})\\.[A-Za-z0-9_.]*[A-Za-z0-9_](?:\\?[^'"\\s]*)?['"]`, 'g')
  const found: { key: string; where: string }[] = []
  for (const f of list) {
    for (const m of source(f).matchAll(re)) found.push({ key: m[0].slice(1, -1).split('?')[0]!, where: rel(f) })
  }
  return found
}

/** Template literals that build a key, e.g. `orgKind.${k}`: each must be listed in EXPANSIONS. */
function templateKeys(list: string[]) {
  const found: { pattern: string; where: string }[] = []
  for (const f of list) {
    for (const m of source(f).matchAll(/`((?:[A-Za-z]+\.)[^`]*\$\{[^`]*)`/g)) {
      // Parameters after `?` (`err.tooLong?max=${n}`) are not part of the key.
      const pattern = m[1]!.replace(/\$\{[^}]*\}/g, '*').split('?')[0]!
      if (NAMESPACES.includes(pattern.split('.')[0]!)) found.push({ pattern, where: rel(f) })
    }
  }
  return found
}

/** `key (file)` for each key not in the catalogues, once. */
const missingKeys = (found: { key: string; where: string }[]) =>
  [...new Set(found.filter((k) => !KEYS.has(k.key)).map((k) => `${k.key} (${k.where})`))].sort()

const CREDIT_CODE_PROBLEMS: CreditCodeProblem[] = ['length', 'charset', 'division', 'check']
const ERROR_PAGE_STATUSES = [400, 401, 403, 404, 500]

/** What each known key-building template can produce. */
const EXPANSIONS: Record<string, string[]> = {
  'orgKind.*': Object.values(OrgKind).map((k) => `orgKind.${k}`),
  'role.*': Object.values(Role).map((r) => `role.${r}`),
  'error.*': ERROR_PAGE_STATUSES.map((s) => `error.${s}`),
  'error.*.detail': [403, 404, 500].map((s) => `error.${s}.detail`),
  'err.creditCode.*': CREDIT_CODE_PROBLEMS.map((p) => `err.creditCode.${p}`),
  // reasonText's default branch: the reason codes without a fit/misfit pair.
  'match.reason.*': (['terms', 'synonyms', 'keywords', 'missing'] satisfies ReasonCode[]).map((c) => `match.reason.${c}`),
}

const uiFiles = files(APP, (f) => f.endsWith('.tsx') || (f.startsWith(path.join(APP, 'routes')) && f.endsWith('.ts')) || f.startsWith(path.join(APP, 'infra', 'http')))
const domainFiles = files(path.join(APP, 'domain'), (f) => f.endsWith('.ts'))

describe('message catalogues', () => {
  it('zh-CN and en have exactly the same keys, none of them empty', () => {
    expect(LOCALES).toEqual(['zh-CN', 'en'])
    expect(Object.keys(catalogues.en).sort()).toEqual(Object.keys(catalogues['zh-CN']).sort())
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), `${locale} ${key}`).not.toBe('')
    }
  })

  it('each area keeps a zh-CN/en pair with the same keys, and no two areas define one key', async () => {
    const areas = new Map<string, Record<string, Record<string, string>>>()
    for (const file of readdirSync(I18N).filter((f) => /^(?:[\w-]+\.)?(?:zh-CN|en)\.ts$/.test(f))) {
      const [, area = '', locale] = file.match(/^(?:([\w-]+)\.)?(zh-CN|en)\.ts$/)!
      const module = (await import(/* @vite-ignore */ path.join(I18N, file))) as Record<string, Record<string, string>>
      const exported = Object.values(module).find((v) => typeof v === 'object' && v !== null)!
      areas.set(area, { ...areas.get(area), [locale!]: exported })
    }
    expect([...areas.keys()]).toContain('')
    const owner = new Map<string, string>()
    for (const [area, pair] of areas) {
      expect(Object.keys(pair).sort(), `area "${area}"`).toEqual(['en', 'zh-CN'])
      expect(Object.keys(pair.en!).sort(), `area "${area}"`).toEqual(Object.keys(pair['zh-CN']!).sort())
      for (const key of Object.keys(pair['zh-CN']!)) {
        expect(owner.get(key), `${key} is defined by area "${owner.get(key)}" and "${area}"`).toBeUndefined()
        owner.set(key, area)
      }
    }
    expect(owner.size).toBe(KEYS.size)
  })

  it('use the same {placeholders} for a key in both languages', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of KEYS) expect(names(catalogues.en[key]!), key).toEqual(names(catalogues['zh-CN'][key]!))
  })

  it('the source scan finds the app (guards the scan itself)', () => {
    expect(uiFiles.map(rel)).toEqual(expect.arrayContaining(['root.tsx', path.join('routes', 'register.tsx'), path.join('ui', 'error-page.tsx')]))
    const ui = literalKeys(uiFiles, NAMESPACES).map((k) => k.key)
    expect(ui).toEqual(expect.arrayContaining(['app.name', 'register.title', 'orgs.verifiedOk', 'err.crossSite']))
    expect(literalKeys(domainFiles, ['err']).map((k) => k.key)).toEqual(expect.arrayContaining(['err.required', 'err.forbidden']))
  })

  it('contain every key the pages use', () => {
    expect(missingKeys(literalKeys(uiFiles, NAMESPACES))).toEqual([])
  })

  it('contain every err.* key the domain uses', () => {
    expect(missingKeys(literalKeys(domainFiles, ['err']))).toEqual([])
  })

  it('contain every key a template literal can build', () => {
    const templates = templateKeys([...uiFiles, ...domainFiles])
    expect(templates.length).toBeGreaterThan(0)
    // A new template needs an entry in EXPANSIONS saying which keys it makes.
    // A template with parameters only (`err.x?max=${n}`) names one key.
    const literal = templates.filter((t) => !t.pattern.includes('*'))
    expect(missingKeys(literal.map((t) => ({ key: t.pattern, where: t.where })))).toEqual([])
    expect(templates.filter((t) => t.pattern.includes('*') && !(t.pattern in EXPANSIONS))).toEqual([])
    for (const { pattern } of templates.filter((t) => t.pattern.includes('*'))) {
      for (const key of EXPANSIONS[pattern]!) expect(KEYS.has(key), `${key} (from \`${pattern}\`)`).toBe(true)
    }
  })

  it('the credit-code expansion lists every problem the checker reports', () => {
    const reported = new Set(
      ['1', '91350100M0001O0Y43', withCheckCharacter('91ABCDEF708461136'), '91350100M000100Y44'].map((c) => creditCodeProblem(c)),
    )
    expect([...reported].sort()).toEqual([...CREDIT_CODE_PROBLEMS].sort())
  })
})

describe('translator', () => {
  it('interpolates parameters carried in the key', () => {
    expect(translator('zh-CN')('err.tooLong?max=100')).toBe('不能超过 100 个字符')
    expect(translator('en')('err.tooLong?max=100')).toBe('At most 100 characters')
    expect(translator('zh-CN')('err.passwordShort?min=8')).toBe('密码至少 8 位')
  })

  it('interpolates explicit parameters, which win over those in the key', () => {
    expect(translator('zh-CN')('orgs.total', { count: 3 })).toBe('共 3 家')
    expect(translator('zh-CN')('err.tooLong?max=100', { max: 20 })).toBe('不能超过 20 个字符')
  })

  it('shows an unknown key as it is, and leaves a missing parameter visible', () => {
    expect(translator('en')('no.such.key')).toBe('no.such.key')
    expect(translator('zh-CN')('err.tooLong')).toBe('不能超过 {max} 个字符')
  })

  it('does not treat parameter values as placeholders or markup', () => {
    expect(translator('zh-CN')('orgs.verifiedOk', { name: '{count}<b>' })).toBe('已认证：{count}<b>')
  })
})
