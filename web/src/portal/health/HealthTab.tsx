import { useState } from 'react';
import { Button, Card, DotLoading, Form, Input, List, Selector, Switch, Tag, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import { useElderMode } from '../elder';
import { ReadingsChart } from '../../console/health/ReadingsChart';
import { kinds, levelColor, type Kind } from '../../console/health/api';

type Ctx = 'fasting' | 'after_meal' | 'random';

/** 健康: enter a reading, my chart with the bands, my doctor's advice, my contract and consent, family. */
export default function HealthTab() {
  const { t } = useTranslation();
  const elder = useElderMode();
  const qc = useQueryClient();
  const [kind, setKind] = useState<Kind>('bp');
  const [ctx, setCtx] = useState<Ctx>('fasting');
  const [form] = Form.useForm();
  const mine = useQuery({ queryKey: ['health', 'me'], queryFn: () => api.get('/api/v1/me/health') });
  const readings = useQuery({
    queryKey: ['health', 'me', 'readings', kind],
    queryFn: () => api.get('/api/v1/me/health/readings', { query: { kind, days: 30 } }),
  });
  const notes = useQuery({ queryKey: ['health', 'me', 'notes'], queryFn: () => api.get('/api/v1/me/health/notes') });
  const family = useQuery({ queryKey: ['health', 'me', 'family'], queryFn: () => api.get('/api/v1/me/health/family-patients') });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['health', 'me'] });
  const enter = useMutation({
    mutationFn: (v: Record<string, string>) => {
      const num = (x?: string) => (x ? Number(x) : undefined);
      return api.post('/api/v1/me/health/readings', {
        body:
          kind === 'bp'
            ? { kind, systolic: num(v.systolic), diastolic: num(v.diastolic), pulse: num(v.pulse) }
            : { kind, value: num(v.value), ...(kind === 'glucose' ? { context: ctx } : {}) },
      });
    },
    onSuccess: (r) => {
      form.resetFields();
      refresh();
      Toast.show({ content: r.level === 'normal' ? t('healthPortal.saved') : t(`healthPortal.saved_${r.level}`), duration: 3000 });
    },
    onError: (e) => Toast.show({ content: errorMessage(e), duration: 4000 }),
  });
  const consent = useMutation({
    mutationFn: (grant: boolean) => api.put('/api/v1/me/health/consent', { body: { grant } }),
    onSuccess: refresh,
    onError: (e) => Toast.show({ content: errorMessage(e) }),
  });
  const setFamily = useMutation({
    mutationFn: (residentIds: string[]) => api.put('/api/v1/me/health/family', { body: { residentIds } }),
    onSuccess: refresh,
    onError: (e) => Toast.show({ content: errorMessage(e) }),
  });
  if (!mine.data)
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  const m = mine.data;
  const big = elder ? { fontSize: 24, minHeight: 56 } : undefined;
  return (
    <div data-testid="portal-health" style={{ padding: 12 }}>
      <Card title={t('healthPortal.enter')}>
        <Selector columns={3} value={[kind]} onChange={(v) => v[0] && setKind(v[0])} options={kinds.map((k) => ({ value: k, label: t(`health.kind.${k}`) }))} />
        <Form
          form={form}
          layout="horizontal"
          onFinish={(v) => enter.mutate(v as Record<string, string>)}
          footer={
            <Button block color="primary" size={elder ? 'large' : 'middle'} type="submit" loading={enter.isPending}>
              {t('healthPortal.submit')}
            </Button>
          }
        >
          {kind === 'bp' ? (
            <>
              <Form.Item name="systolic" label={t('health.systolic')} rules={[{ required: true }]}>
                <Input type="number" inputMode="numeric" style={big} placeholder="mmHg" data-testid="systolic" />
              </Form.Item>
              <Form.Item name="diastolic" label={t('health.diastolic')} rules={[{ required: true }]}>
                <Input type="number" inputMode="numeric" style={big} placeholder="mmHg" data-testid="diastolic" />
              </Form.Item>
              <Form.Item name="pulse" label={t('health.pulse')}>
                <Input type="number" inputMode="numeric" style={big} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="value" label={t(`health.kind.${kind}`)} rules={[{ required: true }]}>
              <Input type="number" inputMode="decimal" style={big} />
            </Form.Item>
          )}
          {kind === 'glucose' && (
            <Selector
              value={[ctx]}
              onChange={(v) => v[0] && setCtx(v[0])}
              options={(['fasting', 'after_meal', 'random'] as const).map((c) => ({ value: c, label: t(`health.context.${c}`) }))}
            />
          )}
        </Form>
      </Card>
      <Card title={t('healthPortal.myReadings')} style={{ marginTop: 12 }}>
        <ReadingsChart kind={kind} items={readings.data?.items ?? []} bands={readings.data?.bands} height={elder ? 320 : 240} />
        <List>
          {(readings.data?.items ?? []).slice(0, 5).map((r) => (
            <List.Item key={r.id} extra={<Tag color={levelColor[r.level]}>{t(`health.level.${r.level}`)}</Tag>} description={fmtTime(r.ts)}>
              {r.kind === 'bp' ? `${r.value}/${r.diastolic ?? ''} ${r.unit}` : `${r.value} ${r.unit}`}
            </List.Item>
          ))}
        </List>
      </Card>
      <Card title={t('healthPortal.advice')} style={{ marginTop: 12 }}>
        <List data-testid="portal-advice">
          {(notes.data?.items ?? []).map((n) => (
            <List.Item key={n.id} description={`${n.authorName} · ${fmtTime(n.createdAt)}`}>
              <Tag>{t(`health.note.${n.kind}`)}</Tag> {n.text}
            </List.Item>
          ))}
        </List>
      </Card>
      <Card title={t('healthPortal.contract')} style={{ marginTop: 12 }}>
        <List>
          <List.Item extra={m.contract ? `${m.contract.startDate} – ${m.contract.endDate}` : ''}>
            {m.contract ? m.contract.teamName : t('healthPortal.noContract')}
          </List.Item>
          <List.Item
            description={t('healthPortal.consentHint')}
            extra={<Switch checked={m.consent} onChange={(v) => consent.mutate(v)} loading={consent.isPending} />}
          >
            {t('health.consent')}
          </List.Item>
        </List>
      </Card>
      <Card title={t('healthPortal.family')} style={{ marginTop: 12 }}>
        <Selector
          multiple
          value={m.family.map((f) => f.residentId)}
          onChange={(v) => setFamily.mutate(v)}
          options={m.household.map((h) => ({ value: h.residentId, label: h.name }))}
        />
        {(family.data?.items ?? []).length > 0 && (
          <List header={t('healthPortal.followed')}>
            {family.data!.items.map((f) => (
              <List.Item key={f.patientId}>{f.name}</List.Item>
            ))}
          </List>
        )}
      </Card>
    </div>
  );
}
