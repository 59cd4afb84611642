import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { kezhuan } from './test-support'

const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-cli-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const HEADER = 'id,title,summary,field,industry,keywords,trl,transferModes,askingPrice,owner'
const row = (id: string, trl = '6', title = `工业机器人视觉引导无序抓取技术 ${id}`) =>
  `${id},${title},采用结构光 3D 相机与点云位姿估计，实现散乱金属件的无序抓取。,先进制造与自动化,智能装备,机器视觉;抓取,${trl},许可,800000,永川智能装备研究院`

function file(name: string, content: string | Buffer) {
  const full = path.join(dir, name)
  writeFileSync(full, content)
  return full
}

const count = async (source: string) => (await prisma()).achievement.count({ where: { source } })

describe('kezhuan import', () => {
  it('imports a GBK CSV, then again as updates, with a JSON summary', async () => {
    const csv = file('gbk.csv', iconv.encode([HEADER, row('C1'), row('C2')].join('\r\n'), 'gbk'))
    const first = await kezhuan('import', 'achievements', csv, '--source', 'cli-test')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('新建 2 条，更新 0 条，跳过 0 条（来源 cli-test）')
    expect(first.stdout).toContain('新建机构（待认证）: 永川智能装备研究院')
    expect(first.stderr).toContain('文件编码为 GB18030，已自动转换')

    const second = await kezhuan('import', 'achievement', csv, '--source', 'cli-test', '--json')
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toEqual({ created: 0, updated: 2, skipped: 0, errors: [] })
    expect(await count('cli-test')).toBe(2)
  })

  it('writes nothing when a row is invalid, lists every problem, exit code 1', async () => {
    const csv = file('bad.csv', [HEADER, row('B1'), row('B2', '0'), row('B1')].join('\n'))
    const result = await kezhuan('import', 'achievements', csv, '--source', 'cli-bad', '--json')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({
      created: 0,
      updated: 0,
      skipped: 3,
      errors: [
        { row: 3, column: 'trl', code: 'err.trl', message: '技术成熟度应为 1—9 的整数' },
        { row: 4, column: 'id', code: 'err.import.duplicateId', message: '编号与第 2 行重复' },
      ],
    })
    expect(result.stderr).toContain('2 行有错误，未写入任何数据')
    expect(await count('cli-bad')).toBe(0)

    const text = await kezhuan('import', 'achievements', csv, '--source', 'cli-bad')
    expect(text.stderr).toContain('第 3 行 trl: 技术成熟度应为 1—9 的整数 (err.trl)')

    const skipped = await kezhuan('import', 'achievements', csv, '--source', 'cli-bad', '--skip-invalid')
    expect(skipped.code).toBe(0)
    expect(skipped.stdout).toContain('新建 1 条，更新 0 条，跳过 2 条')
    expect(await count('cli-bad')).toBe(1)
  })

  it('answers exit code 2 for a wrong kind, a missing or unreadable file, a bad source', async () => {
    const csv = file('ok.csv', [HEADER, row('X1')].join('\n'))
    expect(await kezhuan('import', 'patents', csv)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown kind "patents"') })
    expect(await kezhuan('import', 'achievements', path.join(dir, 'nope.csv'))).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') })
    expect(await kezhuan('import', 'achievements', dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('not a file') })
    const latin1 = file('latin1.csv', iconv.encode('id,title\nA,Café crème brûlée à la française\n', 'latin1'))
    expect(await kezhuan('import', 'achievements', latin1)).toMatchObject({ code: 2, stderr: expect.stringContaining('既不是 UTF-8 也不是 GBK/GB18030') })
    expect(await kezhuan('import', 'achievements', file('notes.txt', 'x'))).toMatchObject({ code: 2, stderr: expect.stringContaining('不支持的文件类型') })
    expect(await kezhuan('import', 'achievements', csv, '--source', 'a b')).toMatchObject({ code: 2 })
  })
})

describe('kezhuan export', () => {
  it('writes CSV with a BOM and XLSX, with filters, and the export imports again', async () => {
    const csv = file('export-src.csv', [HEADER, row('E1', '6', '导出测试甲'), row('E2', '3', '导出测试乙')].join('\n'))
    expect((await kezhuan('import', 'achievements', csv, '--source', 'cli-export')).code).toBe(0)

    const out = path.join(dir, 'out.csv')
    const result = await kezhuan('export', 'achievements', '--q', '导出测试', '--trl-min', '5', '--industry', '智能装备', '--out', out)
    expect(result).toMatchObject({ code: 0, stderr: expect.stringContaining('已导出 1 条') })
    const bytes = readFileSync(out)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.toString('utf8')).toContain('导出测试甲')
    expect(bytes.toString('utf8')).not.toContain('导出测试乙')

    const xlsx = path.join(dir, 'out.xlsx')
    expect((await kezhuan('export', 'achievements', '--q', '导出测试', '--format', 'xlsx', '--out', xlsx)).code).toBe(0)
    const again = await kezhuan('import', 'achievements', xlsx, '--source', 'cli-export-copy', '--json')
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 2, errors: [] })
    expect(again.stderr).toContain('工作表“说明”未导入（已忽略）')

    const stdout = await kezhuan('export', 'achievements', '--q', '导出测试甲', '--format', 'json')
    expect(JSON.parse(stdout.stdout).map((r: { title: string }) => r.title)).toEqual(['导出测试甲', '导出测试甲'])
  })

  it('refuses wrong filters and formats with exit code 2', async () => {
    expect(await kezhuan('export', 'achievements', '--trl-min', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('--trl-min: 技术成熟度应为 1—9 的整数') })
    expect(await kezhuan('export', 'achievements', '--field', '量子')).toMatchObject({ code: 2, stderr: expect.stringContaining('--field') })
    expect(await kezhuan('export', 'achievements', '--format', 'pdf')).toMatchObject({ code: 2 })
    expect(await kezhuan('export', 'things')).toMatchObject({ code: 2 })
  })
})
