// RFC 9457 problem+json. Every error a client sees has a stable `code` and a title in its language.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { t, type Lang } from './i18n.js';

export interface FieldError {
  field: string; // JSON pointer-ish path, e.g. "idNumber" or "members.0.phone"
  code: string; // message code, e.g. "registry.id_checksum"
  message?: string; // filled in the request's language
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  constructor(
    public status: number,
    public code: string,
    public params: Record<string, unknown> = {},
    public fields: FieldError[] = [],
  ) {
    super(code);
  }
}

export const notFound = (code = 'http.not_found') => new AppError(404, code);
export const forbidden = () => new AppError(403, 'auth.forbidden');
export const conflict = (code = 'http.conflict', params: Record<string, unknown> = {}) => new AppError(409, code, params);
export const invalid = (fields: FieldError[]) => new AppError(422, 'validation.failed', {}, fields);
export const badRequest = (code: string, params: Record<string, unknown> = {}) => new AppError(400, code, params);

export function problem(lang: Lang, status: number, code: string, params: Record<string, unknown> = {}, fields: FieldError[] = []) {
  return {
    type: `https://linli.dev/problems/${code}`,
    title: t(lang, code, params),
    status,
    code,
    ...(fields.length ? { errors: fields.map((f) => ({ field: f.field, code: f.code, message: f.message ?? t(lang, f.code, f.params) })) } : {}),
  };
}

export function sendProblem(reply: FastifyReply, lang: Lang, status: number, code: string, params: Record<string, unknown> = {}, fields: FieldError[] = []) {
  return reply
    .status(status)
    .type('application/problem+json; charset=utf-8')
    .send(problem(lang, status, code, params, fields));
}

interface AjvErr {
  instancePath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}

/** Map Ajv validation errors onto our field errors. */
export function fieldsFromAjv(errors: AjvErr[], context: string | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let code = 'validation.invalid';
    let params: Record<string, unknown> = {};
    switch (e.keyword) {
      case 'required':
        field = field ? `${field}.${e.params.missingProperty}` : e.params.missingProperty;
        code = 'validation.required';
        break;
      case 'additionalProperties':
        field = field ? `${field}.${e.params.additionalProperty}` : e.params.additionalProperty;
        code = 'validation.unknown_field';
        params = { field };
        break;
      case 'type':
        code = 'validation.type';
        params = { type: e.params.type };
        break;
      case 'format':
        code = 'validation.format';
        params = { format: e.params.format };
        break;
      case 'pattern':
        code = 'validation.pattern';
        break;
      case 'enum':
        code = 'validation.enum';
        params = { values: (e.params.allowedValues ?? []).join(', ') };
        break;
      case 'minLength':
        code = 'validation.min_length';
        params = { limit: e.params.limit };
        break;
      case 'maxLength':
        code = 'validation.max_length';
        params = { limit: e.params.limit };
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        code = 'validation.minimum';
        params = { limit: e.params.limit };
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        code = 'validation.maximum';
        params = { limit: e.params.limit };
        break;
      case 'anyOf':
      case 'oneOf':
      case 'const':
        continue; // the branch errors say more
    }
    const key = `${field}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field: field || (context ?? 'body'), code, params });
  }
  return out.length ? out : [{ field: context ?? 'body', code: 'validation.invalid' }];
}

export function installErrorHandling(app: FastifyInstance<any, any, any, any, any>) {
  app.setErrorHandler((err: FastifyError & Partial<AppError>, req: FastifyRequest, reply: FastifyReply) => {
    const lang = req.lang ?? 'zh-CN';
    if (err instanceof AppError) {
      // a 429 that knows how long to wait says so in Retry-After (RFC 9110 §10.2.3)
      if (err.status === 429 && Number.isFinite(err.params.seconds)) reply.header('retry-after', String(err.params.seconds));
      return sendProblem(reply, lang, err.status, err.code, err.params, err.fields);
    }
    if (err.validation) {
      return sendProblem(reply, lang, 422, 'validation.failed', {}, fieldsFromAjv(err.validation as AjvErr[], err.validationContext));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
      case 'FST_FILES_LIMIT':
      case 'FST_PARTS_LIMIT':
        return sendProblem(reply, lang, 413, 'http.payload_too_large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return sendProblem(reply, lang, 415, 'http.unsupported_media_type');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(reply, lang, 400, 'http.bad_json');
    }
    if (err instanceof SyntaxError) return sendProblem(reply, lang, 400, 'http.bad_json');
    if (err.statusCode === 429) {
      return sendProblem(reply, lang, 429, 'http.rate_limited', { seconds: Math.ceil(Number(reply.getHeader('retry-after') ?? 60)) });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(reply, lang, err.statusCode, 'validation.invalid');
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, lang, 500, 'http.internal');
  });
}
