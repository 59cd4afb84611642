/**
 * Tiered disclosure: the counterparties of a deal (the buyer, an introduced seller) try to read
 * each other's confidential details through every door — detail pages (their loaders), the
 * JSON API, search, match lists, exports and the deal's pages — before the NDA (hidden), after
 * both sides accepted it (open on the detail page and the API, still never in search, match
 * lists or exports), and a third organisation, or a seller without an NDA, after it (hidden).
 */
import { RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '~/domain/api-keys/api-keys.server'
import { getDeal } from '~/domain/deals/deals.server'
import { exportRows } from '~/domain/listings/export.server'
import { getListing, listListings } from '~/domain/listings/listings.server'
import { ListQuerySchema } from '~/domain/listings/query'
import { matchesForViewer, recomputeMatches } from '~/domain/matching/stored.server'
import { searchListings, SearchQuerySchema } from '~/domain/search/search.server'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import * as listingApi from '../../routes/api/listing'
import * as listingsApi from '../../routes/api/listings'
import * as matchesApi from '../../routes/api/matches'
import * as searchApi from '../../routes/api/search'
import * as detailRoute from '../../routes/listings/detail'
import * as exportRoute from '../../routes/resources/export'
import { dealWorld, ndaInEffect, SECRETS, type DealWorld } from './nda.test-support'

const DEMAND_SECRETS = [SECRETS.situation, SECRETS.indicators, SECRETS.constraints, SECRETS.phone, SECRETS.email]
// Words only the demand's confidential text holds (its public text speaks of 铝合金, 成形, 良率).
const DEMAND_SECRET_WORDS = ['镁合金', '触变', '半固态成形工艺良率', '七成', '百分之三', '两百万']
const ACHIEVEMENT_SECRETS = [SECRETS.details, 'XQ77', '023-12345678', 'chen@example.cn']

function expectNone(shown: unknown, secrets: string[], where: string) {
  const text = typeof shown === 'string' ? shown : JSON.stringify(shown)
  for (const secret of secrets) expect(text, `${where} shows "${secret}"`).not.toContain(secret)
}
function expectAll(shown: unknown, secrets: string[], where: string) {
  const text = typeof shown === 'string' ? shown : JSON.stringify(shown)
  for (const secret of secrets) expect(text, `${where} hides "${secret}"`).toContain(secret)
}

/**
 * Words a match reason names of the demand (shared, synonym, missing terms) must be in its public
 * text: reasons computed from its full text would otherwise leak words of the confidential part.
 */
function expectPublicWords(reasons: { code: string; params: Record<string, unknown> }[], where: string) {
  const publicText = JSON.stringify(demandPublic)
  const words = reasons
    .filter((r) => ['terms', 'synonyms', 'missing'].includes(r.code))
    .flatMap((r) => String(r.params.terms).split('、'))
    .map((w) => (w.includes('≈') ? w.slice(w.indexOf('≈') + 1) : w))
  expect(words.length, `${where}: no term reasons to check`).toBeGreaterThan(0)
  for (const word of words) expect(publicText, `${where} names "${word}"`).toContain(word)
}

async function pageContext(user: { id: string }) {
  const ctx = new RouterContextProvider()
  ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}

/** The listing detail page's loader, as React Router calls it. */
async function detailPage(user: { id: string }, path: string, id: string) {
  const url = new URL(`http://localhost${path}`)
  return detailRoute.loader({ request: new Request(url), url, params: { id }, context: await pageContext(user), pattern: url.pathname } as never)
}

async function api(module: { loader: (args: never) => unknown }, path: string, key: string, params: Record<string, string>) {
  const request = new Request(`http://localhost${path}`, { headers: { Authorization: `Bearer ${key}` } })
  const response = (await module.loader({ request, params, context: new RouterContextProvider() } as never)) as Response
  return { status: response.status, text: await response.text() }
}

async function exported(actor: Actor, kind: 'achievement' | 'demand') {
  const rows: unknown[] = []
  for await (const row of exportRows({ actor, kind, query: ListQuerySchema.parse({}) })) rows.push(row)
  return JSON.stringify(rows)
}

async function exportedOverHttp(user: { id: string }, kind: 'achievements' | 'demands') {
  const url = new URL(`http://localhost/export/${kind}?format=json`)
  const response = (await exportRoute.loader({ request: new Request(url), params: { kind }, context: await pageContext(user) } as never)) as Response
  expect(response.status).toBe(200)
  return response.text()
}

let w: DealWorld
let demandPublic: { title: string; description: string; keywords: string[] }
let keys: { buyer: string; sellerA: string; sellerB: string; third: string }

beforeAll(async () => {
  w = await dealWorld()
  const key = async (actor: Actor) => (await createApiKey({ actor, input: { name: 'sync' } })).secret
  keys = { buyer: await key(w.buyer), sellerA: await key(w.sellerA), sellerB: await key(w.sellerB), third: await key(w.third) }
  // Match lists as the outbox stores them: the demand's pairs, reasons and all.
  await recomputeMatches({ kind: 'demand', id: w.demandId })
  demandPublic = await (await prisma()).demand.findUniqueOrThrow({ where: { id: w.demandId }, select: { title: true, description: true, keywords: true } })
})

/** Every door the counterparty might try, for one reader and one listing. */
async function doors(reader: DealWorld['buyer'], key: string, kind: 'achievement' | 'demand', id: string) {
  const path = kind === 'achievement' ? `/achievements/${id}` : `/demands/${id}`
  const apiPath = kind === 'achievement' ? 'achievements' : 'demands'
  return {
    domain: await getListing({ actor: reader, kind, id }),
    list: await listListings({ actor: reader, kind, query: ListQuerySchema.parse({ pageSize: 100 }) }),
    page: await detailPage(reader, path, id),
    apiItem: await api(listingApi, `/api/v1/${apiPath}/${id}`, key, { kind: apiPath, id }),
    apiList: await api(listingsApi, `/api/v1/${apiPath}?pageSize=100`, key, { kind: apiPath }),
  }
}

describe('before the NDA', () => {
  it('the buyer sees none of seller A’s confidential details or contacts: domain, page, API item and list', async () => {
    const seen = await doors(w.buyer, keys.buyer, 'achievement', w.achievementA)
    expect(seen.apiItem.status).toBe(200)
    expect(seen.list.items.some((i) => i.id === w.achievementA)).toBe(true)
    expectNone(seen, ACHIEVEMENT_SECRETS, 'the buyer’s view of achievement A')
    expect(seen.page.privileged).toBe(false)
  })

  it('seller A sees none of the demand’s confidential details or contacts', async () => {
    const seen = await doors(w.sellerA, keys.sellerA, 'demand', w.demandId)
    expect(seen.domain.listing.detailsHidden).toBe(true)
    expectNone(seen, DEMAND_SECRETS, 'seller A’s view of the demand')
  })

  it('search finds nothing by a confidential word and shows none in results or highlights', async () => {
    // Words of the confidential text alone (镁合金 would find 铝合金 by its part 合金, which is public).
    for (const q of ['触变', '七成', '两百万元', 'XQ77', '023-49881234', 'secret-contact@example.cn']) {
      const result = await searchListings({ query: SearchQuerySchema.parse({ q }) })
      expect(result.items.filter((i) => i.id === w.demandId || i.id === w.achievementA), q).toEqual([])
    }
    const byPublic = await searchListings({ query: SearchQuerySchema.parse({ q: '铝合金 壳体 成形工艺' }) })
    expect(byPublic.items.map((i) => i.id)).toEqual(expect.arrayContaining([w.demandId, w.achievementA]))
    expectNone(byPublic, [...DEMAND_SECRETS, ...DEMAND_SECRET_WORDS, ...ACHIEVEMENT_SECRETS], 'search results')
    const overApi = await api(searchApi, `/api/v1/search?q=${encodeURIComponent('铝合金 壳体 成形工艺')}`, keys.sellerA, {})
    expect(overApi.status).toBe(200)
    expectNone(overApi.text, [...DEMAND_SECRETS, ...DEMAND_SECRET_WORDS, ...ACHIEVEMENT_SECRETS], 'the search API')
  })

  it('match lists show the counterparty’s public face only, whoever’s side the reasons were computed from', async () => {
    // Seller A's achievement lists the demand (stored pairs, computed from the demand's full text).
    const sellerView = await matchesForViewer({ actor: w.sellerA, kind: 'achievement', id: w.achievementA })
    const listed = sellerView.matches.find((m) => m.listing.id === w.demandId)!
    expect(listed).toBeTruthy()
    expectPublicWords(listed.reasons, 'seller A’s match list')
    expectNone(sellerView, [...DEMAND_SECRETS, ...DEMAND_SECRET_WORDS], 'seller A’s match list')
    // The broker sees the reasons as computed, the demand's confidential words among them.
    const brokerView = await matchesForViewer({ actor: w.broker, kind: 'achievement', id: w.achievementA })
    const words = brokerView.matches.find((m) => m.listing.id === w.demandId)!.reasons.map((r) => String(r.params.terms ?? '')).join('、')
    expect(words, 'the fixture’s reasons name a word of the confidential part (else this test proves nothing)').toMatch(/固态|镁合金|触变/)
    const sellerPage = await detailPage(w.sellerA, `/achievements/${w.achievementA}`, w.achievementA)
    expectNone(sellerPage.matches, [...DEMAND_SECRETS, ...DEMAND_SECRET_WORDS], 'the match section of seller A’s page')
    const sellerApi = await api(matchesApi, `/api/v1/achievements/${w.achievementA}/matches`, keys.sellerA, { kind: 'achievements', id: w.achievementA })
    expect(sellerApi.status).toBe(200)
    expectNone(sellerApi.text, [...DEMAND_SECRETS, ...DEMAND_SECRET_WORDS], 'the matches API')
    // The buyer's demand lists achievement A, never its confidential details.
    const buyerView = await matchesForViewer({ actor: w.buyer, kind: 'demand', id: w.demandId })
    expect(buyerView.matches.map((m) => m.listing.id)).toContain(w.achievementA)
    expectNone(buyerView, ACHIEVEMENT_SECRETS, 'the buyer’s match list')
    // Nobody else's listing's match list is open to a counterparty.
    await expect(matchesForViewer({ actor: w.buyer, kind: 'achievement', id: w.achievementA })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('exports carry no confidential detail, for anyone', async () => {
    expectNone(await exported(w.buyer, 'achievement'), ACHIEVEMENT_SECRETS, 'the buyer’s export')
    expectNone(await exported(w.sellerA, 'demand'), DEMAND_SECRETS, 'seller A’s export')
    expectNone(await exportedOverHttp(w.sellerA, 'demands'), DEMAND_SECRETS, 'seller A’s export download')
  })

  it('the deal’s page shows the parties the demand’s public summary only, and no confidential word in its match reasons', async () => {
    const view = await getDeal({ actor: w.sellerA, id: w.dealId })
    expect(view.standing).toBe('seller')
    expectNone(view, [...DEMAND_SECRETS, ...DEMAND_SECRET_WORDS], 'the deal page for seller A')
    const candidate = view.candidates.find((c) => c.achievement.id === w.achievementA)!
    expectPublicWords(candidate.match!.reasons, 'the deal page’s match reasons for seller A')
    expectNone(await getDeal({ actor: w.buyer, id: w.dealId }), ACHIEVEMENT_SECRETS, 'the deal page for the buyer')
  })
})

describe('after both sides accepted the NDA', () => {
  beforeAll(async () => {
    await ndaInEffect(w)
  })

  it('the buyer sees seller A’s confidential details and contacts on the detail page and in the API', async () => {
    const seen = await doors(w.buyer, keys.buyer, 'achievement', w.achievementA)
    expect(seen.domain.listing.confidentialDetails).toBe(SECRETS.details)
    expect(seen.domain.disclosed).toBe(true)
    expect(seen.page.privileged).toBe(true)
    expect(seen.page.openedByNda).toBe(true)
    expectAll(seen.page.listing, ACHIEVEMENT_SECRETS, 'the detail page')
    expectAll(seen.apiItem.text, ACHIEVEMENT_SECRETS, 'the API item')
    expectAll(seen.apiList.text, [SECRETS.details], 'the API list')
    // The grant opens details and contacts, not the listing's internals.
    expect(seen.domain.listing).not.toHaveProperty('createdById')
  })

  it('seller A sees the demand’s confidential details and contacts', async () => {
    const seen = await doors(w.sellerA, keys.sellerA, 'demand', w.demandId)
    expect(seen.domain.listing.detailsHidden).toBe(false)
    expectAll(seen.page.listing, DEMAND_SECRETS, 'the detail page')
    expectAll(seen.apiItem.text, DEMAND_SECRETS, 'the API item')
    // A member of seller A without a role in the NDA sees them too: the grant is the organisation's.
    expectAll((await getListing({ actor: w.sellerAMember, kind: 'demand', id: w.demandId })).listing, [SECRETS.situation], 'a member of seller A')
  })

  it('seller B (no NDA) and a third organisation still see nothing; nor does the buyer of seller B’s achievement', async () => {
    expectNone(await doors(w.sellerB, keys.sellerB, 'demand', w.demandId), DEMAND_SECRETS, 'seller B’s view of the demand')
    expectNone(await doors(w.third, keys.third, 'demand', w.demandId), DEMAND_SECRETS, 'a third organisation’s view of the demand')
    expectNone(await doors(w.third, keys.third, 'achievement', w.achievementA), ACHIEVEMENT_SECRETS, 'a third organisation’s view of achievement A')
    const b = await doors(w.buyer, keys.buyer, 'achievement', w.achievementB)
    expectNone(b, ['模具冷却流道布置的内部图纸编号MJ-5'], 'the buyer’s view of achievement B')
  })

  it('search, match lists and exports still carry public text only', async () => {
    for (const q of ['触变', 'XQ77', '两百万元']) {
      const result = await searchListings({ query: SearchQuerySchema.parse({ q }) })
      expect(result.items.filter((i) => i.id === w.demandId || i.id === w.achievementA), q).toEqual([])
    }
    expectNone(await matchesForViewer({ actor: w.sellerA, kind: 'achievement', id: w.achievementA }), DEMAND_SECRETS, 'seller A’s match list')
    expectNone(await exported(w.buyer, 'achievement'), ACHIEVEMENT_SECRETS, 'the buyer’s export')
    expectNone(await exported(w.sellerA, 'demand'), DEMAND_SECRETS, 'seller A’s export')
  })
})
