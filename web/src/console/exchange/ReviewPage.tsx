import { useState } from 'react';
import { App as AntApp, Button, Card, Descriptions, Empty, Space, Tag } from 'antd';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';

const LEVEL_COLOR: Record<string, string> = {
  exact: 'green',
  agree: 'green',
  pinyin: 'cyan',
  swapped: 'cyan',
  similar: 'gold',
  partial: 'gold',
  different: 'red',
  disagree: 'red',
  missing: 'default',
};
const FIELDS = ['name', 'idNumberMasked', 'gender', 'birthDate', 'phoneMasked', 'address'] as const;

/** 待核对: uncertain matches, the department's record beside the resident proposed (masked); same person or not. */
export default function ReviewPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['exchange', 'reviews', page],
    queryFn: () => api.get('/api/v1/exchange/reviews', { query: { page, pageSize: 10 } }),
    placeholderData: keepPreviousData,
  });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'same' | 'different' }) =>
      api.post('/api/v1/exchange/reviews/{id}/decision', { path: { id }, body: { decision } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['exchange', 'reviews'] }),
    onError: (e) => message.error(errorMessage(e)),
  });
  const mayDecide = can(me, 'decide', 'MatchReview');
  const items = list.data?.items ?? [];
  const levelOf = (levels: Record<string, string>, f: string) => levels[f === 'idNumberMasked' ? 'id' : f === 'phoneMasked' ? 'phone' : f];
  return (
    <>
      <div className="page-head">
        <h1>{t('exchangeIn.nav.reviews')}</h1>
        <span style={{ marginLeft: 12, color: '#888' }}>{t('exchangeIn.reviews.pending', { count: list.data?.total ?? 0 })}</span>
      </div>
      {!items.length && !list.isLoading && <Empty description={t('exchangeIn.reviews.none')} />}
      {items.map((r) => (
        <Card
          key={r.id}
          style={{ marginBottom: 16 }}
          title={`${r.sourceName} · ${t('exchangeIn.imports.row')} ${r.row}`}
          extra={
            <Space>
              <Tag>{t('exchangeIn.reviews.weight', { weight: r.weight })}</Tag>
              {mayDecide && (
                <>
                  <Button type="primary" loading={decide.isPending} onClick={() => decide.mutate({ id: r.id, decision: 'same' })}>
                    {t('exchangeIn.reviews.same')}
                  </Button>
                  <Button danger loading={decide.isPending} onClick={() => decide.mutate({ id: r.id, decision: 'different' })}>
                    {t('exchangeIn.reviews.different')}
                  </Button>
                </>
              )}
            </Space>
          }
        >
          <Descriptions bordered size="small" column={3}>
            <Descriptions.Item label=" ">{t('exchangeIn.reviews.field')}</Descriptions.Item>
            <Descriptions.Item label={t('exchangeIn.reviews.record')}> </Descriptions.Item>
            <Descriptions.Item label={t('exchangeIn.reviews.resident')}> </Descriptions.Item>
            {FIELDS.flatMap((f) => {
              const level = levelOf(r.levels as Record<string, string>, f);
              return [
                <Descriptions.Item key={`${f}-l`} label={t(`exchangeIn.field.${f.replace('Masked', '')}`)}>
                  {level && <Tag color={LEVEL_COLOR[level]}>{t(`exchangeIn.level.${level}`)}</Tag>}
                </Descriptions.Item>,
                <Descriptions.Item key={`${f}-a`}>{r.record[f] ?? '—'}</Descriptions.Item>,
                <Descriptions.Item key={`${f}-b`}>{r.candidate?.[f] ?? '—'}</Descriptions.Item>,
              ];
            })}
          </Descriptions>
        </Card>
      ))}
      {(list.data?.total ?? 0) > 10 && (
        <Space>
          <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('common.prev')}
          </Button>
          <Button disabled={page * 10 >= (list.data?.total ?? 0)} onClick={() => setPage(page + 1)}>
            {t('common.next')}
          </Button>
        </Space>
      )}
    </>
  );
}
