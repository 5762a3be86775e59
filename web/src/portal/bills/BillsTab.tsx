import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Checkbox, DotLoading, ErrorBlock, List, Result, Tag, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import { useIntentKey } from '../../shared/useIntentKey';
import { fmtTime } from '../../shared/format';
import { receiptUrl, startPayment, useMyBills, useMyPayments, yuan, type Bill } from './api';

/** Back from the gateway (?payment=…): wait for its notification to be credited, then offer the receipt. */
function PaymentResult({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['billing', 'payment', id],
    queryFn: () => api.get('/api/v1/payments/{id}', { path: { id } }),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 1000 : false),
  });
  useEffect(() => {
    if (q.data?.status === 'paid') void qc.invalidateQueries({ queryKey: ['billing', 'me'] });
  }, [q.data?.status, qc]);
  if (!q.data)
    return (
      <div style={{ padding: 16, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  const p = q.data;
  if (p.status === 'paid' || p.status === 'refunded') {
    return (
      <div data-testid="payment-success">
        <Result status="success" title={t('billsPortal.paid')} description={`${yuan(p.amountFen)} · ${t('billsPortal.receiptNo')} ${p.receiptNo}`} />
      </div>
    );
  }
  if (p.status === 'pending') return <Result status="waiting" title={t('billsPortal.waiting')} description={t('billsPortal.waitingHint')} />;
  return <Result status="warning" title={t('billsPortal.closed')} description={t('billsPortal.closedHint')} />;
}

function BillItem({ b, checked, onToggle }: { b: Bill; checked: boolean; onToggle?: () => void }) {
  const { t } = useTranslation();
  const overdue = b.status === 'open' && b.dueDate !== null && b.dueDate < new Date().toISOString().slice(0, 10);
  return (
    <List.Item
      prefix={
        onToggle ? (
          <span onClick={(e) => e.stopPropagation()}>
            <Checkbox checked={checked} onChange={onToggle} aria-label={b.subject} />
          </span>
        ) : undefined
      }
      onClick={onToggle}
      description={
        <>
          {b.houseName && <span>{b.houseName} · </span>}
          {b.dueDate && <span>{t('billsPortal.due', { date: b.dueDate })}</span>}
          {b.lateFeeFen > 0 && <span> · {t('billsPortal.lateFee', { amount: yuan(b.lateFeeFen) })}</span>}
        </>
      }
      extra={<strong>{yuan(b.status === 'open' ? b.outstandingFen : b.amountFen + b.adjustFen + b.lateFeeFen)}</strong>}
    >
      {b.subject}{' '}
      {overdue && (
        <Tag color="warning" fill="outline">
          {t('billsPortal.overdue')}
        </Tag>
      )}
    </List.Item>
  );
}

export default function BillsTab() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const bills = useMyBills();
  const payments = useMyPayments();
  const preselect = params.get('bill');
  const paymentId = params.get('payment');
  const [picked, setPicked] = useState<Set<string>>(() => new Set(preselect ? [preselect] : []));
  const [busy, setBusy] = useState(false);
  const open = useMemo(() => (bills.data?.items ?? []).filter((b) => b.status === 'open' && b.outstandingFen > 0), [bills.data]);
  const done = useMemo(() => (bills.data?.items ?? []).filter((b) => b.status === 'paid'), [bills.data]);
  const total = open.filter((b) => picked.has(b.id)).reduce((s, b) => s + b.outstandingFen, 0);
  const toggle = (id: string) =>
    setPicked((cur) => {
      const next = new Set(cur);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  // one key per payment intent: a double tap or a retry after a network failure starts one order
  const intent = useIntentKey();
  const pay = async () => {
    setBusy(true);
    try {
      const r = await startPayment(
        open.filter((b) => picked.has(b.id)).map((b) => b.id),
        intent.key(),
      );
      intent.renew();
      window.location.assign(r.payUrl); // the gateway's page; it sends the browser back here
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
      setBusy(false);
    }
  };

  if (bills.isLoading)
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <DotLoading />
      </div>
    );
  if (bills.isError) return <ErrorBlock status="default" title={errorMessage(bills.error)} description="" />;
  const receipts = (payments.data?.items ?? []).filter((p) => p.receiptNo);
  return (
    <>
      {paymentId && <PaymentResult id={paymentId} />}
      <div style={{ padding: '12px 12px 0' }}>
        <Card title={t('billsPortal.toPay')} extra={<strong data-testid="outstanding">{yuan(bills.data?.outstandingFen ?? 0)}</strong>}>
          {open.length === 0 ? (
            <ErrorBlock status="empty" title={t('billsPortal.nothingToPay')} description="" />
          ) : (
            <>
              <div style={{ textAlign: 'right' }}>
                <Button size="small" fill="none" color="primary" onClick={() => setPicked(new Set(open.map((b) => b.id)))}>
                  {t('billsPortal.selectAll')}
                </Button>
              </div>
              <List>
                {open.map((b) => (
                  <BillItem key={b.id} b={b} checked={picked.has(b.id)} onToggle={() => toggle(b.id)} />
                ))}
              </List>
              <Button block color="primary" size="large" style={{ marginTop: 12 }} disabled={total === 0} loading={busy} onClick={pay} data-testid="pay-button">
                {total ? t('billsPortal.payAmount', { amount: yuan(total), count: picked.size }) : t('billsPortal.pick')}
              </Button>
              <div className="portal-muted" style={{ marginTop: 8 }}>
                {t('billsPortal.noCutOff')}
              </div>
            </>
          )}
        </Card>
      </div>
      {receipts.length > 0 && (
        <div style={{ padding: '12px 12px 0' }}>
          <Card title={t('billsPortal.receipts')}>
            <List>
              {receipts.map((p) => (
                <List.Item
                  key={p.id}
                  description={`${fmtTime(p.paidAt)} · ${t(`billsPortal.channel.${p.channel}`)}${p.refundedFen ? ` · ${t('billsPortal.refunded', { amount: yuan(p.refundedFen) })}` : ''}`}
                  extra={
                    <a href={receiptUrl(p.id)} download={`${p.receiptNo}.pdf`} data-testid={`receipt-${p.id}`}>
                      {t('billsPortal.download')}
                    </a>
                  }
                >
                  {yuan(p.amountFen)} · {p.receiptNo}
                </List.Item>
              ))}
            </List>
          </Card>
        </div>
      )}
      {done.length > 0 && (
        <div style={{ padding: '12px 12px 16px' }}>
          <Card title={t('billsPortal.history')}>
            <List>
              {done.slice(0, 30).map((b) => (
                <BillItem key={b.id} b={b} checked={false} />
              ))}
            </List>
          </Card>
        </div>
      )}
    </>
  );
}
