// The signed exchange API (X-Road style, ../shared/references/x-road-signing-and-logging.md).
// These routes are 'public' to the session gate: a machine client has no session; it proves who it
// is by signing each request (RFC 9421, signing.ts), checked here before anything else is read.
// Every answer, refusals included, leaves signed by the platform with the request's hash, and is
// written to the message log (and, for each resident record released, to the audit log with the
// resident as subject) in one transaction before it is sent: nothing leaves unlogged.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import type { ChainCheckpoints } from '../../kernel/audit/checkpoints.js';
import type { AuditEntry } from '../../kernel/audit/index.js';
import * as S from './exchange.schema.js';
import { ExchangeApi, type Exchange } from './api.js';
import { appendMessage } from './msglog.js';
import { requestHash, sha256, type PlatformSigner } from './signing.js';

const tags = ['exchange-api'];
const PREFIX = '/api/v1/exchange/r1/residents';

export function registerExchangeApiRoutes(app: App, k: Kernel, api: ExchangeApi, signer: PlatformSigner, chain: ChainCheckpoints) {
  app.get(
    '/api/v1/exchange/platform-keys',
    {
      config: { auth: 'public' },
      schema: { tags, summary: "The platform's public keys that sign exchange responses (Ed25519, base64 SPKI DER)", response: { 200: S.PlatformKeys } },
    },
    async () => ({ keys: signer.keys.list() }),
  );

  const state = new WeakMap<FastifyRequest, Exchange>();

  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // the body is needed as sent, for its Content-Digest
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 256 * 1024 }, (req, body, done) => {
      const text = String(body);
      const x = state.get(req);
      if (x) x.rawBody = text;
      try {
        done(null, text.length ? JSON.parse(text) : {});
      } catch {
        const err = new Error('malformed JSON') as Error & { statusCode: number; code: string };
        err.statusCode = 400;
        err.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
        done(err, undefined);
      }
    });

    // the exchange starts before the body is read (so the parser can keep it)
    scope.addHook('onRequest', async (req) => {
      state.set(req, {
        started: performance.now(),
        operation: operationOf(req.url),
        client: null,
        verified: null,
        agreement: null,
        released: [],
        fields: [],
        rawBody: '',
      });
    });
    scope.addHook('preValidation', async (req) => {
      await api.authenticate(req, state.get(req)!);
    });
    scope.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const x = state.get(req);
      if (!x) return payload;
      state.delete(req);
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : JSON.stringify(payload);
      const h = req.headers;
      const reqHash =
        x.verified?.requestHash ?? requestHash(req.method, api.targetUri(req), String(h['signature-input'] ?? ''), String(h['signature'] ?? ''), x.rawBody);
      const now = k.clock.now();
      const status = reply.statusCode;
      let outcome = 'ok';
      if (status >= 400) {
        try {
          outcome = String((JSON.parse(body) as { code?: string }).code ?? `http.${status}`);
        } catch {
          outcome = `http.${status}`;
        }
      }
      const released = status < 400 ? x.released : [];
      const a = x.agreement;
      const keepBodies = !!a && !!Number(a.log_bodies);
      const seq = await k.database.db.transaction().execute(async (t) => {
        const s = await appendMessage(
          k.database,
          t,
          {
            clientId: x.client?.clientId ?? null,
            keyId: x.verified?.keyId ?? null,
            orgId: x.client?.orgId ?? null,
            agreementId: a?.id ?? null,
            operation: x.operation,
            method: req.method,
            path: req.url.slice(0, 500),
            status,
            outcome: outcome.slice(0, 100),
            records: released.length,
            requestHash: reqHash,
            responseHash: sha256(body),
            requestBody: keepBodies ? x.rawBody : null,
            responseBody: keepBodies ? body : null,
            durationMs: performance.now() - x.started,
          },
          now.toISOString(),
        );
        if (released.length && a && x.client) {
          const c = x.client;
          const entries: AuditEntry[] = released.map((r) => ({
            actorId: c.clientId,
            actorName: `${c.orgName}（${c.clientName}）`,
            action: 'exchange.record.read',
            targetType: 'resident',
            targetId: r.residentId,
            scopePath: r.placePath,
            subjectResidentId: r.residentId,
            ip: req.ip,
            detail: {
              organisation: c.orgName,
              agreementId: a.id,
              agreement: a.title,
              purpose: a.purpose,
              fields: x.fields,
              operation: x.operation,
              message: s,
            },
          }));
          await k.audit.recordMany(entries, t);
        }
        return s;
      });
      chain.appended(seq);
      reply.headers(await signer.sign(status, body, reqHash, now));
      return body;
    });

    scope.post(
      `${PREFIX}/lookup`,
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Signed lookup of one resident by ID number: only the fields the agreement names',
          body: S.LookupBody,
          response: { 200: S.LookupView },
        },
      },
      async (req) => api.lookup(state.get(req)!, req.body),
    );
    scope.post(
      `${PREFIX}/batch`,
      {
        config: { auth: 'public' },
        schema: { tags, summary: 'Signed batch lookup of up to 1,000 ID numbers', body: S.BatchBody, response: { 200: S.BatchView } },
      },
      async (req) => api.batch(state.get(req)!, req.body),
    );
    scope.get(
      `${PREFIX}/changes`,
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Signed change feed of the records under the agreement since a cursor',
          querystring: S.ChangesQuery,
          response: { 200: S.ChangesView },
        },
      },
      async (req) => api.changes(state.get(req)!, req.query),
    );
    scope.post(
      `${PREFIX}/export`,
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: "Signed bulk export of the records under the agreement, encrypted to the client's key (JWE)",
          body: S.ExportBody,
          response: { 200: S.ExportView },
        },
      },
      async (req) => api.exportAll(state.get(req)!, req.body),
    );
  });
}

function operationOf(url: string): string {
  const m = /\/residents\/([a-z]+)/.exec(url);
  return m ? m[1] : 'unknown';
}
