// Life services: household-service marketplace (预约家政) (issue 5).
import type { Module } from '../module.js';

export const servicesModule: Module = {
  name: 'services',
  async register() {},
};
