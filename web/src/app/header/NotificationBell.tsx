import { useEffect } from 'react';
import { Badge, Button, Empty, List, Popover, Typography, App } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, downloadUrl } from '../../shared/api';
import { fmtTime } from '../../shared/format';

const key = ['notifications'];

/** Unread count with a dropdown list; kept live by the server-sent event stream. */
export function NotificationBell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get('/api/v1/notifications'),
    refetchInterval: 120_000,
  });

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(downloadUrl('/api/v1/notifications/stream'), { withCredentials: true });
    const onNote = () => void qc.invalidateQueries({ queryKey: key });
    es.addEventListener('notification', onNote);
    // EventSource reconnects by itself; nothing to do on error.
    return () => {
      es.removeEventListener('notification', onNote);
      es.close();
    };
  }, [qc]);

  const readAll = useMutation({
    mutationFn: () => api.post('/api/v1/notifications/read', { body: { all: true } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
    onError: (e) => message.error(errorMessage(e)),
  });

  const items = q.data?.items ?? [];
  const unread = q.data?.unread ?? 0;
  const content = (
    <div style={{ width: 340 }}>
      <List
        size="small"
        dataSource={items.slice(0, 20)}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notify.empty')} /> }}
        renderItem={(n) => (
          <List.Item>
            <List.Item.Meta
              title={<Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>}
              description={
                <>
                  {n.body && <div>{n.body}</div>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtTime(n.createdAt)}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
      <div style={{ textAlign: 'right', marginTop: 8 }}>
        <Button size="small" disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()}>
          {t('notify.readAll')}
        </Button>
      </div>
    </div>
  );
  return (
    <Popover trigger="click" placement="bottomRight" title={t('notify.title')} content={content}>
      <Button type="text" aria-label={t('notify.bell', { count: unread })}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
