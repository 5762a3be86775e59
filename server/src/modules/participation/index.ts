// Participation: notices, events, surveys, council and votes, feedback, points (issue 6).
import type { Module } from '../module.js';

export const participationModule: Module = {
  name: 'participation',
  async register() {},
};
