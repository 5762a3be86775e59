// The resident's bills and payments (billing module), shared by the portal pages.
import { useQuery } from '@tanstack/react-query';
import { api, downloadUrl, type ApiOk, type ItemOf } from '../../shared/api';

export type Bill = ItemOf<ApiOk<'/api/v1/me/bills'>>;
export type Payment = ApiOk<'/api/v1/payments/{id}'>;

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export function useMyBills() {
  return useQuery({ queryKey: ['billing', 'me', 'bills'], queryFn: () => api.get('/api/v1/me/bills') });
}

export function useMyPayments() {
  return useQuery({ queryKey: ['billing', 'me', 'payments'], queryFn: () => api.get('/api/v1/me/payments') });
}

/** Start an online payment: the server answers the gateway's pay page; the intent's key keeps a double tap to one order. */
export const startPayment = (billIds: string[], key: string) => api.post('/api/v1/me/payments', { body: { billIds }, idempotencyKey: key });

export const receiptUrl = (paymentId: string) => downloadUrl('/api/v1/payments/{id}/receipt.pdf', { path: { id: paymentId } });
