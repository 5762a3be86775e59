// Smart security: cameras and security incidents (issue 4).
import type { Module } from '../module.js';

export const incidentsModule: Module = {
  name: 'incidents',
  async register() {},
};
