import { useState } from 'react';
import { Button, Checkbox, ErrorBlock, Input, List, Radio, Rate, Selector, Space, Tag, TextArea, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../shared/api';
import { fmtTime } from '../../shared/format';
import type { Question } from '../../console/participation/api';
import { Loading } from './Notices';

type Answers = Record<string, unknown>;

/** The same rule as the server's: a conditional question shows when its earlier choice matches. */
export function visible(qs: Question[], a: Answers): Set<string> {
  const shown = new Set<string>();
  for (const q of qs) {
    if (!q.showIf) {
      shown.add(q.id);
      continue;
    }
    if (!shown.has(q.showIf.questionId)) continue;
    const v = a[q.showIf.questionId];
    const picked = Array.isArray(v) ? v : v == null ? [] : [v];
    if (picked.some((x) => q.showIf!.anyOf.includes(String(x)))) shown.add(q.id);
  }
  return shown;
}

export function SurveyList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const q = useQuery({ queryKey: ['portal', 'surveys'], queryFn: () => api.get('/api/v1/surveys') });
  if (q.isLoading) return <Loading />;
  if (q.isError) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  if (!q.data?.items.length) return <ErrorBlock status="empty" title={t('participationPortal.noSurveys')} description="" />;
  return (
    <List mode="card" header={t('participationPortal.surveys')}>
      {q.data.items.map((s) => (
        <List.Item
          key={s.id}
          arrow
          onClick={() => nav(`/portal/participation/surveys/${s.id}`)}
          description={s.closesAt ? t('participationPortal.closesAt', { time: fmtTime(s.closesAt) }) : undefined}
          extra={
            s.answered ? (
              <Tag color="success">{t('participationPortal.answered')}</Tag>
            ) : (
              <Tag color={s.state === 'open' ? 'primary' : 'default'}>{t(`participationPortal.state.${s.state}`)}</Tag>
            )
          }
        >
          {s.title}
        </List.Item>
      ))}
    </List>
  );
}

function Ranking({ q, value, onChange }: { q: Question; value?: string[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const order = value ?? q.options ?? [];
  const move = (i: number, d: number) => {
    const next = [...order];
    [next[i], next[i + d]] = [next[i + d], next[i]];
    onChange(next);
  };
  return (
    <Space direction="vertical" block>
      {order.map((o, i) => (
        <Space key={o} align="center">
          <span style={{ width: 24 }}>{i + 1}.</span>
          <span style={{ flex: 1, minWidth: 120 }}>{o}</span>
          <Button size="mini" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('participationPortal.up')}>
            ↑
          </Button>
          <Button size="mini" disabled={i === order.length - 1} onClick={() => move(i, 1)} aria-label={t('participationPortal.down')}>
            ↓
          </Button>
        </Space>
      ))}
      {!value && (
        <Button size="small" onClick={() => onChange(order)}>
          {t('participationPortal.keepOrder')}
        </Button>
      )}
    </Space>
  );
}

function Field({ q, value, onChange }: { q: Question; value: unknown; onChange: (v: unknown) => void }) {
  const opts = (q.options ?? []).map((o) => ({ label: o, value: o }));
  switch (q.type) {
    case 'single':
      return (
        <Radio.Group value={value as string} onChange={(v) => onChange(v)}>
          <Space direction="vertical">
            {opts.map((o) => (
              <Radio key={o.value} value={o.value}>
                {o.label}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      );
    case 'multiple':
      return (
        <Checkbox.Group value={(value as string[]) ?? []} onChange={(v) => onChange(v)}>
          <Space direction="vertical">
            {opts.map((o) => (
              <Checkbox key={o.value} value={o.value}>
                {o.label}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      );
    case 'text':
      return <Input value={(value as string) ?? ''} maxLength={200} onChange={onChange} />;
    case 'textarea':
      return <TextArea value={(value as string) ?? ''} maxLength={2000} rows={3} onChange={onChange} />;
    case 'rating':
      return <Rate count={q.scale ?? 5} value={(value as number) ?? 0} onChange={(v) => onChange(v || undefined)} />;
    case 'matrix_single':
    case 'matrix_multiple': {
      const m = (value as Record<string, string | string[]>) ?? {};
      return (
        <Space direction="vertical" block>
          {(q.rows ?? []).map((row) => (
            <div key={row}>
              <div style={{ marginBottom: 4 }}>{row}</div>
              <Selector
                options={opts}
                multiple={q.type === 'matrix_multiple'}
                value={[m[row] ?? []].flat()}
                onChange={(v) => {
                  const next = { ...m };
                  if (!v.length) delete next[row];
                  else next[row] = q.type === 'matrix_multiple' ? v : v[0];
                  onChange(Object.keys(next).length ? next : undefined);
                }}
              />
            </div>
          ))}
        </Space>
      );
    }
    case 'ranking':
      return <Ranking q={q} value={value as string[] | undefined} onChange={onChange} />;
  }
}

export function SurveyAnswer() {
  const { id } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const q = useQuery({ queryKey: ['portal', 'survey', id], queryFn: () => api.get('/api/v1/surveys/{id}', { path: { id } }) });
  if (q.isLoading) return <Loading />;
  if (q.isError || !q.data) return <ErrorBlock status="default" title={errorMessage(q.error)} description="" />;
  const s = q.data;
  if (s.answered) return <ErrorBlock status="empty" title={t('participationPortal.thanks')} description={t('participationPortal.alreadyAnswered')} />;
  if (s.state !== 'open') return <ErrorBlock status="default" title={t(`participationPortal.state.${s.state}`)} description="" />;
  const shown = visible(s.questions, answers);

  const submit = async () => {
    setBusy(true);
    setErrors({});
    try {
      const body = Object.fromEntries(Object.entries(answers).filter(([k, v]) => shown.has(k) && v !== undefined && v !== ''));
      await api.post('/api/v1/surveys/{id}/responses', { path: { id }, body: { answers: body } });
      Toast.show({ icon: 'success', content: t('participationPortal.thanks') });
      await qc.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      if (e instanceof ApiError && e.errors.length)
        setErrors(Object.fromEntries(e.errors.map((f) => [f.field.replace(/^answers\./, ''), f.message ?? f.code])));
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ padding: 12 }}>
      <h2 style={{ margin: '4px 4px 4px' }}>{s.title}</h2>
      {s.description && <p style={{ margin: 4, color: '#666' }}>{s.description}</p>}
      {s.anonymous && (
        <Tag color="primary" fill="outline">
          {t('participationPortal.anonymous')}
        </Tag>
      )}
      <List mode="card">
        {s.questions
          .filter((x) => shown.has(x.id))
          .map((x, i) => (
            <List.Item
              key={x.id}
              title={
                <span>
                  {i + 1}. {x.title}
                  {x.required && <span style={{ color: 'var(--adm-color-danger)' }}> *</span>}
                </span>
              }
              data-testid={`question-${x.id}`}
            >
              <Field q={x} value={answers[x.id]} onChange={(v) => setAnswers((a) => ({ ...a, [x.id]: v }))} />
              {errors[x.id] && (
                <div role="alert" style={{ color: 'var(--adm-color-danger)', marginTop: 4 }}>
                  {errors[x.id]}
                </div>
              )}
            </List.Item>
          ))}
      </List>
      <div style={{ padding: 12 }}>
        <Button block color="primary" size="large" loading={busy} onClick={submit}>
          {t('participationPortal.submit')}
        </Button>
      </div>
    </div>
  );
}
