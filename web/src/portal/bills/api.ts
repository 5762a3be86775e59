// The resident's bills and payments (billing module), shared by the portal pages.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export interface Bill {
  id: string;
  number: string;
  houseId: string | null;
  houseName: string | null;
  feeKind: string;
  period: string | null;
  source: string;
  subject: string;
  amountFen: number;
  lateFeeFen: number;
  adjustFen: number;
  paidFen: number;
  outstandingFen: number;
  status: 'open' | 'paid' | 'draft';
  dueDate: string | null;
  paidAt: string | null;
}

export interface Payment {
  id: string;
  channel: 'gateway' | 'cash' | 'transfer';
  amountFen: number;
  refundedFen: number;
  status: 'pending' | 'paid' | 'closed' | 'refunded';
  receiptNo: string | null;
  paidAt: string | null;
  createdAt: string;
  items: { billId: string; amountFen: number; appliedFen: number }[];
}

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export function useMyBills() {
  return useQuery({ queryKey: ['billing', 'me', 'bills'], queryFn: () => api.get<{ items: Bill[]; outstandingFen: number }>('/api/v1/me/bills') });
}

export function useMyPayments() {
  return useQuery({ queryKey: ['billing', 'me', 'payments'], queryFn: () => api.get<{ items: Payment[] }>('/api/v1/me/payments') });
}

/** Start an online payment: the server answers the gateway's pay page; the intent's key keeps a double tap to one order. */
export const startPayment = (billIds: string[], key: string) =>
  api.post<{ paymentId: string; payUrl: string; amountFen: number }>('/api/v1/me/payments', { billIds }, { idempotencyKey: key });

export const receiptUrl = (paymentId: string) => `/api/v1/payments/${encodeURIComponent(paymentId)}/receipt.pdf`;
