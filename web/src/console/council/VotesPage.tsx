import { useState } from 'react';
import { App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { useListPage } from '../../shared/useListPage';
import { fmtTime } from '../../shared/format';
import { PageHead, SubmitOnEnter } from '../../shared/ui';
import { useCommunity } from '../participation/api';
import { outcomeColor, type NewVote, type VoteRow } from './api';

interface NewVoteForm {
  title: string;
  description?: string;
  basis: NewVote['basis'];
  secret: boolean;
  hideResults: boolean;
  rule: NewVote['rule'];
  major?: boolean;
  quorumNum?: number;
  quorumDen?: number;
  thresholdNum?: number;
  thresholdDen?: number;
  closesAt?: Dayjs | null;
}

function NewVote({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const nav = useNavigate();
  const community = useCommunity();
  const [form] = Form.useForm<NewVoteForm>();
  const rule = Form.useWatch('rule', form);
  const save = useMutation({
    mutationFn: (v: NewVoteForm) =>
      api.post('/api/v1/council/votes', {
        body: {
          communityId: community.id!,
          title: v.title,
          description: v.description ?? '',
          basis: v.rule === 'art278' ? 'owners' : v.basis,
          secret: v.secret,
          hideResults: v.hideResults,
          rule: v.rule,
          major: v.rule === 'art278' ? !!v.major : undefined,
          quorum: v.rule !== 'art278' && v.quorumNum ? { num: v.quorumNum, den: v.quorumDen ?? 100 } : null,
          threshold: v.rule === 'threshold' ? { num: v.thresholdNum ?? 2, den: v.thresholdDen ?? 3 } : null,
          closesAt: v.closesAt ? v.closesAt.toISOString() : null,
        },
      }),
    onSuccess: (v) => {
      qc.invalidateQueries({ queryKey: ['council', 'votes'] });
      form.resetFields();
      onClose();
      nav(`/council/votes/${v.id}`);
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal open={open} onCancel={onClose} title={t('council.votes.new')} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden width={620}>
      <Form
        form={form}
        layout="vertical"
        name="vote"
        initialValues={{ basis: 'owners', secret: true, hideResults: true, rule: 'simple', thresholdNum: 2, thresholdDen: 3, quorumDen: 100 }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="title" label={t('council.votes.title')} rules={req}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('council.votes.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="rule" label={t('council.votes.rule')}>
          <Select options={['simple', 'threshold', 'art278'].map((v) => ({ value: v, label: t(`council.rule.${v}`) }))} />
        </Form.Item>
        {rule !== 'art278' && (
          <Form.Item name="basis" label={t('council.votes.basis')}>
            <Select options={['residents', 'owners', 'households'].map((v) => ({ value: v, label: t(`council.basis.${v}`) }))} />
          </Form.Item>
        )}
        {rule === 'art278' && (
          <Form.Item name="major" valuePropName="checked">
            <Checkbox>{t('council.votes.major')}</Checkbox>
          </Form.Item>
        )}
        {rule === 'threshold' && (
          <Space>
            <Form.Item name="thresholdNum" label={t('council.votes.thresholdNum')}>
              <InputNumber min={0} max={1000} />
            </Form.Item>
            <Form.Item name="thresholdDen" label={t('council.votes.thresholdDen')}>
              <InputNumber min={1} max={1000} />
            </Form.Item>
          </Space>
        )}
        {rule !== 'art278' && (
          <Space>
            <Form.Item name="quorumNum" label={t('council.votes.quorumNum')}>
              <InputNumber min={0} max={1000} />
            </Form.Item>
            <Form.Item name="quorumDen" label={t('council.votes.quorumDen')}>
              <InputNumber min={1} max={1000} />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="closesAt" label={t('council.votes.closesAt')}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="secret" valuePropName="checked" extra={t('council.votes.secretHint')}>
          <Checkbox>{t('council.votes.secret')}</Checkbox>
        </Form.Item>
        <Form.Item name="hideResults" valuePropName="checked">
          <Checkbox>{t('council.votes.hideResults')}</Checkbox>
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}

export default function VotesPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [open, setOpen] = useState(false);
  const { tableProps } = useListPage({ filters: {}, queryKey: ['council', 'votes'], fetch: (q) => api.get('/api/v1/council/votes', { query: q }) });
  return (
    <>
      <PageHead
        title={t('council.nav.votes')}
        extra={
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('council.votes.new')}
          </Button>
        }
      />
      <Table<VoteRow>
        {...tableProps}
        onRow={(v) => ({ onClick: () => nav(`/council/votes/${v.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('council.votes.title'), dataIndex: 'title' },
          {
            title: t('council.votes.rule'),
            dataIndex: 'rule',
            render: (v, r) => t(`council.rule.${v}`) + (r.major ? ` · ${t('council.votes.majorShort')}` : ''),
          },
          { title: t('council.votes.basis'), dataIndex: 'basis', render: (v) => t(`council.basis.${v}`) },
          {
            title: t('council.col.status'),
            dataIndex: 'status',
            render: (v, r) => (
              <Space>
                <Tag>{t(`council.voteStatus.${v}`)}</Tag>
                {r.result && <Tag color={outcomeColor[r.result.outcome]}>{t(`council.outcome.${r.result.outcome}`)}</Tag>}
              </Space>
            ),
          },
          { title: t('council.votes.turnout'), render: (_, r) => `${r.ballotsCast} / ${r.roll.heads}` },
          { title: t('council.votes.closedAt'), dataIndex: 'closedAt', render: (v) => (v ? fmtTime(v) : '—') },
        ]}
      />
      <NewVote open={open} onClose={() => setOpen(false)} />
    </>
  );
}
