// Receipts as PDF (filled in below).
import type { Kernel } from '../../kernel/index.js';
import type { PaymentRow } from './billing.repository.js';

export async function receiptPdf(_k: Kernel, _p: PaymentRow): Promise<Buffer> {
  throw new Error('not yet');
}
