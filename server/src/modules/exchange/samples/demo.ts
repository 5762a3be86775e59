// Demo seed of the records-in half: a police source and a civil-affairs source of the demo
// community, each loaded with its sample file (samples/police-household.csv, GBK;
// samples/civil-welfare.xlsx) through the same service an upload uses.
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../../kernel/index.js';
import { systemActor } from '../../../kernel/authz/index.js';
import { RecordsService } from '../records.service.js';
import { civilWelfareProfile, policeHouseholdProfile } from '../mapping.js';
import { projectRoot } from '../../../kernel/paths.js';

// from the project root, not this file: `npm start` runs the server as one bundle in server/dist
const here = path.join(projectRoot, 'server/src/modules/exchange/samples');

export async function seedExchangeRecordsDemo(k: Kernel, community: { id: string }) {
  const svc = new RecordsService(k);
  const actor = systemActor('seed.exchange');
  const police = await svc.createSource(
    actor,
    { name: '望京派出所 常住人口登记', department: 'police', placeId: community.id, profile: policeHouseholdProfile },
    '127.0.0.1',
  );
  const civil = await svc.createSource(
    actor,
    { name: '朝阳区民政局 救助对象名册', department: 'civil_affairs', placeId: community.id, profile: civilWelfareProfile },
    '127.0.0.1',
  );
  const policeImport = await svc.upload(
    actor,
    police.id,
    { name: 'police-household.csv', data: fs.readFileSync(path.join(here, 'police-household.csv')) },
    '127.0.0.1',
  );
  const civilImport = await svc.upload(
    actor,
    civil.id,
    { name: 'civil-welfare.xlsx', data: fs.readFileSync(path.join(here, 'civil-welfare.xlsx')) },
    '127.0.0.1',
  );
  return { police, civil, policeImport, civilImport };
}
