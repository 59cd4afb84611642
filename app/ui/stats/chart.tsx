import { useEffect, useRef, useState } from 'react'
import { useT } from '~/i18n/i18n'

export interface ChartSeries {
  name: string
  values: number[]
}

/**
 * An ECharts bar/line chart, loaded in the browser only; the table beside it carries the
 * same numbers, so the page is complete without JavaScript.
 */
export function StatsChart({ labels, series, kind = 'bar', title }: { labels: string[]; series: ChartSeries[]; kind?: 'bar' | 'line'; title: string }) {
  const t = useT()
  const ref = useRef<HTMLDivElement>(null)
  const [ready, setReady] = useState(false)
  const spec = JSON.stringify({ labels, series, kind })
  useEffect(() => {
    let disposed = false
    let chart: { dispose(): void; resize(): void } | undefined
    const onResize = () => chart?.resize()
    void import('echarts').then((echarts) => {
      if (disposed || !ref.current) return
      const { labels: l, series: s, kind: k } = JSON.parse(spec) as { labels: string[]; series: ChartSeries[]; kind: 'bar' | 'line' }
      const c = echarts.init(ref.current, undefined, { renderer: 'svg' })
      c.setOption({
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
        xAxis: { type: 'category', data: l, axisLabel: { interval: 0, rotate: l.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value' },
        series: s.map((x) => ({ name: x.name, type: k, data: x.values })),
      })
      chart = c
      window.addEventListener('resize', onResize)
      setReady(true)
    })
    return () => {
      disposed = true
      window.removeEventListener('resize', onResize)
      chart?.dispose()
    }
  }, [spec])
  return (
    <div role="img" aria-label={title} className="relative h-64 w-full">
      {!ready ? <p className="absolute inset-0 flex items-center justify-center text-sm text-slate-400">{t('stats.chart.loading')}</p> : null}
      <div ref={ref} className="h-full w-full" />
    </div>
  )
}
