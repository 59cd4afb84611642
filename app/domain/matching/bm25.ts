/**
 * Plain Okapi BM25 over token lists: the baseline the matchers are measured against
 * (docs/matching-quality.md). The caller tokenizes, so the baseline sees exactly the tokens the
 * engines see. No synonyms, no fields, no filters.
 *
 *   score(D, Q) = Σ_{t ∈ Q} idf(t) · tf(t, D) · (k1 + 1) / (tf(t, D) + k1 · (1 − b + b · |D| / avgdl))
 *   idf(t)      = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))
 *
 * The idf is the Robertson–Spärck Jones weight with 1 added inside the logarithm (as Lucene
 * does), so a term found in more than half the documents still weighs a little instead of
 * counting against a document. Each distinct query term counts once: a demand that repeats a
 * word has not asked for it twice.
 */

export interface Bm25Doc {
  id: string
  tokens: readonly string[]
}

export interface Bm25Hit {
  id: string
  score: number
}

export interface Bm25Options {
  k1?: number
  b?: number
}

interface Posting {
  doc: number
  tf: number
}

export class Bm25 {
  readonly k1: number
  readonly b: number
  private ids: string[] = []
  private lengths: number[] = []
  private postings = new Map<string, Posting[]>()
  private avgdl = 0

  constructor({ k1 = 1.2, b = 0.75 }: Bm25Options = {}) {
    if (!(k1 >= 0) || !(b >= 0 && b <= 1)) throw new RangeError('BM25 needs k1 ≥ 0 and 0 ≤ b ≤ 1')
    this.k1 = k1
    this.b = b
  }

  /** Adds documents to the index; an id already indexed is refused. */
  index(docs: readonly Bm25Doc[]): this {
    const known = new Set(this.ids)
    for (const doc of docs) {
      if (known.has(doc.id)) throw new Error(`BM25: document ${doc.id} is already indexed`)
      known.add(doc.id)
      const n = this.ids.push(doc.id) - 1
      this.lengths.push(doc.tokens.length)
      const tf = new Map<string, number>()
      for (const token of doc.tokens) tf.set(token, (tf.get(token) ?? 0) + 1)
      for (const [token, count] of tf) {
        const list = this.postings.get(token)
        if (list) list.push({ doc: n, tf: count })
        else this.postings.set(token, [{ doc: n, tf: count }])
      }
    }
    this.avgdl = this.lengths.reduce((a, b) => a + b, 0) / (this.lengths.length || 1)
    return this
  }

  get size(): number {
    return this.ids.length
  }

  idf(token: string): number {
    const n = this.postings.get(token)?.length ?? 0
    return Math.log(1 + (this.ids.length - n + 0.5) / (n + 0.5))
  }

  /** Documents sharing at least one term with the query, best first (ties by id); up to `limit`. */
  score(queryTokens: readonly string[], limit = Infinity): Bm25Hit[] {
    const scores = new Map<number, number>()
    for (const token of new Set(queryTokens)) {
      const list = this.postings.get(token)
      if (!list) continue
      const idf = this.idf(token)
      for (const { doc, tf } of list) {
        const norm = this.avgdl > 0 ? 1 - this.b + (this.b * this.lengths[doc]!) / this.avgdl : 1
        const part = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * norm)
        scores.set(doc, (scores.get(doc) ?? 0) + part)
      }
    }
    return [...scores]
      .map(([doc, score]) => ({ id: this.ids[doc]!, score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit)
  }
}
