// Life services: fees, bills, payments, ledger, receipts, arrears (issue 5).
import type { Module } from '../module.js';

export const billingModule: Module = {
  name: 'billing',
  async register() {},
};
