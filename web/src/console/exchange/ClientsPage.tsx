import { useState } from 'react';
import { App as AntApp, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { fmtTime } from '../../shared/format';

/** 接入系统: machine clients (organisation code / subsystem code) and their Ed25519 keys; rotate and revoke. */
export default function ClientsPage() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const me = useMe().data;
  const qc = useQueryClient();
  const [rotating, setRotating] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const list = useQuery({ queryKey: ['exchange', 'clients'], queryFn: () => api.get('/api/v1/exchange/clients') });
  const done = () => {
    message.success(t('exchangeOut.saved'));
    qc.invalidateQueries({ queryKey: ['exchange', 'clients'] });
  };
  const rotate = useMutation({
    mutationFn: (p: { id: string; publicKey: string }) =>
      api.post('/api/v1/exchange/clients/{id}/keys', { path: { id: p.id }, body: { publicKey: p.publicKey } }),
    onSuccess: () => {
      setRotating(null);
      setKey('');
      done();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (p: { id: string; keyId: string }) => api.post('/api/v1/exchange/clients/{id}/keys/{keyId}/revoke', { path: p }),
    onSuccess: done,
    onError: (e) => message.error(errorMessage(e)),
  });
  const manage = can(me, 'manage', 'ExchangeClient');
  return (
    <>
      <div className="page-head">
        <h1>{t('exchangeOut.nav.clients')}</h1>
      </div>
      <Card>
        <Table
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('exchangeOut.client.identifier'), dataIndex: 'identifier', render: (v) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('exchangeOut.client.name'), dataIndex: 'name' },
            { title: t('exchangeOut.client.org'), dataIndex: 'orgName' },
            {
              title: t('exchangeOut.client.keys'),
              render: (_, c) => (
                <Space direction="vertical" size={2}>
                  {c.keys.map((k) => (
                    <Space key={k.keyId} size={4}>
                      <Typography.Text code>{k.keyId}</Typography.Text>
                      <Tag color={k.status === 'active' ? 'green' : k.status === 'revoked' ? 'red' : undefined}>{t(`exchangeOut.keyStatus.${k.status}`)}</Tag>
                      <span style={{ color: '#888' }}>{fmtTime(k.createdAt)}</span>
                      {manage && k.status !== 'revoked' && (
                        <Button
                          size="small"
                          danger
                          onClick={() =>
                            modal.confirm({ title: t('exchangeOut.client.revokeConfirm'), onOk: () => revoke.mutateAsync({ id: c.id, keyId: k.keyId }) })
                          }
                        >
                          {t('exchangeOut.client.revoke')}
                        </Button>
                      )}
                    </Space>
                  ))}
                </Space>
              ),
            },
            {
              title: t('exchangeOut.client.encryption'),
              dataIndex: 'hasEncryptionKey',
              render: (v: boolean) => (v ? t('common.yes', { defaultValue: '是' }) : '—'),
            },
            {
              title: '',
              render: (_, c) => manage && <Button onClick={() => setRotating(c.id)}>{t('exchangeOut.client.rotate')}</Button>,
            },
          ]}
        />
      </Card>
      <Modal
        open={!!rotating}
        title={t('exchangeOut.client.rotate')}
        onCancel={() => setRotating(null)}
        onOk={() => rotating && rotate.mutate({ id: rotating, publicKey: key })}
        confirmLoading={rotate.isPending}
      >
        <Typography.Paragraph type="secondary">{t('exchangeOut.client.rotateHint')}</Typography.Paragraph>
        <Input.TextArea rows={4} value={key} onChange={(e) => setKey(e.target.value)} placeholder="MCowBQYDK2VwAyEA…" />
      </Modal>
    </>
  );
}
