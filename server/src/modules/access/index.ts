// Smart security: doors, credentials, access rules, decisions, visitor passes (issue 4).
import type { Module } from '../module.js';

export const accessModule: Module = {
  name: 'access',
  async register() {},
};
