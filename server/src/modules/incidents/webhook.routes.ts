// Camera events over HTTP: Linli's own JSON (POST /api/v1/incidents/camera-events) and the
// Hikvision ISAPI adapter (POST /api/v1/incidents/camera-events/hikvision, XML or multipart with
// a picture). Both sign in with the camera's device credential — user name the device id, password
// its secret — by HTTP Basic (as for telemetry) or Digest (RFC 7616, MD5, qop=auth: what many
// cameras' alarm-host settings offer; devices/digest.ts), checked before the body is read. A
// request without a valid credential gets 401 with both challenges (Digest first). Bodies are
// read as text so that malformed input is refused with a problem and counted, never a 500. An
// event's time never refuses it: camera-time.ts decides which time it is stored at.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { AppError, badRequest, invalid, type FieldError } from '../../kernel/http/errors.js';
import { basicCredential, deviceDigest, DIGEST_REALM, getDevice, ingestPipeline, type DeviceInfo } from '../devices/index.js';
import { CameraEventBody, EventReceipt, HikvisionMultipart } from './incidents.schema.js';
import { documentedBody } from '../../kernel/http/contract.js';
import { Type } from '@sinclair/typebox';
import { CameraEventsService } from './camera-events.service.js';
import { CAMERA_TYPE } from './cameras.service.js';
import { AlertError, parseAlert, type HikvisionAlert } from './hikvision.js';

const BODY_LIMIT = 64 * 1024;
const PICTURE_LIMIT = 5 * 1024 * 1024;
const checkEvent = TypeCompiler.Compile(CameraEventBody);
const tags = ['incidents'];

declare module 'fastify' {
  interface FastifyRequest {
    camera?: DeviceInfo;
  }
}

