import { Badge, Button, Card, Empty, Result, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DesktopOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useWorkOrder } from './api';
import { PhotoStrip } from './PhotoPicker';
import { WoActions } from './WoActions';
import { WoTimeline } from './WoTimeline';
import { PriorityTag, WoStatusTag } from './WorkOrderTable';

function Head({ title, back }: { title: string; back?: string }) {
  const { t } = useTranslation();
  return (
    <header className="tech-head">
      {back ? (
        <Link to={back} aria-label={t('common.back')}>
          <ArrowLeftOutlined />
        </Link>
      ) : (
        <Link to="/" aria-label={t('tech.console')}>
          <DesktopOutlined />
        </Link>
      )}
      <h1>{title}</h1>
    </header>
  );
}

/** My orders (assigned / in progress / paused) and the open ones anyone may grab. */
function TechList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') === 'open' ? 'open' : 'mine';
  const query = tab === 'open' ? { open: true } : { mine: true, status: 'assigned,in_progress,paused,resolved' };
  const q = useQuery({
    queryKey: ['work-orders', 'tech', tab],
    queryFn: () => api.get('/api/v1/work-orders', { query: { ...query, page: 1, pageSize: 100 } }),
    refetchInterval: 20_000,
    placeholderData: keepPreviousData,
  });
  const items = q.data?.items ?? [];
  return (
    <>
      <Head title={t('tech.title')} />
      <div className="tech-body">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Segmented
            size="large"
            aria-label={t('tech.which')}
            value={tab}
            onChange={(v) => setSp(v === 'open' ? { tab: 'open' } : {}, { replace: true })}
            options={[
              { value: 'mine', label: t('tech.mine') },
              { value: 'open', label: t('tech.open') },
            ]}
          />
          <Button icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={() => void q.refetch()} loading={q.isFetching} />
        </Space>
        {q.isError && (
          <div role="alert" style={{ color: '#cf1322' }}>
            {errorMessage(q.error)}
          </div>
        )}
        {!q.isLoading && items.length === 0 && <Empty description={tab === 'open' ? t('tech.noOpen') : t('tech.noMine')} />}
        <Space direction="vertical" style={{ width: '100%' }}>
          {items.map((w) => (
            <Card
              key={w.id}
              size="small"
              hoverable
              onClick={() => nav(`/tech/${w.id}`)}
              style={w.overdue ? { borderColor: '#ff4d4f' } : undefined}
              title={<Link to={`/tech/${w.id}`}>{w.number}</Link>}
              extra={<WoStatusTag status={w.status} />}
            >
              <Typography.Text strong>{w.title}</Typography.Text>
              <div style={{ margin: '4px 0' }}>
                <PriorityTag priority={w.priority} />
                <Tag>{w.categoryName}</Tag>
                {w.overdue && <Badge status="error" text={t('wo.overdue')} />}
              </div>
              <div style={{ color: '#666' }}>{w.placeLabel}</div>
              <div style={{ color: '#888', fontSize: 12 }}>
                {t('wo.resolveBy')}: {fmtTime(w.resolveBy)}
              </div>
              {tab === 'open' && (
                <div style={{ marginTop: 8 }} onClick={(e) => e.stopPropagation()}>
                  <WoActions wo={w} size="large" block />
                </div>
              )}
            </Card>
          ))}
        </Space>
      </div>
    </>
  );
}

function TechDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const q = useWorkOrder(id, 20_000);
  const w = q.data;
  return (
    <>
      <Head title={w?.number ?? t('tech.title')} back="/tech" />
      <div className="tech-body">
        {q.isError && (
          <Result
            status={q.error instanceof ApiError && q.error.status === 404 ? '404' : 'error'}
            title={q.error instanceof ApiError && q.error.status === 404 ? t('error.notFound') : errorMessage(q.error)}
          />
        )}
        {!w && !q.isError && <Spin style={{ display: 'block', margin: '60px auto' }} />}
        {w && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card size="small" title={w.title} extra={<WoStatusTag status={w.status} />}>
              <div>
                <PriorityTag priority={w.priority} />
                <Tag>{w.categoryName}</Tag>
                {w.overdue && <Tag color="red">{t('wo.overdue')}</Tag>}
              </div>
              <p style={{ margin: '8px 0' }}>
                <b>{t('wo.place')}:</b> {w.placeLabel}
              </p>
              {w.residentName && (
                <p style={{ margin: '8px 0' }}>
                  <b>{t('wo.resident')}:</b> {w.residentName}
                </p>
              )}
              {w.preferredTime && (
                <p style={{ margin: '8px 0' }}>
                  <b>{t('wo.preferredTime')}:</b> {fmtTime(w.preferredTime)}
                </p>
              )}
              <p style={{ margin: '8px 0' }}>
                <b>{t('wo.resolveBy')}:</b> {fmtTime(w.resolveBy)}
              </p>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{w.description}</Typography.Paragraph>
              {w.photos.length > 0 && <PhotoStrip urls={w.photos.map((p) => p.url)} />}
            </Card>
            <Card size="small" title={t('common.actions')}>
              <WoActions wo={w} size="large" block />
            </Card>
            <Card size="small" title={t('wo.timeline')}>
              <WoTimeline wo={w} />
            </Card>
          </Space>
        )}
      </div>
    </>
  );
}

/** The technician's phone view (/tech): one column, large buttons, no side menu. */
export default function TechPage() {
  return (
    <div className="tech-root">
      <Routes>
        <Route index element={<TechList />} />
        <Route path=":id" element={<TechDetail />} />
      </Routes>
    </div>
  );
}
