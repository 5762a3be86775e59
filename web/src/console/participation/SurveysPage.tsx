import { useState } from 'react';
import { Button, Card, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { useListPage } from '../../shared/useListPage';
import { fmtTime } from '../../shared/format';
import { PageHead } from '../../shared/ui';
import { SurveyBuilder } from './SurveyBuilder';
import type { SurveyRow } from './api';

export const stateColor: Record<string, string> = { upcoming: 'blue', open: 'green', closed: 'default' };

export default function SurveysPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const { tableProps } = useListPage({ filters: {}, queryKey: ['surveys'], fetch: (q) => api.get('/api/v1/surveys', { query: q }) });
  return (
    <>
      <PageHead
        title={t('participation.surveys.heading')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('participation.surveys.new')}
          </Button>
        }
      />
      <Card>
        <Table<SurveyRow>
          {...tableProps}
          columns={[
            { title: t('participation.surveys.title'), key: 'title', render: (_, s) => <Link to={`/participation/surveys/${s.id}`}>{s.title}</Link> },
            {
              title: t('participation.col.status'),
              dataIndex: 'state',
              render: (v) => <Tag color={stateColor[v]}>{t(`participation.surveys.state.${v}`)}</Tag>,
            },
            {
              title: t('participation.surveys.kind'),
              key: 'kind',
              render: (_, s) => (
                <Space>
                  {s.anonymous && <Tag>{t('participation.surveys.anonymous')}</Tag>}
                  <Tag>{s.per === 'household' ? t('participation.surveys.perHousehold') : t('participation.surveys.perResident')}</Tag>
                </Space>
              ),
            },
            { title: t('participation.surveys.opensAt'), dataIndex: 'opensAt', render: (v) => fmtTime(v) },
            { title: t('participation.surveys.closesAt'), dataIndex: 'closesAt', render: (v) => (v ? fmtTime(v) : '—') },
            { title: t('participation.surveys.responses'), dataIndex: 'responses' },
          ]}
        />
      </Card>
      <SurveyBuilder open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
