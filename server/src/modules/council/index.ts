// Participation: residents' council (居民议事会) — proposals, meetings, lawful votes, feedback (issue 6).
import type { Module } from '../module.js';

export const councilModule: Module = {
  name: 'council',
  async register() {},
};
