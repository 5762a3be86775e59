// Votes: create (draft), open (snapshot the voter roll from the registry), cast online or enter a
// paper ballot (one per roll entry, enforced by a conditional update in the same transaction as
// the ballot), close (decide, freeze, publish). Secret votes keep no voter on their ballots.
import type { Kernel } from '../../kernel/index.js';
import { VOTE_CLOSED } from './council.events.js';
import type { Static } from '@sinclair/typebox';
import type { RollPage, VotePage, VoteResult, VoteView } from './council.schema.js';
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import { AppError, conflict, invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { iso } from '../../kernel/clock.js';
import { electorate, places } from '../registry/index.js';
import { communityOf, displayName, publishAction, residentOf, today, json } from './council.common.js';
import { VotesRepository, type RollRow, type VoteRow } from './votes.repository.js';
import { decide, toCenti, validFraction, type Choice, type RuleSpec, type Verdict } from './votes.rules.js';
import type { CreateVoteBody, ListVotesQuery, PaperBallotBody, RollQuery } from './votes.schema.js';

const scoped = (v: VoteRow) => ({ placePath: v.place_path });

export function specOf(v: VoteRow): RuleSpec {
  return {
    rule: v.rule,
    major: !!v.major,
    quorum: v.quorum_num != null && v.quorum_den ? { num: v.quorum_num, den: v.quorum_den } : null,
    threshold: v.threshold_num != null && v.threshold_den ? { num: v.threshold_num, den: v.threshold_den } : null,
  };
}

export class VotesService {
  readonly repo: VotesRepository;
  constructor(
    readonly k: Kernel,
    private proposalExists: (id: string, communityId: string) => Promise<boolean>,
  ) {
    this.repo = new VotesRepository(k.database);
  }

  async reachable(actor: Actor, id: string, action = 'read'): Promise<VoteRow> {
    const v = await this.repo.byId(id);
    if (!v || !this.k.authz.can(actor, 'read', 'CouncilVote', scoped(v))) throw notFound('council.vote_not_found');
    // residents never see drafts
    if (v.status === 'draft' && !this.k.authz.can(actor, 'create', 'CouncilVote', scoped(v))) throw notFound('council.vote_not_found');
    if (action !== 'read' && !this.k.authz.can(actor, action, 'CouncilVote', scoped(v))) throw new AppError(403, 'auth.forbidden');
    return v;
  }

  // ---------- views ----------
  async view(actor: Actor, v: VoteRow): Promise<VoteView> {
    const staff = this.k.authz.can(actor, 'enter', 'CouncilVote', scoped(v));
    const out: VoteView = {
      id: v.id,
      communityId: v.community_id,
      title: v.title,
      description: v.description,
      basis: v.basis,
      secret: !!v.secret,
      hideResults: !!v.hide_results,
      rule: v.rule,
      major: !!v.major,
      quorum: v.quorum_num != null && v.quorum_den != null ? { num: v.quorum_num, den: v.quorum_den } : null,
      threshold: v.threshold_num != null && v.threshold_den != null ? { num: v.threshold_num, den: v.threshold_den } : null,
      proposalId: v.proposal_id,
      status: v.status,
      closesAt: v.closes_at,
      openedAt: v.opened_at,
      closedAt: v.closed_at,
      roll: { heads: v.roll_heads, areaCenti: Number(v.roll_area_centi) },
      ballotsCast: v.ballots_cast,
      createdAt: v.created_at,
      result: null,
      liveTally: null,
      allowedActions: [],
    };
    if (v.status === 'closed') out.result = json<VoteResult | null>(v.result, null);
    else if (v.status === 'open' && !v.hide_results) out.liveTally = await this.repo.tallies(v.id);
    if (actor.residentId && v.status !== 'draft') {
      const key = await this.repo.voterKeyOf(v.id, actor.residentId);
      const entry = key ? await this.repo.rollEntry(v.id, key) : undefined;
      out.me = { eligible: !!entry, voted: !!entry?.voted, channel: entry?.channel ?? null };
    }
    out.allowedActions = [
      ...(v.status === 'draft' && staff ? ['open'] : []),
      ...(v.status === 'open' && this.k.authz.can(actor, 'close', 'CouncilVote', scoped(v)) ? ['close'] : []),
      ...(v.status === 'open' && staff ? ['paper'] : []),
      ...(v.status === 'open' && out.me?.eligible && !out.me.voted ? ['cast'] : []),
    ];
    return out;
  }

  async list(actor: Actor, q: ListVotesQuery): Promise<Static<typeof VotePage>> {
    const reach = this.k.authz.reach(actor, 'read', 'CouncilVote');
    const staff = this.k.authz.canSomewhere(actor, 'create', 'CouncilVote');
    const statuses: VoteRow['status'][] | undefined = q.status ? [q.status] : staff ? undefined : ['open', 'closed'];
    if (!staff && q.status === 'draft') return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    const { items, total } = await this.repo.list(reach, { statuses, proposalId: q.proposalId }, q.pageSize, (q.page - 1) * q.pageSize);
    return { items: await Promise.all(items.map((v) => this.view(actor, v))), total, page: q.page, pageSize: q.pageSize };
  }

  async get(actor: Actor, id: string): Promise<VoteView> {
    const v = await this.reachable(actor, id);
    const out = await this.view(actor, v);
    if (v.status === 'closed' && !v.secret && this.k.authz.can(actor, 'enter', 'CouncilVote', scoped(v))) {
      out.namedBallots = (await this.repo.namedBallots(v.id)).map((b) => ({
        name: b.name,
        label: b.label,
        choice: b.choice,
        channel: b.channel,
        areaCenti: Number(b.area_centi),
      }));
    }
    return out;
  }

  // ---------- lifecycle ----------
  async create(actor: Actor, b: CreateVoteBody, ip: string) {
    const c = await communityOf(this.k, b.communityId);
    if (!this.k.authz.can(actor, 'create', 'CouncilVote', { placePath: c.path })) throw notFound('council.community_unknown');
    const fields = [];
    if (b.rule === 'art278' && b.basis !== 'owners') fields.push({ field: 'basis', code: 'council.art278_owners_only' });
    if (b.rule === 'threshold' && !b.threshold) fields.push({ field: 'threshold', code: 'council.threshold_required' });
    if (!validFraction(b.threshold ?? null)) fields.push({ field: 'threshold', code: 'council.bad_fraction' });
    if (!validFraction(b.quorum ?? null)) fields.push({ field: 'quorum', code: 'council.bad_fraction' });
    if (b.proposalId && !(await this.proposalExists(b.proposalId, c.id))) fields.push({ field: 'proposalId', code: 'council.link_unknown' });
    if (fields.length) throw invalid(fields);
    const at = iso(this.k.clock.now());
    const art = b.rule === 'art278';
    const row: VoteRow = {
      id: newId('vot'),
      community_id: c.id,
      place_path: c.path,
      title: b.title.trim(),
      description: b.description?.trim() ?? '',
      basis: b.basis,
      secret: b.secret ? 1 : 0,
      hide_results: b.hideResults === false ? 0 : 1,
      rule: b.rule,
      major: art && b.major ? 1 : 0,
      // Art. 278 has its own participation test; a quorum or threshold there would be a second rule
      quorum_num: art || !b.quorum ? null : b.quorum.num,
      quorum_den: art || !b.quorum ? null : b.quorum.den,
      threshold_num: b.rule === 'threshold' ? b.threshold!.num : null,
      threshold_den: b.rule === 'threshold' ? b.threshold!.den : null,
      proposal_id: b.proposalId ?? null,
      meeting_id: null,
      status: 'draft',
      closes_at: b.closesAt ?? null,
      opened_at: null,
      closed_at: null,
      roll_heads: 0,
      roll_area_centi: 0,
      ballots_cast: 0,
      result: null,
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    };
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insert(row, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.vote.create',
          targetType: 'council_vote',
          targetId: row.id,
          scopePath: row.place_path,
          ip,
          detail: {
            title: row.title,
            basis: row.basis,
            secret: !!row.secret,
            rule: row.rule,
            major: !!row.major,
            quorum: b.quorum ?? null,
            threshold: b.threshold ?? null,
          },
        },
        t,
      );
    });
    return this.view(actor, row);
  }

  /** Open: snapshot who may vote now. Later moves in or out do not change this vote's roll. */
  async open(actor: Actor, id: string, ip: string) {
    const v = await this.reachable(actor, id, 'open');
    if (v.status !== 'draft') throw conflict('council.vote_not_draft');
    const c = await communityOf(this.k, v.community_id);
    const voters = await electorate.of(this.k, v.community_id, v.basis, today(this.k, c.timeZone));
    if (!voters.length) throw new AppError(422, 'council.empty_roll');
    // the paper-ballot desk finds voters by house: "1号楼1单元101"
    const parents = [...new Set(voters.flatMap((e) => e.houses.flatMap((h) => h.path.split('/').filter((x) => x.startsWith('bld_') || x.startsWith('unt_')))))];
    const names = await places.placeNames(this.k, parents);
    const label = (h: { name: string; path: string }) =>
      h.path
        .split('/')
        .filter((x) => x.startsWith('bld_') || x.startsWith('unt_'))
        .map((x) => names.get(x) ?? '')
        .join('') + h.name;
    const roll: RollRow[] = voters.map((e) => ({
      vote_id: v.id,
      voter_key: e.voterKey,
      resident_id: e.residentId,
      name: e.name,
      label: e.houses.map(label).join('、').slice(0, 200),
      area_centi: v.basis === 'owners' ? e.houses.reduce((s, h) => s + toCenti(h.areaM2), 0) : 0,
      voted: 0,
      channel: null,
      voted_at: null,
      entered_by: null,
    }));
    // a resident who belongs to two households acts for the first one only
    const seen = new Set<string>();
    const electors = voters
      .flatMap((e) => e.members.map((m) => ({ vote_id: v.id, resident_id: m, voter_key: e.voterKey })))
      .filter((e) => !seen.has(e.resident_id) && !!seen.add(e.resident_id));
    const at = iso(this.k.clock.now());
    const heads = roll.length;
    const area = roll.reduce((s, r) => s + r.area_centi, 0);
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.setStatus(t, v.id, 'draft', { status: 'open', opened_at: at, updated_at: at, roll_heads: heads, roll_area_centi: area })))
        throw conflict('council.vote_not_draft');
      await this.repo.insertRoll(t, roll, electors);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.vote.open',
          targetType: 'council_vote',
          targetId: v.id,
          scopePath: v.place_path,
          ip,
          detail: { rollHeads: heads, rollAreaCenti: area },
        },
        t,
      );
    });
    return this.get(actor, v.id);
  }

  /** A resident votes in the portal. */
  async castOnline(actor: Actor, id: string, choice: Choice, ip: string) {
    const v = await this.reachable(actor, id, 'cast');
    await residentOf(this.k, actor);
    const key = await this.repo.voterKeyOf(v.id, actor.residentId!);
    if (!key) throw new AppError(403, 'council.not_eligible');
    await this.cast(actor, v, key, choice, 'online', ip);
    return this.get(actor, v.id);
  }

  /** Staff enter a paper ballot for a voter on the roll. */
  async castPaper(actor: Actor, id: string, b: PaperBallotBody, ip: string) {
    const v = await this.reachable(actor, id, 'enter');
    const entry = await this.repo.rollEntry(v.id, b.voterKey);
    if (!entry) throw invalid([{ field: 'voterKey', code: 'council.voter_not_on_roll' }]);
    await this.cast(actor, v, b.voterKey, b.choice, 'paper', ip);
    return { voterKey: entry.voter_key, name: entry.name, channel: 'paper' as const, recorded: true as const };
  }

  private async cast(actor: Actor, v: VoteRow, voterKey: string, choice: Choice, channel: 'online' | 'paper', ip: string) {
    const at = iso(this.k.clock.now());
    let entry!: RollRow;
    await this.k.db.transaction().execute(async (t) => {
      // first the vote row (its lock orders casts against close), then the roll entry
      if (!(await this.repo.countBallot(t, v.id, at))) throw conflict('council.vote_not_open');
      if (!(await this.repo.markVoted(t, v.id, voterKey, channel, at, channel === 'paper' ? actor.userId : null))) throw conflict('council.already_voted');
      entry = (await this.repo.rollEntry(v.id, voterKey, t))!;
      const area = Number(entry.area_centi);
      await this.repo.insertBallot(t, { vote_id: v.id, choice, voter_key: v.secret ? null : voterKey, area_centi: v.secret ? null : area });
      await this.repo.addToTally(t, v.id, choice, area);
      // the audit row says who voted and how (channel), never what on a secret vote
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: channel === 'paper' ? 'council.vote.paper_ballot' : 'council.vote.ballot',
          targetType: 'council_vote',
          targetId: v.id,
          scopePath: v.place_path,
          subjectResidentId: entry.resident_id,
          ip,
          detail: { voterKey, channel, ...(v.secret ? {} : { choice }) },
        },
        t,
      );
    });
    const residentId = channel === 'online' ? actor.residentId! : entry.resident_id;
    await publishAction(this.k, { communityId: v.community_id, residentId, component: 'votes', action: 'vote', ref: v.id });
  }

  /** Close: decide by the vote's rule, freeze the verdict with the rule that decided it. */
  async close(actor: Actor, id: string, ip: string) {
    const v = await this.reachable(actor, id, 'close');
    if (v.status !== 'open') throw conflict('council.vote_not_open');
    const at = iso(this.k.clock.now());
    let verdict!: Verdict;
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.setStatus(t, v.id, 'open', { status: 'closed', closed_at: at, updated_at: at }))) throw conflict('council.vote_not_open');
      const tally = await this.repo.tallies(v.id, t);
      const turnout = await this.repo.turnout(v.id, t);
      const ballots = await this.repo.ballotCounts(v.id, t);
      verdict = decide(specOf(v), { roll: { heads: v.roll_heads, area: Number(v.roll_area_centi) }, tally });
      // the roll, the ballots and the tallies were written together; if they disagree, say so
      const consistent =
        turnout.heads === verdict.participating.heads &&
        turnout.area === verdict.participating.area &&
        (['yes', 'no', 'abstain'] as const).every((c) => (ballots[c] ?? 0) === tally[c].heads);
      const result = { ...verdict, consistent, closedAt: at, closedBy: displayName(actor) };
      await this.repo.update(t, v.id, { result: JSON.stringify(result) });
      if (v.secret) await this.repo.reseal(t, v.id);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'council.vote.close',
          targetType: 'council_vote',
          targetId: v.id,
          scopePath: v.place_path,
          ip,
          detail: { outcome: verdict.outcome, decidedBy: verdict.decidedBy, tally, roll: verdict.roll, consistent },
        },
        t,
      );
    });
    await this.k.events.publish(VOTE_CLOSED, { voteId: v.id, communityId: v.community_id, proposalId: v.proposal_id, outcome: verdict.outcome });
    return this.get(actor, v.id);
  }

  /** The closing job: votes past their planned closing time are closed by the platform. */
  async closeDue(now: Date): Promise<number> {
    let n = 0;
    // the platform closes them: audited as system:council.vote-closing, shown as 系统 / System
    const system = systemActor('council.vote-closing');
    for (const v of await this.repo.due(iso(now))) {
      try {
        await this.close(system, v.id, '127.0.0.1');
        n++;
      } catch (e) {
        // closed by staff in the meantime: nothing to do
        if (!(e instanceof AppError && e.status === 409)) throw e;
      }
    }
    return n;
  }

  async roll(actor: Actor, id: string, q: RollQuery): Promise<Static<typeof RollPage>> {
    const v = await this.reachable(actor, id, 'enter');
    const { items, total } = await this.repo.roll(v.id, { q: q.q?.trim() || undefined, voted: q.voted }, q.pageSize, (q.page - 1) * q.pageSize);
    return {
      items: items.map((r) => ({
        voterKey: r.voter_key,
        name: r.name,
        label: r.label,
        areaCenti: Number(r.area_centi),
        voted: !!r.voted,
        channel: r.channel,
        votedAt: r.voted_at,
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
