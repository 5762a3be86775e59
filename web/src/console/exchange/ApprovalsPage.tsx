import { useState } from 'react';
import { App as AntApp, Button, Card, Input, Modal, Segmented, Space, Table } from 'antd';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';
import { AgreementStatusTag, useFieldLabel } from './AgreementsShared';

type Verb = 'approve' | 'reject' | 'suspend' | 'resume' | 'revoke';
const verbsFor: Record<string, Verb[]> = { pending: ['approve', 'reject', 'revoke'], approved: ['suspend', 'revoke'], suspended: ['resume', 'revoke'] };

/** 协议审批: the supervisor approves or rejects pending agreements (not their own drafts), suspends, resumes or revokes. */
export default function ApprovalsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useMe().data;
  const qc = useQueryClient();
  const fieldLabel = useFieldLabel();
  const [status, setStatus] = useState<'pending' | 'approved' | 'suspended'>('pending');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [pending, setPending] = useState<{ id: string; verb: Verb } | null>(null);
  const [note, setNote] = useState('');
  const list = useQuery({
    queryKey: ['exchange', 'agreements', status, paging],
    queryFn: () => api.get('/api/v1/exchange/agreements', { query: { ...paging, status } }),
    placeholderData: keepPreviousData,
  });
  const decide = useMutation({
    mutationFn: (p: { id: string; verb: Verb }) => api.post('/api/v1/exchange/agreements/{id}/{verb}', { path: p, body: note ? { note } : {} }),
    onSuccess: () => {
      message.success(t('exchangeOut.decided'));
      setPending(null);
      setNote('');
      qc.invalidateQueries({ queryKey: ['exchange', 'agreements'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <>
      <div className="page-head">
        <h1>{t('exchangeOut.nav.approvals')}</h1>
      </div>
      <Card>
        <Segmented
          style={{ marginBottom: 12 }}
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={(['pending', 'approved', 'suspended'] as const).map((s) => ({ value: s, label: t(`exchangeOut.status.${s}`) }))}
        />
        <Table
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          expandable={{
            expandedRowRender: (a) => (
              <p style={{ margin: 0 }}>{`${t('exchangeOut.purpose')}：${a.purpose}；${t('exchangeOut.legalBasis')}：${a.legalBasis}`}</p>
            ),
          }}
          columns={[
            { title: t('exchangeOut.title'), dataIndex: 'title' },
            { title: t('exchangeOut.provider'), dataIndex: 'providerOrgName' },
            { title: t('exchangeOut.consumer'), dataIndex: 'consumerOrgName' },
            { title: t('exchangeOut.fields'), dataIndex: 'fields', render: (f: string[]) => f.map(fieldLabel).join('、') },
            { title: t('exchangeOut.places'), dataIndex: 'placeNames', render: (p: string[]) => p.join('、') },
            { title: t('exchangeOut.validity'), render: (_, a) => `${a.validFrom} ~ ${a.validTo}` },
            { title: t('exchangeOut.draftedBy'), dataIndex: 'draftedByName' },
            { title: t('exchangeOut.statusLabel'), dataIndex: 'status', render: (s: string) => <AgreementStatusTag status={s} /> },
            { title: t('exchangeOut.updatedAt'), dataIndex: 'updatedAt', render: fmtTime },
            {
              title: t('common.actions', { defaultValue: '操作' }),
              render: (_, a) => (
                <Space>
                  {(verbsFor[a.status] ?? [])
                    .filter((v) => !((v === 'approve' || v === 'reject') && a.draftedBy === me?.id))
                    .map((v) => (
                      <Button
                        key={v}
                        size="small"
                        danger={v === 'revoke' || v === 'reject'}
                        type={v === 'approve' ? 'primary' : 'default'}
                        onClick={() => setPending({ id: a.id, verb: v })}
                      >
                        {t(`exchangeOut.verb.${v}`)}
                      </Button>
                    ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!pending}
        title={pending ? t(`exchangeOut.verb.${pending.verb}`) : ''}
        onCancel={() => setPending(null)}
        onOk={() => pending && decide.mutate(pending)}
        confirmLoading={decide.isPending}
      >
        <Input.TextArea rows={3} maxLength={500} placeholder={t('exchangeOut.note')} value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </>
  );
}
