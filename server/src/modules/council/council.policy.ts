// The council's participation components (proposals, votes, feedback) with their actions,
// settings and permissions, as data in the participation manifest shape (index.ts merges their
// permissions into the module's manifest and provides them to the points ledger in register);
// meetings have no resident action and have their permissions here directly. Messages for errors.
import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Kernel } from '../../kernel/index.js';
import type { Messages } from '../../kernel/http/i18n.js';
import { componentSettings, defineComponent } from '../participation/index.js';

// 'scope' permissions apply to records under the grant's place. A resident's grant is their
// community, so residents read the community's votes and proposals; feedback is 'self' (own only).
export const proposalsComponent = defineComponent({
  name: 'proposals',
  labels: { zh: '居民提案', en: 'Proposals' },
  actions: [
    { name: 'propose', labels: { zh: '提交提案', en: 'Submit a proposal' } },
    { name: 'cosign', labels: { zh: '联署提案', en: 'Co-sign a proposal' }, points: { default: 2, dailyCap: 10 } },
  ],
  settings: {
    cosignThreshold: { type: 'number', default: 5, labels: { zh: '列入议程所需联署人数', en: 'Co-signatures to reach the agenda' } },
    reportsToHide: { type: 'number', default: 3, labels: { zh: '评论被举报几次后自动隐藏', en: 'Reports that hide a comment' } },
  },
  permissions: {
    gov_supervisor: [['read', 'Proposal']],
    community_staff: [
      ['read', 'Proposal'],
      ['answer', 'Proposal'],
      ['moderate', 'Proposal'],
    ],
    resident: [
      ['read', 'Proposal'],
      ['create', 'Proposal'],
      ['cosign', 'Proposal'],
      ['comment', 'Proposal'],
      ['report', 'Proposal'],
      ['follow', 'Proposal'],
    ],
  },
});

export const votesComponent = defineComponent({
  name: 'votes',
  labels: { zh: '表决', en: 'Votes' },
  actions: [{ name: 'vote', labels: { zh: '参加表决', en: 'Vote' }, points: { default: 5 } }],
  settings: {
    hideResultsUntilClose: { type: 'boolean', default: true, labels: { zh: '结束前隐藏结果', en: 'Hide results until close' } },
    secretByDefault: { type: 'boolean', default: true, labels: { zh: '默认无记名投票', en: 'Secret ballot by default' } },
  },
  permissions: {
    gov_supervisor: [['read', 'CouncilVote']],
    community_staff: [
      ['read', 'CouncilVote'],
      ['create', 'CouncilVote'],
      ['open', 'CouncilVote'],
      ['close', 'CouncilVote'],
      ['enter', 'CouncilVote'],
    ],
    resident: [
      ['read', 'CouncilVote'],
      ['cast', 'CouncilVote'],
    ],
  },
});

export const feedbackComponent = defineComponent({
  name: 'feedback',
  labels: { zh: '居民诉求', en: 'Feedback' },
  actions: [{ name: 'accepted', labels: { zh: '诉求被采纳', en: 'Feedback accepted' }, points: { default: 3, dailyCap: 6 } }],
  settings: {
    responseHours: { type: 'number', default: 72, labels: { zh: '答复时限（小时）', en: 'Response deadline (hours)' } },
  },
  permissions: {
    gov_supervisor: [
      ['read', 'Feedback'],
      ['stats', 'Feedback'],
    ],
    community_staff: [
      ['read', 'Feedback'],
      ['triage', 'Feedback'],
      ['stats', 'Feedback'],
    ],
    property_manager: [
      ['read', 'Feedback'],
      ['triage', 'Feedback'],
      ['stats', 'Feedback'],
    ],
    resident: [
      ['submit', 'Feedback', 'self'],
      ['read', 'Feedback', 'self'],
      ['rate', 'Feedback', 'self'],
      ['attach', 'Feedback', 'self'],
    ],
  },
});

/** The council's components, as the console lists them. */
export const councilComponents = [proposalsComponent, votesComponent, feedbackComponent];

