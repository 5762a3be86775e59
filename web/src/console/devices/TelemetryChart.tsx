import { useMemo } from 'react';
import { Empty, Spin } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { keyText } from './api';

const DAY = 24 * 3600 * 1000;

/** One key over the last `days` days: the average line with a min–max band. */
export function TelemetryChart({ deviceId, telemetryKey, days }: { deviceId: string; telemetryKey: string; days: number }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['devices', 'telemetry', deviceId, telemetryKey, days],
    queryFn: () => {
      const to = Date.now();
      return api.get('/api/v1/devices/{id}/telemetry', {
        path: { id: deviceId },
        query: {
          key: telemetryKey,
          from: String(to - days * DAY),
          to: String(to),
          resolution: days > 2 ? '1h' : '1m',
        },
      });
    },
    refetchInterval: days > 2 ? 300_000 : 60_000,
    enabled: !!telemetryKey,
  });
  const series = q.data?.series.find((s) => s.key === telemetryKey) ?? q.data?.series[0];

  const option = useMemo(() => {
    if (!series) return null;
    const name = `${keyText(series)}${series.unit ? ` (${series.unit})` : ''}`;
    const pts = series.points;
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('devices.avg'), t('devices.min'), t('devices.max')] },
      grid: { left: 48, right: 24, top: 40, bottom: 60 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name, scale: true },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 20 }],
      series: [
        { name: t('devices.avg'), type: 'line', showSymbol: false, data: pts.map((p) => [p.ts, p.avg]) },
        { name: t('devices.min'), type: 'line', showSymbol: false, lineStyle: { opacity: 0.4, type: 'dashed' }, data: pts.map((p) => [p.ts, p.min]) },
        { name: t('devices.max'), type: 'line', showSymbol: false, lineStyle: { opacity: 0.4, type: 'dashed' }, data: pts.map((p) => [p.ts, p.max]) },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series, i18n.language]);

  if (q.isLoading)
    return (
      <div style={{ height: 300, display: 'grid', placeItems: 'center' }}>
        <Spin />
      </div>
    );
  if (q.isError)
    return (
      <div role="alert" style={{ color: '#cf1322' }}>
        {errorMessage(q.error)}
      </div>
    );
  if (!option || !series?.points.length) return <Empty description={t('devices.noData')} style={{ height: 300, paddingTop: 100 }} />;
  return (
    <div role="img" aria-label={t('devices.chartOf', { key: keyText(series), days })}>
      <ReactECharts option={option} style={{ height: 300 }} notMerge />
    </div>
  );
}
