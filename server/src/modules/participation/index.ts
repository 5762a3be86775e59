// Participation: notices, events, surveys, points and honours (issue 6). The council module
// (proposals, votes, feedback) declares its components through the same manifests and earns
// points through the PARTICIPATION_ACTION event.
import type { Module } from '../../kernel/app.js';
import { participationMessages, participationPermissions } from './participation.policy.js';
// the components' manifests (actions, settings, their permissions), as data
import { participationComponents } from './participation.manifests.js';
import { provideComponents, withComponentPermissions } from './components.js';
import { NoticesService, NOTICES_PUBLISH_JOB } from './notices.service.js';
import { registerNoticeRoutes } from './notices.routes.js';
import { PointsService } from './points.service.js';
import { RewardsService } from './rewards.service.js';
import { registerPointsRoutes } from './points.routes.js';
import { SurveysService } from './surveys.service.js';
import { registerSurveyRoutes } from './surveys.routes.js';
import { EventsService } from './events.service.js';
import { registerEventRoutes } from './events.routes.js';
import { PARTICIPATION_ACTION } from './participation.events.js';
import { seedDemoParticipation } from './participation.demo.js';
import { places } from '../registry/index.js';

export { defineComponent, provideComponents, withComponentPermissions, components, component } from './components.js';
export { PARTICIPATION_ACTION, type ParticipationAction } from './participation.events.js';
export { participationMessages, participationPermissions } from './participation.policy.js';
export { componentSettings } from './settings.service.js';
export type { ParticipationComponent, ComponentAction, ComponentSetting } from './components.js';

export const participationModule: Module = {
  name: 'participation',
  summary: 'Notices, events, surveys, points, rewards and honours; the component manifests the council declares through too',
  url: import.meta.url,
  // the settings' own permissions and those of the notices, surveys, events and incentives components
  permissions: withComponentPermissions(participationPermissions, participationComponents),
  messages: participationMessages,
  publishes: [PARTICIPATION_ACTION],
  subscribes: [PARTICIPATION_ACTION],
  jobs: [NOTICES_PUBLISH_JOB],
  matrix: 'participation.authz-rows.js',
  docs: 'docs/api/participation.md',
  seed: async (k, demo) => seedDemoParticipation(k, (await places.getPlace(k, demo.communityId))!), // notices, a survey, an event, rewards and honours
  async register(app, k) {
    provideComponents(participationComponents);
    const notices = new NoticesService(k);
    const points = new PointsService(k);
    const rewards = new RewardsService(k, points);
    registerNoticeRoutes(app, notices);
    registerPointsRoutes(app, k, points, rewards);
    registerSurveyRoutes(app, new SurveysService(k));
    registerEventRoutes(app, new EventsService(k));
    // one node credits each action; the ledger's unique key absorbs redelivery
    k.events.subscribe(
      PARTICIPATION_ACTION,
      async (e) => {
        await points.credit(e.payload);
      },
      { mode: 'once', group: 'participation.points' },
    );
    k.jobs.register({ name: NOTICES_PUBLISH_JOB, everyMs: 60_000, run: async () => void (await notices.publishDue()) });
  },
};
