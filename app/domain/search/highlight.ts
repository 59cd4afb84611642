/**
 * Marks the words of a query in a text, as segments (never HTML), so that the page renders
 * them safely whatever the text contains.
 */
export interface Segment {
  text: string
  hit: boolean
}

export function highlight(text: string, terms: string[]): Segment[] {
  const words = [...new Set(terms.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length)
  if (!words.length || !text) return [{ text, hit: false }]
  const lower = text.toLowerCase()
  const segments: Segment[] = []
  let plainStart = 0
  let i = 0
  while (i < text.length) {
    const word = words.find((w) => lower.startsWith(w, i))
    if (!word) {
      i++
      continue
    }
    if (i > plainStart) segments.push({ text: text.slice(plainStart, i), hit: false })
    segments.push({ text: text.slice(i, i + word.length), hit: true })
    i += word.length
    plainStart = i
  }
  if (plainStart < text.length) segments.push({ text: text.slice(plainStart), hit: false })
  return segments
}

/** A window of the text around its first hit, about `size` characters long. */
export function snippet(text: string, terms: string[], size = 120): Segment[] {
  const lower = text.toLowerCase()
  const first = Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), Number.POSITIVE_INFINITY)
  const start = Number.isFinite(first) ? Math.max(0, first - Math.floor(size / 3)) : 0
  const piece = text.slice(start, start + size)
  const segments = highlight(piece, terms)
  if (start > 0) segments.unshift({ text: '…', hit: false })
  if (start + size < text.length) segments.push({ text: '…', hit: false })
  return segments
}
