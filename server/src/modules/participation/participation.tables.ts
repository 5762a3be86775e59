// The tables participation owns (notices, events, surveys, points, rewards, honours, component
// settings), with the columns it knows more about narrowed.
import type { Kysely } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export type NoticeStatus = 'scheduled' | 'published' | 'withdrawn';
export type EventStatus = 'open' | 'cancelled';
export type OrganiserKind = 'community' | 'social_org' | 'volunteer_team';
export type RegistrationStatus = 'registered' | 'waitlisted' | 'cancelled';
export type RedemptionStatus = 'pending' | 'fulfilled';
export type SurveyPer = 'resident' | 'household';

export type ParticipationTables = ModuleTables<
  | 'pt_notices'
  | 'pt_notice_recipients'
  | 'pt_events'
  | 'pt_event_registrations'
  | 'pt_surveys'
  | 'pt_survey_respondents'
  | 'pt_survey_responses'
  | 'pt_points_ledger'
  | 'pt_point_balances'
  | 'pt_point_rules'
  | 'pt_rewards'
  | 'pt_redemptions'
  | 'pt_honours'
  | 'pt_honour_awards'
  | 'pt_component_settings',
  {
    pt_notices: { status: NoticeStatus };
    pt_events: { status: EventStatus; organiser_kind: OrganiserKind };
    pt_event_registrations: { status: RegistrationStatus };
    pt_redemptions: { status: RedemptionStatus };
    pt_surveys: { per: SurveyPer };
  }
>;
export type ParticipationDb = Kysely<ParticipationTables>;
