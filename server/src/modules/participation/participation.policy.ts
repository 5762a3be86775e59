// Server messages of the participation module (zh-CN first, English second).
import type { Messages } from '../../kernel/http/i18n.js';
import type { PermissionTable } from '../../kernel/authz/index.js';

// per-community settings of the participation components (the council's too). The components'
// own permissions are in their manifests (participation.manifests.ts); index.ts merges them.
export const participationPermissions: PermissionTable = {
  community_staff: [
    ['read', 'ParticipationSetting'],
    ['edit', 'ParticipationSetting'],
  ],
  gov_supervisor: [['read', 'ParticipationSetting']],
};

export const participationMessages: Messages = {
  'participation.community_unknown': { zh: '找不到该社区', en: 'No such community' },
  'participation.place_outside': { zh: '该地点不在此社区内', en: 'This place is not in the community' },
  'participation.not_resident': { zh: '只有居民可以这样做', en: 'Only residents can do this' },
  'participation.bad_file': { zh: '附件无效', en: 'The attachment is invalid' },
  'participation.file_not_found': { zh: '找不到该附件', en: 'No such attachment' },
  'participation.setting_unknown': { zh: '没有该设置项', en: 'No such setting' },
  'events.full': { zh: '名额已满', en: 'The event is full' },
  'participation.bad_time': { zh: '时间不正确', en: 'The time is not valid' },
  'notices.not_found': { zh: '找不到该通知', en: 'No such notice' },
  'notices.withdrawn': { zh: '该通知已撤回', en: 'This notice has been withdrawn' },
  'notices.notify_title': { zh: '新通知：{title}', en: 'New notice: {title}' },
  'surveys.not_found': { zh: '找不到该问卷', en: 'No such survey' },
  'surveys.not_open': { zh: '问卷未开放或已截止', en: 'The survey is not open' },
  'surveys.already_answered': { zh: '您（或您的家庭）已填写过该问卷', en: 'You (or your household) have already answered this survey' },
  'surveys.not_in_audience': { zh: '您不在该问卷的调查范围内', en: 'This survey is not for you' },
  'surveys.answer_required': { zh: '此题必答', en: 'This question must be answered' },
  'surveys.answer_invalid': { zh: '答案无效', en: 'The answer is not valid' },
  'surveys.answer_hidden': { zh: '此题不应作答（显示条件不满足）', en: 'This question is not shown for your earlier answers' },
  'surveys.bad_question': { zh: '题目设置有误', en: 'The question is not set up correctly' },
  'surveys.bad_condition': { zh: '显示条件只能引用前面的选择题', en: 'A condition may only refer to an earlier choice question' },
  'surveys.exported': { zh: '问卷结果', en: 'Survey results' },
  'events.not_found': { zh: '找不到该活动', en: 'No such event' },
  'events.closed': { zh: '活动已取消或已开始，不能报名', en: 'The event is cancelled or has started' },
  'events.already_registered': { zh: '您已报名该活动', en: 'You have already registered' },
  'events.not_registered': { zh: '您未报名该活动', en: 'You have not registered for this event' },
  'events.bad_ticket': { zh: '签到码无效或已过期', en: 'The check-in code is invalid or has expired' },
  'events.waitlisted_ticket': { zh: '候补中，暂无签到码', en: 'You are on the waiting list: no check-in code yet' },
  'events.not_checked_in': { zh: '该居民未签到', en: 'This resident has not checked in' },
  'events.capacity_below': { zh: '容量不能小于已报名人数', en: 'The capacity cannot be below the registered count' },
  'events.promoted_title': { zh: '报名成功：{title}', en: 'You are in: {title}' },
  'events.promoted_body': { zh: '您已从候补转为正式报名（{location}）', en: 'A seat became free; you moved up from the waiting list ({location})' },
  'points.not_enough': { zh: '积分不足', en: 'Not enough points' },
  'points.out_of_stock': { zh: '该奖品已兑完', en: 'This reward is out of stock' },
  'points.reward_not_found': { zh: '找不到该奖品', en: 'No such reward' },
  'points.redemption_not_found': { zh: '找不到该兑换记录', en: 'No such redemption' },
  'points.already_fulfilled': { zh: '该兑换已发放', en: 'This redemption has already been handed out' },
  'points.honour_not_found': { zh: '找不到该荣誉', en: 'No such honour' },
  'points.resident_unknown': { zh: '该居民不在此社区', en: 'No such resident in this community' },
  'points.rule_unknown': { zh: '没有该积分规则', en: 'No such points rule' },
  'points.would_go_negative': { zh: '扣减后积分将为负数', en: 'The balance would go below zero' },
};
