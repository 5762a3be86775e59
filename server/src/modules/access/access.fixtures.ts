// Test fixtures for the access tests: the test world with door controllers, doors, residents and
// signed-in clients. Test-only.
import type { Kernel } from '../../kernel/index.js';
import type { App } from '../../kernel/app.js';
import { PlacesService } from '../registry/index.js';
import { createDevice } from '../devices/index.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD } from '../../test/fixtures.js';
import { login, loginResident, anonymous } from '../../test/session.js';
import { AccessSetupService } from './access.setup.service.js';
import type { PointBody } from './access.schema.js';
import { systemActor } from '../../test/fixtures.js';

export async function buildDoors(k: Kernel, app: App, tag = 'a') {
  const w = await buildWorld(k);
  const places = new PlacesService(k);
  const unit1 = (await places.repo.byId(w.house1.parent_id!))!;
  const building1 = (await places.repo.byId(unit1.parent_id!))!;
  // a second building in estate 1: its people may pass the estate gate but not building 1's door
  const b3 = await places.insertPlace({ kind: 'building', name: '3号楼' }, w.estate1);
  const u3 = await places.insertPlace({ kind: 'unit', name: '1单元' }, b3);
  const house3 = await places.insertPlace({ kind: 'house', name: '301', floor: 3, areaM2: 70 }, u3);

  const ctl = await createDevice(k, { typeCode: 'door_controller', placeId: w.estate1.id, name: '东门控制器' });
  const ctl2 = await createDevice(k, { typeCode: 'door_controller', placeId: w.estate2.id, name: '南湖控制器' });
  const meter = await createDevice(k, { typeCode: 'water_meter', placeId: w.estate1.id, name: '水表' });
  const setup = new AccessSetupService(k);
  const admin = systemActor();
  const mk = (placeId: string, kind: PointBody['kind'], name: string, controllerId: string, direction: PointBody['direction'] = 'both') =>
    setup.createPoint(admin, { placeId, kind, name, direction, controllerId }, '127.0.0.1');
  const gate = await mk(w.estate1.id, 'estate_gate', '东门', ctl.id);
  const gateOut = await mk(w.estate1.id, 'estate_gate', '东门出口', ctl.id, 'out');
  const gateIn = await mk(w.estate1.id, 'estate_gate', '东门入口', ctl.id, 'in');
  const unitDoor = await mk(unit1.id, 'unit_door', '1号楼1单元', ctl.id);
  const c2gate = await mk(w.estate2.id, 'estate_gate', '南湖大门', ctl2.id);

  const me = await buildResident(k, w.house1, { name: '李娜', phone: `1390000${tag === 'a' ? '1111' : '3333'}` });
  const far = await buildResident(k, house3, { name: '赵强', phone: `1390000${tag === 'a' ? '2222' : '4444'}` });
  const other = await buildResident(k, w.house2, { name: '周敏', phone: `1390000${tag === 'a' ? '5555' : '6666'}` });
  await buildResidentUser(k, me, w.c1);
  await buildResidentUser(k, other, w.c2);
  await buildStaff(k, `${tag}_pm`, 'property_manager', w.c1);
  await buildStaff(k, `${tag}_guard`, 'security_guard', w.c1);
  await buildStaff(k, `${tag}_pm2`, 'property_manager', w.c2);
  await buildStaff(k, `${tag}_staff2`, 'community_staff', w.c2);
  const c = {
    resident: await loginResident(app, me.phone!, PASSWORD),
    otherResident: await loginResident(app, other.phone!, PASSWORD),
    pm: await login(app, `${tag}_pm`, PASSWORD),
    guard: await login(app, `${tag}_guard`, PASSWORD),
    pm2: await login(app, `${tag}_pm2`, PASSWORD),
    staff2: await login(app, `${tag}_staff2`, PASSWORD),
  };
  const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
  let seq = 0;
  /** A controller's decision request (Basic auth). */
  const decide = async (body: Record<string, unknown>, dev = ctl) => {
    const res = await anonymous(app).req(
      'POST',
      '/api/v1/access/decisions',
      { eventId: `ev-${tag}-${++seq}`, ...body },
      { authorization: basic(dev.id, dev.secret) },
    );
    return res;
  };
  const asController = (method: string, url: string, body?: unknown, dev = ctl) =>
    anonymous(app).req(method, url, body, { authorization: basic(dev.id, dev.secret) });
  /**
   * The access-log entries of these controller events in community 1, as its property manager
   * reads them through the log API. Never read access_log directly after a decision: on a SQLite
   * file the row is committed by the writer thread shortly after the answer, and the log's reader
   * waits for what was queued (access.logthread.ts).
   */
  const logged = async (...eventIds: string[]) => {
    const items: { eventId: string; result: string; reason: string; offline: boolean }[] = [];
    for (let page = 1; ; page++) {
      const r = await c.pm.get(`/api/v1/access/log?pageSize=200&page=${page}`);
      if (r.status !== 200) throw new Error(`access log: ${r.status} ${r.body}`);
      items.push(...(r.json.items as typeof items).filter((i) => eventIds.includes(i.eventId)));
      if (page * 200 >= r.json.total) return items.sort((x, y) => x.eventId.localeCompare(y.eventId));
    }
  };
  return { w, building1, unit1, house3, ctl, ctl2, meter, gate, gateIn, gateOut, unitDoor, c2gate, me, far, other, c, decide, asController, basic, logged };
}
