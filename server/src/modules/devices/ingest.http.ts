// What HTTP ingest answers (docs/api/devices.md, "HTTP ingest: what the answer means").
// A device that checks only the status code must not believe a refused message was stored:
//   - everything accepted               → 202 {accepted, rejected: 0}
//   - some accepted, some refused        → 202 {accepted, rejected, error, rejects: [...]} (stored
//     readings stay stored; the refused ones are listed, like a 207 folded into 202)
//   - nothing accepted                   → 4xx problem+json with one `errors` entry per reason:
//     400 the body is not JSON, 413 the message is too large, 429 the device sends too fast
//     (Retry-After), 422 otherwise (unknown key, non-numeric value, time out of range, bad shape)
// The refusals are counted against the device either way (GET /devices/:id/rejects).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Lang, Messages } from '../../kernel/http/i18n.js';
import { problem } from '../../kernel/http/errors.js';
import type { SubmitResult } from './ingest.js';

export const RejectNoteSchema = Type.Object(
  {
    reason: Type.String(),
    field: Type.String(),
    detail: Type.String(),
    count: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const IngestAnswer = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0 }),
    rejected: Type.Integer({ minimum: 0 }),
    error: Type.Optional(Type.String()),
    rejects: Type.Optional(Type.Array(RejectNoteSchema)),
    /** The device was not in this node's cache yet: the message is queued and validated once it is. */
    deferred: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type IngestAnswer = Static<typeof IngestAnswer>;

export const ingestMessages: Messages = {
  'devices.ingest_refused': { zh: '消息未被接收：{count} 项被拒绝', en: 'Nothing was stored: {count} item(s) refused' },
  'devices.ingest_bad_json': { zh: '消息不是有效的 JSON', en: 'The message is not valid JSON' },
  'devices.ingest_too_large': { zh: '消息过大（{detail}）', en: 'The message is too large ({detail})' },
  'devices.ingest_throttled': { zh: '设备发送过快，请稍后重试', en: 'The device sends too fast; try again shortly' },
  'devices.ingest_bad_shape': { zh: '消息格式不正确：{detail}', en: 'Malformed message: {detail}' },
  'devices.ingest_unknown_key': { zh: '该设备类型没有遥测项 {detail}', en: 'The device type has no telemetry key {detail}' },
  'devices.ingest_not_numeric': { zh: '读数不是数值：{detail}', en: 'Not a number: {detail}' },
  'devices.ingest_bad_ts': { zh: '时间无法识别：{detail}', en: 'Unreadable time: {detail}' },
  'devices.ingest_ts_future': { zh: '时间晚于服务器时间超过 5 分钟：{detail}', en: 'The time is more than 5 minutes ahead of the server: {detail}' },
  'devices.ingest_ts_past': { zh: '时间早于 7 天前：{detail}', en: 'The time is more than 7 days old: {detail}' },
  'devices.ingest_unknown_device': { zh: '未知设备：{detail}', en: 'Unknown device: {detail}' },
};

const statusOf = (reasons: string[]): number => {
  if (reasons.includes('bad_json')) return 400;
  if (reasons.includes('too_large')) return 413;
  if (reasons.includes('throttled')) return 429;
  return 422;
};

/** Sends the answer for one HTTP ingest message. */
export function sendIngestAnswer(reply: FastifyReply, lang: Lang, r: SubmitResult) {
  if (r.accepted > 0 || r.deferred) return reply.status(202).send(r satisfies IngestAnswer);
  const notes = r.rejects ?? [];
  const status = statusOf(notes.map((n) => n.reason));
  const fields = notes.map((n) => ({ field: n.field, code: `devices.ingest_${n.reason}`, params: { detail: n.detail, count: n.count } }));
  if (status === 429) reply.header('retry-after', '1');
  return reply
    .status(status)
    .type('application/problem+json; charset=utf-8')
    .send({ ...problem(lang, status, 'devices.ingest_refused', { count: r.rejected }, fields), accepted: 0, rejected: r.rejected });
}
