import type { Industry, IpType, ListingStatus, Stage, TechField, TransferMode } from '~/generated/prisma/enums'

/**
 * The classifications of DOMAIN.md with their Chinese names. Pages translate the codes with
 * message keys (`field.NEW_MATERIALS`); import files may use either the code or the Chinese name.
 */
export const TECH_FIELDS = {
  ELECTRONIC_INFORMATION: '电子信息',
  BIO_MEDICINE: '生物与新医药',
  AEROSPACE: '航空航天',
  NEW_MATERIALS: '新材料',
  HIGH_TECH_SERVICES: '高技术服务',
  NEW_ENERGY: '新能源与节能',
  RESOURCES_ENVIRONMENT: '资源与环境',
  ADVANCED_MANUFACTURING: '先进制造与自动化',
} as const satisfies Record<TechField, string>

export const INDUSTRIES = {
  INTELLIGENT_EQUIPMENT: '智能装备',
  AUTOMOTIVE: '汽车及零部件',
  ELECTRONIC_INFORMATION: '电子信息',
  LIGHT_INDUSTRY: '特色轻工',
  ENERGY_MATERIALS: '能源及新材料',
  MODERN_AGRICULTURE: '现代农业',
  BIG_DATA_SOFTWARE: '大数据及软件服务',
  BIO_MEDICINE: '生物医药',
} as const satisfies Record<Industry, string>

export const STAGES = {
  CONCEPT: '概念验证',
  LAB: '实验室小试',
  PILOT: '中试',
  INDUSTRIAL: '产业化',
} as const satisfies Record<Stage, string>

export const IP_TYPES = {
  INVENTION_PATENT: '发明专利',
  UTILITY_MODEL: '实用新型',
  DESIGN_PATENT: '外观设计',
  SOFTWARE_COPYRIGHT: '软件著作权',
  IC_LAYOUT: '集成电路布图',
  PLANT_VARIETY: '植物新品种',
  TECH_SECRET: '技术秘密',
} as const satisfies Record<IpType, string>

export const TRANSFER_MODES = {
  TRANSFER: '转让',
  LICENSE: '许可',
  EQUITY: '作价入股',
  CO_DEVELOPMENT: '合作开发',
  TECH_SERVICE: '技术服务',
} as const satisfies Record<TransferMode, string>

export const LISTING_STATUSES = {
  DRAFT: '草稿',
  PENDING_REVIEW: '待审核',
  PUBLISHED: '已发布',
  REJECTED: '未通过',
  ARCHIVED: '已归档',
} as const satisfies Record<ListingStatus, string>

export const TRL_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const

export const codesOf = <T extends Record<string, string>>(table: T) => Object.keys(table) as [keyof T & string, ...(keyof T & string)[]]

/** Reads a code or its Chinese name (as spreadsheets carry it); undefined when neither fits. */
export function parseClassification<T extends Record<string, string>>(table: T, value: string): (keyof T & string) | undefined {
  const v = value.trim()
  if (v in table) return v as keyof T & string
  const upper = v.toUpperCase()
  if (upper in table) return upper as keyof T & string
  return (Object.keys(table) as (keyof T & string)[]).find((code) => table[code] === v)
}
