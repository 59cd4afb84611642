import { Form } from 'react-router'
import type { DashboardJson } from '~/domain/stats/stats.server'
import { useLocale, useT, type Translate } from '~/i18n/i18n'
import { formatFen, formatFenExact } from '~/ui/listings/format'
import { StatsChart } from './chart'
import { bpText, rowLabel, SECTION_KEYS, type Section } from './labels'

type Row = DashboardJson['byType'][number]
type NamedRow = DashboardJson['topSellers'][number]

const cell = 'border-b border-slate-200 px-3 py-1.5'
const num = `${cell} text-right tabular-nums`

function useMoney() {
  const locale = useLocale()
  return (fen: number) => formatFen(fen, locale, '—')
}

/** A total as people read it (¥3.52亿) with the exact figure under it (¥352,104,567.55), machine-readable in <data>. */
function ExactAmount({ fen }: { fen: number }) {
  const money = useMoney()
  const exact = formatFenExact(fen, '—')
  const short = money(fen)
  return (
    <>
      {short !== exact ? <span className="block">{short}</span> : null}
      <data value={fen} className={short !== exact ? 'block text-xs text-slate-500' : undefined}>
        {exact}
      </data>
    </>
  )
}

/** The year/quarter filter (a GET form: the choice lives in the URL). */
export function StatsFilters({ years, year, quarter }: { years: number[]; year: number; quarter: number | null }) {
  const t = useT()
  const control = 'rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm'
  return (
    <Form method="get" className="mt-4 flex flex-wrap items-end gap-3">
      <label className="text-sm">
        <span className="mb-1 block text-slate-600">{t('stats.year')}</span>
        <select name="year" defaultValue={String(year)} className={control}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block text-slate-600">{t('stats.quarter')}</span>
        <select name="quarter" defaultValue={quarter ? String(quarter) : ''} className={control}>
          <option value="">{t('stats.quarter.all')}</option>
          {[1, 2, 3, 4].map((q) => (
            <option key={q} value={q}>
              {t('stats.quarter.n', { n: q })}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded-md bg-slate-800 px-4 py-2 text-sm font-medium text-white hover:bg-slate-900">
        {t('stats.apply')}
      </button>
    </Form>
  )
}

export function TotalsTable({ data }: { data: DashboardJson }) {
  const t = useT()
  const money = useMoney()
  return (
    <section aria-labelledby="stats-totals" className="mt-6">
      <h2 id="stats-totals" className="text-lg font-semibold">
        {t('stats.totals')}
        {data.asOf ? <span className="ml-2 text-sm font-normal text-slate-500">{t('stats.asOf', { date: data.asOf })}</span> : null}
      </h2>
      <table className="mt-2 w-full max-w-3xl text-sm" data-testid="stats-totals">
        <thead className="bg-slate-50 text-left">
          <tr>
            <th className={cell}>{t('stats.indicator')}</th>
            <th className={`${cell} text-right`}>{t('stats.actual')}</th>
            <th className={`${cell} text-right`}>{t('stats.target')}</th>
            <th className={`${cell} text-right`}>{t('stats.progress')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" className={`${cell} text-left font-normal`}>{t('stats.count')}</th>
            <td className={num}>{data.totals.count}</td>
            <td className={num}>{data.target.contractCount}</td>
            <td className={num}>{bpText(data.progress.countBp)}</td>
          </tr>
          <tr>
            <th scope="row" className={`${cell} text-left font-normal`}>{t('stats.amount')}</th>
            <td className={num}>
              <ExactAmount fen={data.totals.amountFen} />
            </td>
            <td className={num}>{money(data.target.turnoverFen)}</td>
            <td className={num}>{bpText(data.progress.amountBp)}</td>
          </tr>
          <tr>
            <th scope="row" className={`${cell} text-left font-normal`}>{t('stats.techAmount')}</th>
            <td className={num}>
              <ExactAmount fen={data.totals.techAmountFen} />
            </td>
            <td className={num}>—</td>
            <td className={num}>—</td>
          </tr>
          {data.asOf ? (
            <tr>
              <th scope="row" className={`${cell} text-left font-normal`}>
                {t('stats.projection')}
                <span className="block text-xs text-slate-500">{t(data.projection.method === 'seasonal' ? 'stats.projection.seasonal' : 'stats.projection.linear')}</span>
              </th>
              <td className={num}>{money(data.projection.amountFen)}</td>
              <td className={num}>{money(data.target.yearTurnoverFen)}</td>
              <td className={num}>{bpText(data.projection.bp)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  )
}

function RowsTable({ rows, label, heading, testId }: { rows: Row[]; label: (key: string) => string; heading: string; testId?: string }) {
  const t = useT()
  const money = useMoney()
  if (rows.length === 0) return <p className="text-sm text-slate-500">{t('stats.empty')}</p>
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="bg-slate-50 text-left">
        <tr>
          <th className={cell}>{heading}</th>
          <th className={`${cell} text-right`}>{t('stats.count')}</th>
          <th className={`${cell} text-right`}>{t('stats.amount')}</th>
          <th className={`${cell} text-right`}>{t('stats.techAmount')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row" className={`${cell} text-left font-normal`}>{label(r.key)}</th>
            <td className={num}>{r.count}</td>
            <td className={num}>{money(r.amountFen)}</td>
            <td className={num}>{money(r.techAmountFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** A chart with its table beside it. */
function ChartWithTable({ id, title, rows, label, heading, kind = 'bar' }: { id: string; title: string; rows: Row[]; label: (key: string) => string; heading: string; kind?: 'bar' | 'line' }) {
  const t = useT()
  const toWan = (fen: number) => Math.round(fen / 1_000_000) // 万元, for the chart scale only
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      <div className="mt-2 grid gap-4 lg:grid-cols-2">
        <StatsChart
          title={title}
          kind={kind}
          labels={rows.map((r) => label(r.key))}
          series={[
            { name: `${t('stats.amount')}（万元）`, values: rows.map((r) => toWan(r.amountFen)) },
            { name: `${t('stats.techAmount')}（万元）`, values: rows.map((r) => toWan(r.techAmountFen)) },
          ]}
        />
        <RowsTable rows={rows} label={label} heading={heading} testId={`stats-${id}`} />
      </div>
    </section>
  )
}

function TopTable({ id, title, rows }: { id: string; title: string; rows: NamedRow[] }) {
  const t = useT()
  const money = useMoney()
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{t('stats.empty')}</p>
      ) : (
        <table className="mt-2 w-full max-w-4xl text-sm">
          <thead className="bg-slate-50 text-left">
            <tr>
              <th className={cell}>{t('stats.rank')}</th>
              <th className={cell}>{t('stats.name')}</th>
              <th className={`${cell} text-right`}>{t('stats.count')}</th>
              <th className={`${cell} text-right`}>{t('stats.amount')}</th>
              <th className={`${cell} text-right`}>{t('stats.techAmount')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key}>
                <td className={num}>{i + 1}</td>
                <td className={cell}>{r.name}</td>
                <td className={num}>{r.count}</td>
                <td className={num}>{money(r.amountFen)}</td>
                <td className={num}>{money(r.techAmountFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** Every chart and table of the dashboard; the top lists only for the bureau. */
export function StatsSections({ data }: { data: DashboardJson }) {
  const t = useT()
  const label = (section: Section | 'monthly' | 'region') => (key: string) => rowLabel(t as Translate, section, key)
  const sections = Object.keys(SECTION_KEYS) as Section[]
  return (
    <>
      <ChartWithTable id="monthly" title={`${t('stats.monthly')}（${data.year}）`} rows={data.monthly} label={label('monthly')} heading={t('stats.month')} kind="line" />
      {sections.map((s) => (
        <ChartWithTable key={s} id={s} title={t(SECTION_KEYS[s])} rows={data[s]} label={label(s)} heading={t('stats.category')} />
      ))}
      <ChartWithTable id="region-output" title={t('stats.region.output')} rows={data.region.output} label={label('region')} heading={t('stats.zone')} />
      <ChartWithTable id="region-absorption" title={t('stats.region.absorption')} rows={data.region.absorption} label={label('region')} heading={t('stats.zone')} />
      {data.audience === 'bureau' ? (
        <>
          <TopTable id="top-sellers" title={t('stats.topSellers')} rows={data.topSellers} />
          <TopTable id="top-brokers" title={t('stats.topBrokers')} rows={data.topBrokers} />
        </>
      ) : null}
    </>
  )
}
