import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  AchievementInputSchema,
  DemandInputSchema,
  stageForTrl,
  type AchievementInput,
  type DemandInput,
} from '~/domain/listings/schemas'
import { GOOD_GRADE, type Grades } from '~/domain/matching/metrics'

/**
 * The matching evaluation set (tests/fixtures/match-eval, docs/matching-quality.md): achievements
 * and demands in the exchange format, and graded judgements. Reading and checking only, no
 * database, so a unit test can check the set and the benchmark can load it.
 */

export const EVAL_DIR = path.resolve(import.meta.dirname, '../../tests/fixtures/match-eval')

export interface EvalAchievement {
  id: string
  owner: string
  input: AchievementInput
}

export interface EvalDemand {
  id: string
  enterprise: string
  input: DemandInput
}

export interface EvalSet {
  achievements: EvalAchievement[]
  demands: EvalDemand[]
  /** Demand id → achievement id → grade (absent: 0). */
  grades: Record<string, Grades>
}

type RawRow = Record<string, unknown> & { id?: unknown }

function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T
}

/** Reads the three files and parses every row with the listing input schemas; throws on any problem. */
export function loadEvalSet(dir = EVAL_DIR): EvalSet {
  const problems: string[] = []
  const parse = <T>(kind: string, row: RawRow, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }) => {
    const result = schema.safeParse(row)
    if (result.success) return result.data
    for (const issue of result.error.issues) problems.push(`${kind} ${String(row.id)}: ${issue.path.join('.')} ${issue.message}`)
    return null
  }
  const achievements = readJson<RawRow[]>(dir, 'achievements.json').flatMap((row) => {
    const input = parse<AchievementInput>('achievement', row, AchievementInputSchema)
    return input ? [{ id: String(row.id), owner: String(row.owner ?? ''), input }] : []
  })
  const demands = readJson<RawRow[]>(dir, 'demands.json').flatMap((row) => {
    // The schema refuses deadlines in the past, which would make the set expire as time
    // passes: the deadline is checked here for its form only, the rest by the schema.
    const { deadline, ...rest } = row
    if (typeof deadline !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(deadline)) problems.push(`demand ${String(row.id)}: deadline must be YYYY-MM-DD`)
    const input = parse<DemandInput>('demand', rest, DemandInputSchema)
    return input ? [{ id: String(row.id), enterprise: String(row.enterprise ?? ''), input: { ...input, deadline: String(deadline) } }] : []
  })
  const grades = readJson<Record<string, Grades>>(dir, 'grades.json')
  const set = { achievements, demands, grades }
  problems.push(...checkEvalSet(set))
  if (problems.length) throw new Error(`The evaluation set in ${dir} has problems:\n  ${problems.join('\n  ')}`)
  return set
}

/** The rules of docs/matching-quality.md that a machine can check; returns the broken ones. */
export function checkEvalSet({ achievements, demands, grades }: EvalSet): string[] {
  const problems: string[] = []
  const unique = (kind: string, ids: string[]) => {
    const seen = new Set<string>()
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${kind} ${id} appears twice`)
      seen.add(id)
    }
    return seen
  }
  const achievementIds = unique('achievement', achievements.map((a) => a.id))
  const demandIds = unique('demand', demands.map((d) => d.id))
  if (achievements.length < 100) problems.push(`only ${achievements.length} achievements (at least 100)`)
  if (demands.length < 25) problems.push(`only ${demands.length} demands (at least 25)`)

  for (const a of achievements) {
    if (!/^A\d{3}$/.test(a.id)) problems.push(`achievement id ${a.id} is not like A001`)
    if (!a.owner) problems.push(`achievement ${a.id} has no owner`)
    if (a.input.stage !== stageForTrl(a.input.trl)) problems.push(`achievement ${a.id}: stage ${a.input.stage} does not fit TRL ${a.input.trl}`)
    if (a.input.keywords.length < 3 || a.input.keywords.length > 6) problems.push(`achievement ${a.id} has ${a.input.keywords.length} keywords (3–6)`)
  }
  for (const d of demands) {
    if (!/^D\d{2}$/.test(d.id)) problems.push(`demand id ${d.id} is not like D01`)
    if (!d.enterprise) problems.push(`demand ${d.id} has no enterprise`)
    if (!d.input.deadline || d.input.deadline < '2027-01-01') problems.push(`demand ${d.id} needs a deadline in 2027 or later`)
    if (!grades[d.id]) problems.push(`demand ${d.id} has no judgements in grades.json (write {} for none)`)
  }
  for (const [demandId, judged] of Object.entries(grades)) {
    if (!demandIds.has(demandId)) problems.push(`grades.json names unknown demand ${demandId}`)
    for (const [achievementId, grade] of Object.entries(judged)) {
      if (!achievementIds.has(achievementId)) problems.push(`grades.json ${demandId} names unknown achievement ${achievementId}`)
      if (!Number.isInteger(grade) || grade < 0 || grade > 3) problems.push(`grades.json ${demandId}.${achievementId} = ${grade} (0–3)`)
    }
  }
  const none = demands.filter((d) => !hasGoodAnswer(grades[d.id] ?? {}))
  if (none.length < 4) problems.push(`only ${none.length} demands without a good answer (at least 4)`)
  return problems
}

/** Whether anything in the set solves the demand, at least with adaptation (grade ≥ 2). */
export function hasGoodAnswer(judged: Grades): boolean {
  return Object.values(judged).some((g) => g >= GOOD_GRADE)
}
