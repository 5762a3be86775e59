// How work orders look on the wire (camelCase, category names in the request's language).
import type { Static } from '@sinclair/typebox';
import type { Lang } from '../../kernel/http/i18n.js';
import type { CategoryView, CostView, EventView, OrderView, PhotoView } from './workorders.schema.js';
import type { CategoryRow, CostRow, EventRow, PhotoRow, WorkOrderRow } from './workorders.repository.js';

export function categoryView(c: CategoryRow, lang: Lang): Static<typeof CategoryView> {
  return {
    id: c.id,
    code: c.code,
    communityId: c.community_id,
    name: lang === 'en' ? c.name_en : c.name_zh,
    nameZh: c.name_zh,
    nameEn: c.name_en,
    priority: c.priority,
    responseMinutes: Number(c.response_minutes),
    resolveMinutes: Number(c.resolve_minutes),
  };
}

/** Place ids on a path worth showing (regions are left out: "花家地社区 花家地西里 1号楼 1单元 101"). */
export function labelIds(path: string): string[] {
  return path.split('/').filter((s) => s && !s.startsWith('reg_'));
}

export function orderView(
  r: WorkOrderRow,
  ctx: { category?: CategoryRow; names: Map<string, string>; lang: Lang; allowedActions: string[] },
): Static<typeof OrderView> {
  return {
    id: r.id,
    number: r.number,
    communityId: r.community_id,
    placeId: r.place_id,
    placePath: r.place_path,
    placeLabel: labelIds(r.place_path)
      .map((id) => ctx.names.get(id) ?? '')
      .filter(Boolean)
      .join(' '),
    houseId: r.house_id,
    residentId: r.resident_id,
    residentName: r.resident_name,
    source: r.source,
    alarmId: r.alarm_id,
    categoryId: r.category_id,
    categoryCode: ctx.category?.code ?? null,
    categoryName: ctx.category ? (ctx.lang === 'en' ? ctx.category.name_en : ctx.category.name_zh) : null,
    priority: r.priority,
    title: r.title,
    description: r.description,
    preferredTime: r.preferred_time,
    status: r.status,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    respondBy: r.respond_by,
    resolveBy: r.resolve_by,
    respondedAt: r.responded_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    overdue: !!r.overdue,
    escalatedAt: r.escalated_at,
    rating: r.rating,
    ratingComment: r.rating_comment,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    allowedActions: ctx.allowedActions,
  };
}

export function eventView(e: EventRow): Static<typeof EventView> {
  return {
    id: e.id,
    at: e.at,
    action: e.action,
    actorId: e.actor_id,
    actorName: e.actor_name,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    note: e.note,
    photoIds: JSON.parse(e.photo_ids || '[]') as string[],
  };
}

export const photoUrl = (fileId: string) => `/api/v1/work-orders/photos/${fileId}`;

export function photoView(p: PhotoRow): Static<typeof PhotoView> {
  return { id: p.file_id, eventId: p.event_id, url: photoUrl(p.file_id) };
}

export function costView(c: CostRow): Static<typeof CostView> {
  return { id: c.id, description: c.description, amountFen: Number(c.amount_fen), createdAt: c.created_at, createdBy: c.created_by };
}
