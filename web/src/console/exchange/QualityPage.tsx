import { Card, Col, Row, Select, Statistic } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

/** 数据质量: completeness, validity against the standard, duplicates and match rate of a source, with the 12-month trend. */
export default function QualityPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const sources = useQuery({ queryKey: ['exchange', 'sources'], queryFn: () => api.get('/api/v1/exchange/sources') });
  const sourceId = id ?? sources.data?.items[0]?.id;
  const q = useQuery({
    queryKey: ['exchange', 'quality', sourceId],
    enabled: !!sourceId,
    queryFn: () => api.get('/api/v1/exchange/sources/{id}/quality', { path: { id: sourceId! } }),
  });
  const d = q.data;
  const series = (key: 'completeness' | 'validity' | 'matchRate') => ({
    name: t(`exchangeIn.quality.${key}`),
    type: 'line',
    connectNulls: false,
    data: (d?.trend ?? []).map((m) => (m[key] === null ? null : Math.round(m[key]! * 1000) / 10)),
  });
  return (
    <>
      <div className="page-head">
        <h1>{t('exchangeIn.nav.quality')}</h1>
        <Select
          style={{ minWidth: 280, marginLeft: 12 }}
          value={sourceId}
          options={(sources.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange={(v) => navigate(`/exchange/quality/${v}`)}
        />
      </div>
      {d && (
        <>
          <Row gutter={16}>
            <Col span={6}>
              <Card>
                <Statistic title={t('exchangeIn.quality.completeness')} value={pct(d.latest.completeness)} />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic title={t('exchangeIn.quality.validity')} value={pct(d.latest.validity)} />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic title={t('exchangeIn.quality.duplicates')} value={d.latest.duplicates} />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic title={t('exchangeIn.quality.matchRate')} value={pct(d.latest.matchRate)} />
              </Card>
            </Col>
          </Row>
          <Card title={t('exchangeIn.quality.trend')} style={{ marginTop: 16 }}>
            <ReactECharts
              style={{ height: 320 }}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: d.trend.map((m) => m.month) },
                yAxis: [
                  { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                  { type: 'value', name: t('exchangeIn.quality.records') },
                ],
                series: [
                  series('completeness'),
                  series('validity'),
                  series('matchRate'),
                  { name: t('exchangeIn.quality.records'), type: 'bar', yAxisIndex: 1, data: d.trend.map((m) => m.records) },
                ],
              }}
            />
          </Card>
        </>
      )}
    </>
  );
}
