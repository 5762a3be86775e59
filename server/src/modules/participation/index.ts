// Participation: notices, events, surveys, points and honours (issue 6). The council module
// (proposals, votes, feedback) declares its components through the same manifests and earns
// points through the PARTICIPATION_ACTION event.
import type { Module } from '../../kernel/app.js';
import './participation.policy.js';
import './participation.manifests.js';
import { NoticesService, NOTICES_PUBLISH_JOB } from './notices.service.js';
import { registerNoticeRoutes } from './notices.routes.js';
import { PointsService } from './points.service.js';
import { RewardsService } from './rewards.service.js';
import { registerPointsRoutes } from './points.routes.js';
import { SurveysService } from './surveys.service.js';
import { registerSurveyRoutes } from './surveys.routes.js';
import { EventsService } from './events.service.js';
import { registerEventRoutes } from './events.routes.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from './components.js';

export { declareComponent, components, component, PARTICIPATION_ACTION } from './components.js';
export { componentSettings } from './settings.service.js';
export type { ParticipationComponent, ParticipationAction, ComponentAction, ComponentSetting } from './components.js';

export const participationModule: Module = {
  name: 'participation',
  async register(app, k) {
    const notices = new NoticesService(k);
    const points = new PointsService(k);
    const rewards = new RewardsService(k, points);
    registerNoticeRoutes(app, notices);
    registerPointsRoutes(app, k, points, rewards);
    registerSurveyRoutes(app, new SurveysService(k));
    registerEventRoutes(app, new EventsService(k));
    // one node credits each action; the ledger's unique key absorbs redelivery
    k.events.subscribe<ParticipationAction>(PARTICIPATION_ACTION, async (e) => {
      await points.credit(e.payload);
    }, { mode: 'once', group: 'participation.points' });
    k.jobs.register({ name: NOTICES_PUBLISH_JOB, everyMs: 60_000, run: async () => void (await notices.publishDue()) });
  },
};
