import { createHash } from 'node:crypto'

/**
 * The standard NDA (保密协议): a template with variables written `{{名称}}`, filled in when a
 * broker sends the NDA. The variables have Chinese names because the text is a Chinese legal
 * document and the people who edit it read Chinese; spaces inside the braces are allowed.
 *
 *   {{买方}} {{买方信用代码}}   the buyer: the deal's organisation with the need
 *   {{卖方}} {{卖方信用代码}}   the seller: the introduced organisation the NDA is with
 *   {{项目}}                    the deal's title
 *   {{编号}}                    the deal's number (e.g. D-2026-000042)
 *   {{成果}}                    the seller's achievements in the deal (titles, 、-separated)
 *   {{日期}}                    the day the NDA is sent, China time (2026年3月5日)
 */
export const NDA_VARIABLES = ['买方', '买方信用代码', '卖方', '卖方信用代码', '项目', '编号', '成果', '日期'] as const
export type NdaVariable = (typeof NDA_VARIABLES)[number]
export type NdaValues = Record<NdaVariable, string>

/** Every template must name both parties. */
export const REQUIRED_NDA_VARIABLES: readonly NdaVariable[] = ['买方', '卖方']

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/** The variable names a template uses, in order of first use. */
export function variablesIn(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))]
}

/** What is wrong with a template body: unknown variables, missing required ones, stray braces. */
export function templateProblems(body: string): { unknown: string[]; missing: NdaVariable[]; strayBraces: boolean } {
  const used = variablesIn(body)
  const known = new Set<string>(NDA_VARIABLES)
  return {
    unknown: used.filter((v) => !known.has(v)),
    missing: REQUIRED_NDA_VARIABLES.filter((v) => !used.includes(v)),
    strayBraces: /\{\{|\}\}/.test(body.replace(PLACEHOLDER, '')),
  }
}

/** The template filled in. Values are plain text; an unknown variable is an error, never left in the text. */
export function renderNda(body: string, values: NdaValues): string {
  return body.replace(PLACEHOLDER, (_, name: string) => {
    if (!(NDA_VARIABLES as readonly string[]).includes(name)) throw new Error(`unknown NDA variable {{${name}}}`)
    return values[name as NdaVariable]
  })
}

/** sha256 of the text's UTF-8 bytes, hex: what each party's acceptance names. */
export function ndaTextHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** 2026年3月5日: the China day of an instant. */
export function chineseDate(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600 * 1000)
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

/** Version 1, written in when no template exists yet (first start, first use). */
export const DEFAULT_NDA_TEMPLATE = {
  title: '技术转移项目保密协议（标准文本）',
  body: `保密协议

项目编号：{{编号}}
日期：{{日期}}

甲方（需求方）：{{买方}}（统一社会信用代码：{{买方信用代码}}）
乙方（成果方）：{{卖方}}（统一社会信用代码：{{卖方信用代码}}）

鉴于甲乙双方经科转平台技术经纪人引荐，拟就“{{项目}}”开展技术转移合作洽谈，乙方涉及的科技成果为：{{成果}}。为保护双方在洽谈中披露的保密信息，双方本着平等自愿、诚实信用的原则，依据《中华人民共和国民法典》等法律法规，达成如下协议：

第一条 保密信息
本协议所称保密信息，是指一方（披露方）通过科转平台或其他方式向另一方（接收方）披露的、未公开的技术信息和经营信息，包括但不限于技术方案、工艺参数、试验数据、图纸、配方、源代码、需求现状、目标指标、约束条件、商务条件，以及平台仅在本协议生效后向对方开放的保密内容和联系方式。

第二条 除外情形
下列信息不属于保密信息：（一）接收方获得前已合法公开的；（二）非因接收方过错而公开的；（三）接收方在披露前已合法掌握并有书面记录的；（四）接收方从有权披露的第三方合法取得的；（五）接收方独立开发且未使用保密信息的。

第三条 保密义务
接收方应当：（一）仅为评估和推进本项目合作使用保密信息；（二）以不低于保护自身同类信息的谨慎程度，且不低于合理的谨慎程度，保护保密信息；（三）仅向因本项目确有必要知悉、并承担同等保密义务的员工和顾问披露；（四）未经披露方书面同意，不向任何第三方披露，不就保密信息申请专利或主张其他权利，不进行反向工程。

第四条 依法披露
因法律法规或司法、行政机关的要求必须披露的，接收方应在法律允许的范围内及时通知披露方，并仅披露所要求的部分。

第五条 资料返还
合作洽谈终止或披露方书面要求时，接收方应在十个工作日内返还或销毁保密信息的载体，并删除从平台下载的相关资料，法律要求保存的除外。

第六条 权利保留
披露保密信息不构成任何知识产权的转让或许可，也不构成签订技术合同的承诺。技术转让、许可等事项以双方另行签订并依法认定登记的技术合同为准。

第七条 期限
本协议自双方均在科转平台确认之日起生效。保密义务持续至保密信息依第二条不再属于保密信息之日，且自生效之日起不少于三年；本协议终止不影响保密义务的效力。

第八条 违约责任
任何一方违反本协议，应赔偿由此给对方造成的全部损失，包括合理的调查费用和律师费用。

第九条 争议解决
因本协议发生的争议，双方应友好协商；协商不成的，任何一方可向被告住所地有管辖权的人民法院提起诉讼。

第十条 电子确认
本协议以电子方式在科转平台确认。平台记录双方确认的文本及其 SHA-256 摘要、确认人、确认时间和网络地址，与书面签署具有同等效力。平台及参与本项目的技术经纪人对双方在平台上交换的信息同样负有保密义务。
`,
} as const
