// Test helpers for the incidents tests: cameras with known credentials, Hikvision bodies, and
// HTTP calls signed with a device credential. Test-only.
import crypto from 'node:crypto';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { createDevice } from '../devices/index.js';

export async function buildCamera(k: Kernel, placeId: string, name = '东门摄像头') {
  return createDevice(k, { typeCode: 'camera', placeId, name });
}

export const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');

export function hikXml(o: { type?: string; state?: string; mac?: string | null; ip?: string | null; channel?: number; at?: string; count?: number } = {}) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
${o.ip === null ? '' : `<ipAddress>${o.ip ?? '192.168.1.64'}</ipAddress>`}
<portNo>80</portNo>
<protocol>HTTP</protocol>
${o.mac === null ? '' : `<macAddress>${o.mac ?? '44:19:b6:00:00:01'}</macAddress>`}
<channelID>${o.channel ?? 1}</channelID>
<dateTime>${o.at ?? new Date().toISOString()}</dateTime>
<activePostCount>${o.count ?? 1}</activePostCount>
<eventType>${o.type ?? 'VMD'}</eventType>
<eventState>${o.state ?? 'active'}</eventState>
<eventDescription>Motion alarm</eventDescription>
</EventNotificationAlert>`;
}

/** The multipart form a Hikvision camera sends: the XML part, then a JPEG picture. */
export function hikMultipart(xml: string, picture: Buffer, o: { xmlAsFile?: boolean } = {}) {
  const boundary = 'MIME_boundary_' + crypto.randomBytes(6).toString('hex');
  const file = o.xmlAsFile ? '; filename="linedetection.xml"' : '';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="linedetection"${file}\r\nContent-Type: application/xml; charset="UTF-8"\r\n\r\n${xml}\r\n`,
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="linedetectionPicture"; filename="linedetectionPicture.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    picture,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

export const jpeg = () =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), crypto.randomBytes(200), Buffer.from([0xff, 0xd9])]);

export async function post(app: App, url: string, cred: string | null, payload: string | Buffer, contentType = 'application/json') {
  const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, ...(cred ? { authorization: cred } : {}) } });
  let json: any = null;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = null;
  }
  return { status: res.statusCode, json, headers: res.headers, body: res.body };
}