/** Meetings: no resident action, so not a component; their permissions go in the manifest. */
export const councilPermissions: PermissionTable = {
  gov_supervisor: [['read', 'CouncilMeeting']],
  community_staff: [
    ['read', 'CouncilMeeting'],
    ['manage', 'CouncilMeeting'],
  ],
  resident: [['read', 'CouncilMeeting']],
};

/** A setting of a component for one community: the community's own value (set in the console's
 * participation settings) or the declared default. */
export async function setting<T extends number | boolean | string>(k: Kernel, communityId: string, c: { name: string }, name: string): Promise<T> {
  return (await componentSettings(k, communityId, c.name))[name] as T;
}

export const councilMessages: Messages = {
  // who acted when the platform did (the vote-closing job, a proposal reaching the agenda)
  'council.system_actor': { zh: '系统', en: 'System' },
  'council.vote_not_found': { zh: '找不到该表决', en: 'No such vote' },
  'council.vote_not_draft': { zh: '表决已开始，不能再修改', en: 'The vote has already been opened' },
  'council.vote_not_open': { zh: '表决未在进行中', en: 'The vote is not open' },
  'council.already_voted': { zh: '已投过票（网上或纸质），不能重复投票', en: 'This voter has already voted (online or on paper)' },
  'council.not_eligible': { zh: '您不在本次表决的投票人名册中', en: 'You are not on the roll of this vote' },
  'council.voter_not_on_roll': { zh: '该投票人不在名册中', en: 'This voter is not on the roll' },
  'council.empty_roll': { zh: '没有符合条件的投票人', en: 'Nobody is eligible for this vote' },
  'council.art278_owners_only': { zh: '按《民法典》第二百七十八条表决须为业主投票', en: 'An Art. 278 vote is a vote of owners' },
  'council.threshold_required': { zh: '请设置通过比例', en: 'Set the passing share' },
  'council.bad_fraction': { zh: '比例无效（分子须在 0 与分母之间）', en: 'Invalid share (numerator between 0 and the denominator)' },
  'council.community_unknown': { zh: '找不到该社区', en: 'No such community' },
  'council.proposal_not_found': { zh: '找不到该提案', en: 'No such proposal' },
  'council.cannot_cosign_own': { zh: '不能联署自己的提案', en: 'You cannot co-sign your own proposal' },
  'council.already_cosigned': { zh: '您已联署过该提案', en: 'You have already co-signed this proposal' },
  'council.not_cosignable': { zh: '该提案已不再征集联署', en: 'This proposal no longer collects co-signatures' },
  'council.not_eligible_resident': { zh: '只有本社区的成年居民可以参与', en: 'Only adult residents of the community may take part' },
  'council.comment_not_found': { zh: '找不到该评论', en: 'No such comment' },
  'council.already_reported': { zh: '您已举报过该评论', en: 'You have already reported this comment' },
  'council.bad_attachment': { zh: '附件无效或不属于您', en: 'The attachment is invalid or not yours' },
  'council.meeting_not_found': { zh: '找不到该会议', en: 'No such meeting' },
  'council.link_unknown': { zh: '关联的提案或表决不存在', en: 'The linked proposal or vote does not exist' },
  'council.feedback_not_found': { zh: '找不到该诉求', en: 'No such feedback' },
  'council.feedback_already_handled': { zh: '该诉求已处理', en: 'This feedback has already been handled' },
  'council.feedback_not_ratable': { zh: '答复后才能评价', en: 'Feedback can be rated once it is answered' },
  'council.already_rated': { zh: '已评价', en: 'Already rated' },
  'council.unknown_category': { zh: '未知的诉求类别', en: 'Unknown feedback category' },
  'council.place_not_in_community': { zh: '该地点不在您的社区内', en: 'This place is not in your community' },
  'council.notify.feedback_answered': { zh: '您的诉求已答复', en: 'Your feedback has been answered' },
  'council.notify.proposal_status': { zh: '您关注的提案有新进展', en: 'A proposal you follow has an update' },
  'council.feedback_to_proposal_answer': { zh: '已转为居民提案，请关注联署进展', en: "Turned into a residents' proposal: follow its co-signatures" },
  'council.notify.feedback_overdue': { zh: '诉求超过答复时限', en: 'Feedback past its response deadline' },
  'council.notify.proposal_status_body': { zh: '{title}：{status}', en: '{title}: {status}' },
};
