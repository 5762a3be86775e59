// Adapter for Hikvision ISAPI event notifications (HTTP listening / "alarm host" push): the
// camera posts an <EventNotificationAlert> either as an XML body or as multipart/form-data with
// an XML part and a picture part. Parsing is fast-xml-parser's; this file only maps fields.
import type { XMLParser } from 'fast-xml-parser';
import { xmlParser } from '../../kernel/lazy.js';
import { hikvisionKinds, type EventKind } from './incidents.states.js';
import { normaliseMac } from './cameras.service.js';

export interface HikvisionAlert {
  kind: EventKind | null; // null: an event type we do not map (acknowledged, not stored)
  eventType: string;
  active: boolean;
  mac: string | null;
  ip: string | null;
  channel: number | null;
  dateTime: string | null;
  /** Idempotency key: the camera's own fields for one notification (it has no event id). */
  key: string;
  detail: Record<string, unknown>;
}

export class AlertError extends Error {
  constructor(
    public reason: 'bad_xml' | 'bad_event',
    detail = '',
  ) {
    super(detail || reason);
  }
}

// Entities are not expanded (nothing here needs them, and it closes the door on entity bombs).
let parser: XMLParser | null = null;
const xmlDoc = () =>
  (parser ??= new (xmlParser().XMLParser)({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, processEntities: false, trimValues: true }));

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

export function parseAlert(xml: string): HikvisionAlert {
  // cameras send no DTD; refusing one keeps entity tricks out altogether
  if (!xml.trim() || /<!DOCTYPE/i.test(xml) || xmlParser().XMLValidator.validate(xml) !== true) throw new AlertError('bad_xml');
  let doc: any;
  try {
    doc = xmlDoc().parse(xml);
  } catch (e) {
    throw new AlertError('bad_xml', (e as Error).message.slice(0, 100));
  }
  const a = doc?.EventNotificationAlert;
  if (!a || typeof a !== 'object') throw new AlertError('bad_event', 'no EventNotificationAlert');
  const eventType = text(a.eventType);
  if (!eventType || eventType.length > 60) throw new AlertError('bad_event', 'eventType');
  const state = (text(a.eventState) ?? 'active').toLowerCase();
  const rawMac = text(a.macAddress);
  const mac = rawMac ? normaliseMac(rawMac) : null;
  if (rawMac && !mac) throw new AlertError('bad_event', 'macAddress');
  const ch = text(a.channelID) ?? text(a.dynChannelID);
  const channel = ch && /^\d{1,4}$/.test(ch) ? Number(ch) : null;
  const dateTime = text(a.dateTime);
  const count = text(a.activePostCount) ?? '1';
  const ip = text(a.ipAddress) ?? text(a.ipv6Address);
  return {
    kind: hikvisionKinds[eventType.toLowerCase()] ?? null,
    eventType,
    active: state === 'active',
    mac,
    ip: ip && ip.length <= 45 ? ip : null,
    channel,
    dateTime,
    key: `hik:${channel ?? 0}:${eventType.toLowerCase()}:${dateTime ?? ''}:${count}`.slice(0, 100),
    detail: {
      vendor: 'hikvision',
      eventType,
      eventState: state,
      description: text(a.eventDescription)?.slice(0, 200) ?? null,
      channel,
      mac,
      ip,
      activePostCount: Number(count) || null,
    },
  };
}
