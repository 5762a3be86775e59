import { App, Button, Card, Col, Empty, List, Progress, Row, Space, Statistic, Table, Tag } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, downloadUrl, errorMessage } from '../../shared/api';
import { PageHead } from '../../shared/ui';
import { stateColor } from './SurveysPage';
import type { QuestionResult } from './api';

/** One question's chart: bars of counts (choices, rating), stacked bars (matrix), mean rank (ranking), or the texts. */
function QuestionChart({ q }: { q: QuestionResult }) {
  const { t } = useTranslation();
  if (q.texts) {
    return q.texts.length ? <List size="small" dataSource={q.texts} renderItem={(s) => <List.Item>{s}</List.Item>} /> : <Empty />;
  }
  let option: Record<string, unknown>;
  if (q.rows) {
    const opts = q.rows[0]?.options.map((o) => o.option) ?? [];
    option = {
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', data: q.rows.map((r) => r.row) },
      yAxis: { type: 'value', minInterval: 1 },
      series: opts.map((o, i) => ({ name: o, type: 'bar', stack: 'all', data: q.rows!.map((r) => r.options[i].count) })),
    };
  } else if (q.distribution) {
    option = {
      tooltip: {},
      xAxis: { type: 'category', data: q.distribution.map((d) => `${d.value}`) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: q.distribution.map((d) => d.count) }],
    };
  } else if (q.type === 'ranking') {
    option = {
      tooltip: {},
      xAxis: { type: 'value', name: t('participation.surveys.meanRank') },
      yAxis: { type: 'category', inverse: true, data: q.options!.map((o) => o.option) },
      series: [{ type: 'bar', data: q.options!.map((o) => o.meanRank ?? 0) }],
    };
  } else {
    option = {
      tooltip: {},
      xAxis: { type: 'category', data: q.options!.map((o) => o.option) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: q.options!.map((o) => o.count ?? 0) }],
    };
  }
  return <ReactECharts option={option} style={{ height: 240 }} notMerge />;
}

export default function SurveyResultsPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['surveys', 'results', id],
    queryFn: () => api.get('/api/v1/surveys/{id}/results', { path: { id } }),
    refetchInterval: 30_000,
  });
  const close = useMutation({
    mutationFn: () => api.post('/api/v1/surveys/{id}/close', { path: { id } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  const r = q.data;
  return (
    <>
      <PageHead
        title={
          r ? (
            <Space>
              {r.survey.title}
              <Tag color={stateColor[r.survey.state]}>{t(`participation.surveys.state.${r.survey.state}`)}</Tag>
            </Space>
          ) : (
            t('participation.surveys.results')
          )
        }
        extra={
          <Space>
            <Button href={downloadUrl('/api/v1/surveys/{id}/export', { path: { id } })}>{t('participation.surveys.export')}</Button>
            {r && r.survey.state !== 'closed' && (
              <Button danger onClick={() => close.mutate()}>
                {t('participation.surveys.close')}
              </Button>
            )}
          </Space>
        }
      />
      {r && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={8}>
              <Card>
                <Statistic title={t('participation.surveys.responses')} value={r.responses} />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title={t('participation.surveys.eligible')} value={r.eligible} />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title={t('participation.surveys.rate')} value={Math.round(r.rate * 1000) / 10} suffix="%" />
              </Card>
            </Col>
          </Row>
          <Card title={t('participation.surveys.byBuilding')} style={{ marginBottom: 16 }}>
            <Table
              rowKey={(b) => b.buildingId ?? '-'}
              size="small"
              pagination={false}
              dataSource={r.byBuilding}
              columns={[
                { title: t('participation.notices.building'), dataIndex: 'buildingName', render: (v) => v ?? '—' },
                { title: t('participation.surveys.eligible'), dataIndex: 'eligible' },
                { title: t('participation.surveys.responses'), dataIndex: 'responses' },
                { title: t('participation.surveys.rate'), dataIndex: 'rate', render: (v: number) => <Progress percent={Math.round(v * 100)} size="small" /> },
              ]}
            />
          </Card>
          {r.questions.map((qr, i) => (
            <Card
              key={qr.id}
              title={`${i + 1}. ${qr.title}`}
              extra={t('participation.surveys.answered', { count: qr.answered })}
              style={{ marginBottom: 16 }}
              data-testid={`result-${qr.id}`}
            >
              {qr.mean != null && (
                <div>
                  {t('participation.surveys.mean')}: {qr.mean}
                </div>
              )}
              <QuestionChart q={qr} />
            </Card>
          ))}
        </>
      )}
    </>
  );
}
