// The participation components this module provides, as data (their actions with default points
// and daily caps, their settings and their permissions): index.ts puts their permissions in the
// module's manifest and provides them to the ledger in register. The council module defines its
// own (proposals, votes, feedback) the same way.
// Note: CASL treats the action 'manage' as "every action"; the staff-only action here is 'edit'.
import { defineComponent } from './components.js';

export const noticesComponent = defineComponent({
  name: 'notices',
  labels: { zh: '通知公告', en: 'Notices' },
  actions: [{ name: 'read', labels: { zh: '阅读通知', en: 'Read a notice' }, points: { default: 1, dailyCap: 5 } }],
  settings: {
    defaultExpiryDays: { type: 'number', default: 0, labels: { zh: '默认有效天数（0 为不过期）', en: 'Default days until expiry (0 = never)' } },
  },
  permissions: {
    community_staff: [
      ['read', 'Notice'],
      ['create', 'Notice'],
      ['edit', 'Notice'],
      ['attach', 'Notice'],
    ],
    gov_supervisor: [['read', 'Notice']],
    resident: [['read', 'Notice', 'self']],
  },
});

export const surveysComponent = defineComponent({
  name: 'surveys',
  labels: { zh: '问卷调查', en: 'Surveys' },
  actions: [{ name: 'answer', labels: { zh: '填写问卷', en: 'Answer a survey' }, points: { default: 5, dailyCap: 20 } }],
  settings: {
    defaultPer: { type: 'string', default: 'resident', labels: { zh: '默认答卷单位', en: 'Default respondent unit' } },
  },
  permissions: {
    community_staff: [
      ['read', 'Survey'],
      ['create', 'Survey'],
      ['edit', 'Survey'],
      ['export', 'Survey'],
    ],
    gov_supervisor: [['read', 'Survey']],
    resident: [
      ['read', 'Survey', 'self'],
      ['answer', 'Survey', 'self'],
    ],
  },
});

export const eventsComponent = defineComponent({
  name: 'events',
  labels: { zh: '社区活动', en: 'Events' },
  actions: [
    { name: 'attend', labels: { zh: '参加活动', en: 'Attend an event' }, points: { default: 10, dailyCap: 30 } },
    // per hour of volunteer work (the action's quantity)
    { name: 'volunteer', labels: { zh: '志愿服务（每小时）', en: 'Volunteer work (per hour)' }, points: { default: 10, dailyCap: 80 } },
  ],
  settings: {
    waitingList: { type: 'boolean', default: true, labels: { zh: '名额满后可候补', en: 'Waiting list when full' } },
  },
  permissions: {
    community_staff: [
      ['read', 'Event'],
      ['create', 'Event'],
      ['edit', 'Event'],
      ['checkin', 'Event'],
    ],
    gov_supervisor: [['read', 'Event']],
    resident: [
      ['read', 'Event', 'self'],
      ['register', 'Event', 'self'],
    ],
  },
});

export const incentivesComponent = defineComponent({
  name: 'incentives',
  labels: { zh: '积分与荣誉', en: 'Points and honours' },
  actions: [],
  settings: {},
  permissions: {
    community_staff: [
      ['read', 'Points'],
      ['adjust', 'Points'],
      ['edit', 'PointRule'],
      ['read', 'PointRule'],
      ['read', 'Reward'],
      ['create', 'Reward'],
      ['fulfil', 'Reward'],
      ['read', 'Honour'],
      ['create', 'Honour'],
      ['award', 'Honour'],
    ],
    gov_supervisor: [
      ['read', 'Points'],
      ['read', 'PointRule'],
      ['read', 'Reward'],
      ['read', 'Honour'],
    ],
    resident: [
      ['read', 'Points', 'self'],
      ['optout', 'Points', 'self'],
      ['read', 'Reward', 'self'],
      ['redeem', 'Reward', 'self'],
      ['read', 'Honour', 'self'],
    ],
  },
});

/** This module's components, in the order the console lists them. */
export const participationComponents = [noticesComponent, surveysComponent, eventsComponent, incentivesComponent];