export function registerWebhookRoutes(app: App, k: Kernel, events: CameraEventsService) {
  const pipeline = ingestPipeline(k);
  const digest = deviceDigest(k);

  /** 401 with both challenges: Digest first (clients take the first scheme they support), then Basic. */
  const refuseSignIn = (reply: any, stale = false): never => {
    reply.header('www-authenticate', [digest.challenge(stale), `Basic realm="${DIGEST_REALM}", charset="UTF-8"`]);
    throw new AppError(401, 'devices.bad_credentials');
  };

  // authenticate before the body is read: strangers cannot make the server parse an upload
  const signIn = async (req: any, reply: any) => {
    const header: string | undefined = req.headers.authorization;
    let id: string;
    if (/^Digest\s/i.test(header ?? '')) {
      const r = await digest.verify(header, req.method, req.url);
      if (!r || !('deviceId' in r)) return refuseSignIn(reply, !!r);
      id = r.deviceId;
    } else {
      const cred = basicCredential(header);
      if (!cred || !(await pipeline.authenticate(cred.id, cred.secret))) return refuseSignIn(reply);
      id = cred.id;
    }
    const d = await getDevice(k, id);
    if (!d) return refuseSignIn(reply);
    req.camera = d;
    // a camera that speaks is alive: its health follows the devices module's heartbeat
    pipeline.submit(d.id, 'status', { status: 'online' });
  };

  const refuse = async (source: string, reason: string, err: AppError, detail = ''): Promise<never> => {
    await events.reject(source, reason, detail);
    throw err;
  };

  const answer = (reply: any, r: { eventId: string; incidentId: string | null; duplicate: boolean }) =>
    reply.status(r.duplicate ? 200 : 201).send({ eventId: r.eventId, incidentId: r.incidentId, duplicate: r.duplicate });

  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

    scope.post(
      '/api/v1/incidents/camera-events',
      {
        // the body is read as text and checked here (counted refusals), so it is documented, not validated by fastify
        config: { auth: 'public', csrfExempt: true, ...documentedBody({ 'application/json': CameraEventBody }) },
        bodyLimit: BODY_LIMIT,
        onRequest: signIn,
        schema: {
          tags,
          summary: "A camera event in Linli's JSON format (Authorization: Basic or Digest, deviceId / secret)",
          response: { 200: EventReceipt, 201: EventReceipt },
        },
      },
      async (req, reply) => {
        const cam = req.camera!;
        if (cam.typeCode !== CAMERA_TYPE) await refuse('webhook', 'not_a_camera', new AppError(422, 'incidents.not_a_camera'), cam.id);
        let body: unknown;
        try {
          body = typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
        } catch {
          return refuse('webhook', 'bad_json', badRequest('http.bad_json'));
        }
        if (!checkEvent.Check(body)) {
          const fields: FieldError[] = [];
          for (const e of checkEvent.Errors(body)) {
            const field = e.path.replace(/^\//, '').replace(/\//g, '.') || 'body';
            if (!fields.some((f) => f.field === field)) fields.push({ field, code: field === 'kind' ? 'incidents.bad_kind' : 'incidents.bad_event' });
            if (fields.length >= 10) break;
          }
          return refuse('webhook', 'bad_shape', invalid(fields), fields.map((f) => f.field).join(','));
        }
        if (body.cameraId && body.cameraId !== cam.id)
          return refuse('webhook', 'camera_mismatch', invalid([{ field: 'cameraId', code: 'incidents.camera_mismatch' }]));
        const time = await events.judge(cam, body.at);
        // an unreadable time is counted, and the event kept at its receipt with what the camera wrote
        if (time.unreadable) await events.reject('webhook', 'bad_time', String(body.at).slice(0, 40));
        const { eventId, kind, at: _at, cameraId: _c, ...rest } = body;
        const detail = time.unreadable ? { ...rest, unreadableTime: String(body.at).slice(0, 40) } : rest;
        return answer(
          reply,
          await events.ingest({ camera: cam, key: eventId, kind, source: 'webhook', at: time.at, claimedAt: time.claimedAt, skewS: time.skewS, detail }),
        );
      },
    );

    scope.post(
      '/api/v1/incidents/camera-events/hikvision',
      {
        config: {
          auth: 'public',
          csrfExempt: true,
          ...documentedBody({ 'application/xml': Type.String({ description: 'EventNotificationAlert' }), 'multipart/form-data': HikvisionMultipart }),
        },
        bodyLimit: BODY_LIMIT,
        onRequest: signIn,
        schema: {
          tags,
          summary: 'Hikvision ISAPI EventNotificationAlert (XML, or multipart with XML + picture; Authorization: Basic or Digest, deviceId / secret)',
          response: { 200: EventReceipt, 201: EventReceipt },
        },
      },
      async (req, reply) => {
        const sender = req.camera!;
        let xml: string | null = null;
        let picture: { name: string; data: Buffer } | null = null;
        if (req.isMultipart()) {
          try {
            for await (const part of req.parts({ limits: { files: 3, fileSize: PICTURE_LIMIT, fields: 5, fieldSize: BODY_LIMIT } })) {
              if (part.type === 'field') {
                if (!xml && typeof part.value === 'string' && part.value.includes('EventNotificationAlert')) xml = part.value;
                continue;
              }
              const data = await part.toBuffer();
              const isXml = /xml/i.test(part.mimetype) || /\.xml$/i.test(part.filename ?? '');
              if (isXml && !xml) xml = data.toString('utf8');
              else if (/^image\//i.test(part.mimetype) && !picture) picture = { name: part.filename || 'picture.jpg', data };
            }
          } catch (e) {
            const code = (e as { code?: string }).code ?? '';
            if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
              return refuse('hikvision', 'too_large', new AppError(413, 'http.payload_too_large'));
            }
            return refuse('hikvision', 'bad_multipart', badRequest('incidents.bad_event'), code);
          }
        } else if (typeof req.body === 'string') xml = req.body;
        if (!xml) return refuse('hikvision', 'no_xml', badRequest('incidents.bad_xml'));

        let alert: HikvisionAlert;
        try {
          alert = parseAlert(xml);
        } catch (e) {
          if (!(e instanceof AlertError)) throw e;
          return refuse('hikvision', e.reason, badRequest(e.reason === 'bad_xml' ? 'incidents.bad_xml' : 'incidents.bad_event'), e.message);
        }
        const cam = await resolveCamera(events, sender, alert);
        if (!cam)
          return refuse(
            'hikvision',
            'unknown_camera',
            new AppError(422, 'incidents.unknown_camera'),
            `${alert.mac ?? ''} ${alert.ip ?? ''} ${alert.channel ?? ''}`,
          );
        // heartbeats ("videoloss" inactive), ended alarms and types we do not map are acknowledged
        // (a camera retries anything else) and not stored
        if (!alert.kind || !alert.active)
          return reply.status(200).send({ eventId: null, incidentId: null, duplicate: false, ignored: alert.kind ? 'inactive' : 'unmapped' });
        const time = await events.judge(cam, alert.dateTime);
        if (time.unreadable) await events.reject('hikvision', 'bad_time', String(alert.dateTime).slice(0, 40));
        const seen = await events.repo.eventByKey(cam.id, alert.key);
        if (seen) return answer(reply, { eventId: seen.id, incidentId: seen.incident_id, duplicate: true });
        let pictureFileId: string | null = null;
        if (picture) {
          try {
            pictureFileId = (await k.files.save({ name: picture.name, data: picture.data, ownerId: null, accept: ['image'], maxBytes: PICTURE_LIMIT })).id;
          } catch {
            await events.reject('hikvision', 'bad_picture', picture.name); // keep the event without its picture
          }
        }
        const detail = time.unreadable ? { ...alert.detail, unreadableTime: String(alert.dateTime).slice(0, 40) } : alert.detail;
        return answer(
          reply,
          await events.ingest({
            camera: cam,
            key: alert.key,
            kind: alert.kind,
            source: 'hikvision',
            at: time.at,
            claimedAt: time.claimedAt,
            skewS: time.skewS,
            detail,
            pictureFileId,
          }),
        );
      },
    );
  });
}

/**
 * Which camera an alert is about: the configured camera with the alert's MAC (then IP) and
 * channel, in the sender's community (an NVR may send for its channels); else the sender itself
 * when it is a camera and the alert names no other configured address. Anything else is unknown.
 */
async function resolveCamera(events: CameraEventsService, sender: DeviceInfo, a: HikvisionAlert): Promise<DeviceInfo | null> {
  const all = await events.repo.camerasByAddress(a.mac, a.ip);
  const candidates = all.filter((c) => c.community_id === sender.communityId);
  const fits = (c: { channel: number | null }) => c.channel == null || a.channel == null || c.channel === a.channel;
  const match = candidates.find((c) => a.mac && c.mac === a.mac && fits(c)) ?? candidates.find((c) => a.ip && c.ip === a.ip && fits(c));
  if (match) {
    const d = match.device_id === sender.id ? sender : await getDevice(events.k, match.device_id);
    return d && d.typeCode === CAMERA_TYPE && d.communityId === sender.communityId ? d : null;
  }
  if (sender.typeCode !== CAMERA_TYPE) return null;
  // a MAC configured for a camera of another community is that camera's, not the sender's (IPs
  // repeat across communities' private networks, MACs do not)
  if (a.mac && all.some((c) => c.mac === a.mac && c.device_id !== sender.id)) return null;
  const own = await events.repo.camera(sender.id);
  // the sender's own configured address must not contradict the alert's
  if (own?.mac && a.mac && own.mac !== a.mac) return null;
  if (!own?.mac && own?.ip && a.ip && own.ip !== a.ip) return null;
  return sender;
}
