import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Jieba } from '@node-rs/jieba'
import { findUp } from '~/infra/paths.server'

/**
 * Chinese text → search terms. jieba segments (with its own dictionary plus the domain
 * dictionary in search/, so 数控机床 or 页岩气 stay whole); search mode also yields the parts
 * (数控机床 → 数控, 机床, 数控机床), so a document matches the whole word and its parts.
 */
const require = createRequire(import.meta.url)
export const SEARCH_DIR = path.dirname(findUp(import.meta.dirname, 'search/dictionary.txt'))

interface TextTools {
  jieba: Jieba
  stopwords: Set<string>
  idf: Map<string, number>
  medianIdf: number
  synonyms: Map<string, string[]>
  domainTerms: Set<string>
}

let tools: TextTools | undefined

function load(): TextTools {
  if (tools) return tools
  const { dict, idf: idfBytes } = require('@node-rs/jieba/dict') as { dict: Uint8Array; idf: Uint8Array }
  const jieba = Jieba.withDict(dict)
  const domainLines = readLines(path.join(SEARCH_DIR, 'dictionary.txt'))
  const domainTerms = new Set(domainLines.map((l) => l.split(/\s+/)[0]!))
  jieba.loadDict(Buffer.from(domainLines.map((l) => (l.split(/\s+/).length === 1 ? `${l} 2000 n` : l)).join('\n')))
  const synonymGroups = (JSON.parse(readFileSync(path.join(SEARCH_DIR, 'synonyms.json'), 'utf8')) as { groups: string[][] }).groups
  // Synonyms are words too: teach them to the segmenter so that they stay whole.
  const extra = synonymGroups.flat().filter((w) => !domainTerms.has(w))
  if (extra.length) jieba.loadDict(Buffer.from(extra.map((w) => `${w} 1500 n`).join('\n')))
  const synonyms = new Map<string, string[]>()
  for (const group of synonymGroups) {
    const words = group.map(normalizeTerm)
    for (const w of words) synonyms.set(w, [...new Set([...(synonyms.get(w) ?? []), ...words.filter((x) => x !== w)])])
  }
  const idf = new Map<string, number>()
  for (const line of Buffer.from(idfBytes).toString('utf8').split('\n')) {
    const [word, value] = line.split(' ')
    if (word && value) idf.set(word, Number(value))
  }
  const values = [...idf.values()].sort((a, b) => a - b)
  tools = {
    jieba,
    stopwords: new Set(readLines(path.join(SEARCH_DIR, 'stopwords.txt'))),
    idf,
    medianIdf: values[Math.floor(values.length / 2)] ?? 10,
    synonyms,
    domainTerms: new Set([...domainTerms, ...synonymGroups.flat()].map(normalizeTerm)),
  }
  return tools
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
}

export function normalizeTerm(term: string): string {
  return term.normalize('NFKC').toLowerCase().trim()
}

// A term must carry a letter, a digit or a CJK character, and not be a lone ASCII letter.
const MEANINGFUL = /[\p{L}\p{N}]/u
const LONE_LATIN = /^[a-z]$/

/** Terms of a text in search mode, in order, with repeats (positions matter for ranking). */
export function segment(text: string): string[] {
  const { jieba, stopwords } = load()
  const clean = text.normalize('NFKC').slice(0, 20_000)
  const out: string[] = []
  for (const raw of jieba.cutForSearch(clean, true)) {
    const term = normalizeTerm(raw)
    if (!term || !MEANINGFUL.test(term) || LONE_LATIN.test(term) || stopwords.has(term) || term.length > 40) continue
    out.push(term)
  }
  return out
}

/** How informative a term is: jieba's IDF, and rare for words it does not know (domain words). */
export function informativeness(term: string): number {
  const t = load()
  if (t.domainTerms.has(term)) return Math.max(t.medianIdf + 2, t.idf.get(term) ?? 0)
  return t.idf.get(term) ?? t.medianIdf + 1
}

export function synonymsOf(term: string): string[] {
  return load().synonyms.get(term) ?? []
}

/**
 * One idea of a query: a word, and what may stand for it in a document (its parts, so that
 * 压铸件 also finds 压铸, and its synonyms, so that 数控机床 also finds CNC).
 */
export interface Concept {
  term: string
  alternatives: string[]
  informativeness: number
}

const SINGLE_CJK = /^[\u4e00-\u9fff]$/u

/**
 * Below this (jieba's IDF), a part of a compound is a word of general Chinese: 管理 in 热管理
 * (thermal management), 汽车 in 新能源汽车, 系统 in 控制系统, 产品 in 农产品加工. As an
 * alternative in a search it would find every listing that mentions management, cars or systems.
 * 压铸 and 铸件 (压铸件), 污水 (污水处理) or 新能源 (新能源汽车) stay.
 */
const GENERAL_PART_BELOW = 6.2

function alternativesOf(term: string, segmented: string[], generalParts: boolean): string[] {
  const parts = segmented.filter(
    (p) => p !== term && term.includes(p) && !SINGLE_CJK.test(p) && (generalParts || informativeness(p) >= GENERAL_PART_BELOW),
  )
  return [...new Set([...parts, ...synonymsOf(term), ...parts.flatMap(synonymsOf)])].filter((w) => w !== term)
}

/**
 * The concepts of a query, most informative first. A long query (a demand's whole
 * description) keeps only its most informative ones: they decide relevance, and the common
 * ones only cost time. `generalParts: false` (the search box) leaves out the parts of a compound
 * that are words of general Chinese (above). Matching keeps them: the re-ranker counts a part as
 * weaker evidence than the whole word, and its thresholds are calibrated with them.
 */
export function queryConcepts(query: string, { maxConcepts = 10, generalParts = true }: { maxConcepts?: number; generalParts?: boolean } = {}) {
  const all = segment(query)
  const distinct = [...new Set(all)]
  const wholes = distinct.filter((t) => !distinct.some((o) => o !== t && o.length > t.length && o.includes(t)))
  const meaningful = wholes.filter((t) => !SINGLE_CJK.test(t))
  const chosen = (meaningful.length ? meaningful : wholes).map((term) => ({
    term,
    alternatives: alternativesOf(term, distinct, generalParts),
    informativeness: informativeness(term),
  }))
  chosen.sort((a, b) => b.informativeness - a.informativeness)
  return { concepts: chosen.slice(0, maxConcepts), pruned: chosen.length > maxConcepts }
}

/** Warms the segmenter (loading dictionaries takes ~0.3 s) before the first request needs it. */
export function warmUpText() {
  load()
}
