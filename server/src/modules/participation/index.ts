// Participation: notices, events, surveys, council and votes, feedback, points (issue 6).
import type { Module } from '../module.js';

export { declareComponent, components, component, PARTICIPATION_ACTION } from './components.js';
export type { ParticipationComponent, ParticipationAction, ComponentAction, ComponentSetting } from './components.js';

export const participationModule: Module = {
  name: 'participation',
  async register() {},
};
