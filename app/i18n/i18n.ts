import { useRouteLoaderData } from 'react-router'
import { apiEn } from './api.en'
import { brokersEn } from './brokers.en'
import { brokersZhCN } from './brokers.zh-CN'
import { conversationEn } from './conversation.en'
import { conversationZhCN } from './conversation.zh-CN'
import { dealsEn } from './deals.en'
import { dealsZhCN } from './deals.zh-CN'
import { notificationsEn } from './notifications.en'
import { notificationsZhCN } from './notifications.zh-CN'
import { apiZhCN } from './api.zh-CN'
import { contractsEn } from './contracts.en'
import { contractsZhCN } from './contracts.zh-CN'
import { en } from './en'
import { importEn } from './import.en'
import { importZhCN } from './import.zh-CN'
import { listingsEn } from './listings.en'
import { listingsZhCN } from './listings.zh-CN'
import { paymentsEn } from './payments.en'
import { paymentsZhCN } from './payments.zh-CN'
import { searchEn } from './search.en'
import { searchZhCN } from './search.zh-CN'
import { statsEn } from './stats.en'
import { statsZhCN } from './stats.zh-CN'
import { zhCN } from './zh-CN'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'
export const LOCALE_COOKIE = 'kz_lang'

/** Each area of the app keeps its own pair of catalogues; a test checks that the pairs match. */
export const CATALOGUES: Record<Locale, Record<string, string>> = {
  'zh-CN': { ...zhCN, ...listingsZhCN, ...apiZhCN, ...importZhCN, ...searchZhCN, ...contractsZhCN, ...statsZhCN, ...paymentsZhCN,
    ...brokersZhCN, ...dealsZhCN, ...conversationZhCN, ...notificationsZhCN },
  en: { ...en, ...listingsEn, ...apiEn, ...importEn, ...searchEn, ...contractsEn, ...statsEn, ...paymentsEn,
    ...brokersEn, ...dealsEn, ...conversationEn, ...notificationsEn },
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The locale chosen with the language switch (a cookie), else Chinese. */
export function localeFromRequest(request: Request): Locale {
  const cookie = request.headers.get('Cookie') ?? ''
  const match = cookie.match(/(?:^|;\s*)kz_lang=([^;]+)/)
  const value = match ? decodeURIComponent(match[1]!) : undefined
  return isLocale(value) ? value : DEFAULT_LOCALE
}

export type Translate = (key: string, params?: Record<string, string | number>) => string

/**
 * Translates a key; a key may carry its parameters after `?` (how validation messages
 * travel: `err.tooLong?max=100`). An unknown key is shown as it is.
 */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale]
  return (key, params) => {
    const [base, query] = key.split('?', 2) as [string, string | undefined]
    const text = (catalogue as Record<string, string>)[base] ?? key
    const all = { ...(query ? Object.fromEntries(new URLSearchParams(query)) : {}), ...params }
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in all ? String(all[name]) : m))
  }
}

export function useLocale(): Locale {
  const data = useRouteLoaderData('root') as { locale?: Locale } | undefined
  return data?.locale ?? DEFAULT_LOCALE
}

export function useT(): Translate {
  return translator(useLocale())
}
