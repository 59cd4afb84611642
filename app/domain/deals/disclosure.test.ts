import { describe, expect, it } from 'vitest'
import { demandPublicText, keepPublicTerms } from './disclosure.server'

type R = { code: string; fit: boolean; params: Record<string, string | number> }
const reason = (code: string, terms: string): R => ({ code, fit: code !== 'missing', params: { terms } })

describe('match reasons for a reader who may not see the need’s confidential part', () => {
  const publicText = demandPublicText({ title: '铝合金壳体成形工艺改进', description: '降低废品率，提高良率。', keywords: ['CNC', '压铸'] })

  it('keeps the words of the public text, drops the others, and drops a reason left empty', () => {
    const reasons: R[] = [
      reason('terms', '铝合金、固态、良率'),
      reason('synonyms', '数控≈cnc、镁≈镁合金'),
      reason('missing', '触变、七成'),
      { code: 'keywords', fit: true, params: { keywords: '压铸' } },
      { code: 'trl', fit: true, params: { offer: 6, need: 5 } },
    ]
    expect(keepPublicTerms(reasons, publicText)).toEqual([
      reason('terms', '铝合金、良率'),
      reason('synonyms', '数控≈cnc'),
      { code: 'keywords', fit: true, params: { keywords: '压铸' } },
      { code: 'trl', fit: true, params: { offer: 6, need: 5 } },
    ])
  })

  it('changes nothing when every word is public', () => {
    const reasons = [reason('terms', '成形、工艺')]
    expect(keepPublicTerms(reasons, publicText)).toEqual(reasons)
  })
})
