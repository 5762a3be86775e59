import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import * as S from './votes.schema.js';
import * as R from './council.schema.js';
import type { VotesService } from './votes.service.js';

const tags = ['council'];
const can = (action: string) => ({ auth: { action, subject: 'CouncilVote' } });

export function registerVoteRoutes(app: App, svc: VotesService) {
  app.get(
    '/api/v1/council/votes',
    {
      config: can('read'),
      schema: {
        tags,
        summary: 'Votes in scope (residents: open and closed ones of their community)',
        querystring: S.ListVotesQuery,
        response: { 200: R.VotePage },
      },
    },
    async (req) => svc.list(requireActor(req), req.query),
  );

  app.post(
    '/api/v1/council/votes',
    {
      config: can('create'),
      schema: { tags, summary: 'Create a vote (draft): eligibility basis, secrecy, rule', body: S.CreateVoteBody, response: { 201: R.VoteView } },
    },
    async (req, reply) => reply.status(201).send(await svc.create(requireActor(req), req.body, req.ip)),
  );

  app.get(
    '/api/v1/council/votes/:id',
    { config: can('read'), schema: { tags, summary: 'A vote; its frozen result once closed', params: S.IdParam, response: { 200: R.VoteView } } },
    async (req) => svc.get(requireActor(req), req.params.id),
  );

  app.post(
    '/api/v1/council/votes/:id/open',
    {
      config: can('open'),
      schema: { tags, summary: 'Open a vote: snapshot the voter roll from the registry', params: S.IdParam, response: { 200: R.VoteView } },
    },
    async (req) => svc.open(requireActor(req), req.params.id, req.ip),
  );

  app.post(
    '/api/v1/council/votes/:id/close',
    {
      config: can('close'),
      schema: { tags, summary: 'Close a vote: count, decide by its rule, freeze and publish', params: S.IdParam, response: { 200: R.VoteView } },
    },
    async (req) => svc.close(requireActor(req), req.params.id, req.ip),
  );

  // One ballot per roll entry across both channels: a repeat (retry or second channel) is 409.
  app.post(
    '/api/v1/council/votes/:id/ballot',
    {
      config: can('cast'),
      schema: { tags: ['portal', ...tags], summary: 'Cast my ballot online', params: S.IdParam, body: S.BallotBody, response: { 201: R.VoteView } },
    },
    async (req, reply) => reply.status(201).send(await svc.castOnline(requireActor(req), req.params.id, req.body.choice, req.ip)),
  );

  app.post(
    '/api/v1/council/votes/:id/paper-ballots',
    {
      config: can('enter'),
      schema: {
        tags,
        summary: 'Enter a paper ballot for a voter on the roll',
        params: S.IdParam,
        body: S.PaperBallotBody,
        response: { 201: R.PaperBallotResult },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.castPaper(requireActor(req), req.params.id, req.body, req.ip)),
  );

  app.get(
    '/api/v1/council/votes/:id/roll',
    {
      config: can('enter'),
      schema: {
        tags,
        summary: 'The voter roll (who voted, by which channel; never the choice)',
        params: S.IdParam,
        querystring: S.RollQuery,
        response: { 200: R.RollPage },
      },
    },
    async (req) => svc.roll(requireActor(req), req.params.id, req.query),
  );
}
