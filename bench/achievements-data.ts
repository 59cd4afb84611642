import Papa from 'papaparse'
import { INDUSTRIES, TECH_FIELDS, TRANSFER_MODES } from '../app/domain/listings/classifications'

/**
 * Realistic synthetic achievements for benchmarks: Chinese titles, summaries and keywords built
 * from domain vocabulary, every field and industry, TRL 1–9, prices and 面议, 40 owners.
 * Deterministic (a seeded generator), so runs compare.
 */

const METHODS = ['基于深度学习的', '高精度', '低成本', '绿色', '智能化', '面向丘陵山区的', '模块化', '高可靠', '轻量化', '自适应', '多源数据融合的', '低功耗']
const OBJECTS = [
  ['数控机床热误差补偿', '数控机床;热误差;精度补偿'],
  ['工业机器人视觉抓取', '工业机器人;机器视觉;抓取'],
  ['压铸件缺陷在线检测', '压铸;缺陷检测;X射线'],
  ['锂电池隔膜涂覆', '锂电池;隔膜;涂覆'],
  ['动力电池热失控预警', '动力电池;热失控;预警'],
  ['茶叶低温萃取加工', '茶饮料;低温萃取;永川秀芽'],
  ['豆豉发酵控制', '豆豉;发酵;标准化'],
  ['设施蔬菜水肥一体化', '水肥一体化;智能灌溉;设施农业'],
  ['中药配方颗粒质量控制', '配方颗粒;特征图谱;质量控制'],
  ['医用胶原蛋白敷料', '胶原蛋白;医用敷料;创面修复'],
  ['工业互联网标识解析', '标识解析;工业互联网;数据共享'],
  ['城市内涝视频预警', '内涝;视频识别;预警'],
  ['余热有机朗肯循环发电', '余热发电;ORC;节能'],
  ['光伏组件自清洁涂层', '光伏;自清洁;纳米涂层'],
  ['谐波减速器精密制造', '谐波减速器;机器人关节;精密传动'],
  ['卫星遥感耕地监测', '遥感;耕地监测;变化检测'],
]
const OUTCOMES = ['效率提升 30% 以上', '成本降低约 25%', '精度达到国际同类产品水平', '已在 3 家企业连续运行 12 个月', '能耗降低 18%', '良品率提升到 99% 以上']
const OWNERS = Array.from({ length: 40 }, (_, i) => {
  const kinds = ['大学', '研究院', '研究所', '技术研究中心', '职业技术学院', '科技有限公司']
  const places = ['渝西', '永川', '川渝', '长江上游', '西南', '巴渝', '重庆', '成渝']
  return `${places[i % places.length]}${['理工', '智能装备', '农业科学', '生物医药', '新能源', '精密制造', '大数据', '新材料'][Math.floor(i / 5) % 8]}${kinds[i % kinds.length]}`
})

/** Mulberry32: small, fast, seeded. */
function random(seed: number) {
  let a = seed
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function achievementRows(count: number, { seed = 42, prefix = 'BENCH' } = {}) {
  const rnd = random(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!
  const fields = Object.values(TECH_FIELDS)
  const industries = Object.values(INDUSTRIES)
  const modes = Object.values(TRANSFER_MODES)
  return Array.from({ length: count }, (_, i) => {
    const [object, keywords] = pick(OBJECTS)
    const method = pick(METHODS)
    const trl = 1 + Math.floor(rnd() * 9)
    const price = rnd() < 0.2 ? '面议' : String(Math.round(5 + rnd() * 995) * 10000)
    return {
      id: `${prefix}-${String(i + 1).padStart(6, '0')}`,
      title: `${method}${object}技术（${i + 1}）`,
      summary: `本成果针对${object}中的关键问题，提出${method}解决方案，${pick(OUTCOMES)}，${pick(OUTCOMES)}。可通过许可或合作开发方式转化。`,
      field: pick(fields),
      industry: pick(industries),
      keywords: `${keywords};${method.replace(/的$/, '')}`,
      trl,
      transferModes: [...new Set([pick(modes), pick(modes)])].join(';'),
      askingPrice: price,
      owner: pick(OWNERS),
    }
  })
}

export function achievementsCsv(count: number, options?: { seed?: number; prefix?: string }): Buffer {
  const rows = achievementRows(count, options)
  return Buffer.from('\uFEFF' + Papa.unparse(rows, { newline: '\r\n' }), 'utf8')
}
