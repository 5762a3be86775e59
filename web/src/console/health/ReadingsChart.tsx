import { useMemo } from 'react';
import ReactECharts from 'echarts-for-react';
import { useTranslation } from 'react-i18next';
import type { Bands, Kind, Reading } from './api';

/** A patient's readings of one kind over time with the threshold bands (high, urgent, low) as lines. */
export function ReadingsChart({ kind, items, bands, height = 300 }: { kind: Kind; items: Reading[]; bands?: Bands; height?: number }) {
  const { t, i18n } = useTranslation();
  const option = useMemo(() => {
    const pts = [...items].sort((a, b) => a.ts.localeCompare(b.ts));
    const line = (value: number, label: string, color: string) => ({
      yAxis: value,
      label: { formatter: `${label} ${value}` },
      lineStyle: { color, type: 'dashed' },
    });
    const marks = [
      ...(bands?.high ?? []).map((v) => line(v, t('health.band.high'), '#fa8c16')),
      ...(bands?.urgent ?? []).map((v) => line(v, t('health.band.urgent'), '#f5222d')),
      ...(bands?.low ?? []).map((v) => line(v, t('health.band.low'), '#1677ff')),
    ];
    const series =
      kind === 'bp'
        ? [
            { name: t('health.systolic'), type: 'line', data: pts.map((p) => [p.ts, p.value]), markLine: { symbol: 'none', data: marks } },
            { name: t('health.diastolic'), type: 'line', data: pts.map((p) => [p.ts, p.diastolic]) },
          ]
        : [{ name: t(`health.kind.${kind}`), type: 'line', data: pts.map((p) => [p.ts, p.value]), markLine: { symbol: 'none', data: marks } }];
    return {
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 48, right: 72, top: 36, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true, name: pts[0]?.unit ?? '' },
      series,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, bands, kind, i18n.language]);
  return <ReactECharts option={option} style={{ height }} notMerge />;
}
