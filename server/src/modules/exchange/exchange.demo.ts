// Demo data of the records-out half: the street office (provider of the registry's records of its
// area), civil affairs and the police station with a machine client each, the demo officer (民警)
// in the police station, one approved agreement (civil affairs reads the welfare fields of 花家地社区
// for the annual 低保 review) and one pending (the police station asks for population fields).
// The demo clients' private keys are written beside the database (exchange-demo-<client>.pem,
// mode 0600) so that a signed request can be tried; real clients keep their own keys.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../kernel/index.js';
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import { localDate } from '../../kernel/time.js';
import { PartiesService } from './parties.js';
import { AgreementsService } from './agreements.js';

export async function seedExchangeOutDemo(
  k: Kernel,
  o: { street: { id: string }; community: { id: string }; officerUserId: string; gov: Actor },
): Promise<void> {
  const parties = new PartiesService(k);
  const agreements = new AgreementsService(k, parties);
  const seed = systemActor('seed.exchange');
  const streetOffice = await parties.createOrg(seed, { code: '11010502600', name: '望京街道办事处', kind: 'street_office', placeId: o.street.id }, null);
  const civil = await parties.createOrg(seed, { code: '11010500MZJ', name: '朝阳区民政局', kind: 'civil_affairs', placeId: o.street.id }, null);
  const police = await parties.createOrg(seed, { code: '11010500WJPCS', name: '望京派出所', kind: 'police', placeId: o.street.id }, null);
  await parties.addOfficer(seed, police.id, o.officerUserId, null);
  const client = async (orgId: string, subsystemCode: string, name: string) => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const c = await parties.createClient(
      seed,
      orgId,
      { subsystemCode, name, publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
      null,
    );
    fs.writeFileSync(path.join(k.config.dataDir, `exchange-demo-${subsystemCode}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    return c;
  };
  const welfare = await client(civil.id, 'welfare', '低保审核系统');
  await client(police.id, 'population', '实有人口管理系统');
  const today = localDate(k.clock.now(), k.config.timeZone);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const approved = await agreements.draft(
    seed,
    {
      title: '花家地社区低保对象年度复核',
      providerOrgId: streetOffice.id,
      consumerOrgId: civil.id,
      consumerClientId: welfare.id,
      dataset: 'registry.residents',
      fields: ['name', 'tags', 'address', 'status'],
      purpose: '最低生活保障对象年度复核（核对在册低保、特困人员的居住状态）',
      legalBasis: '《社会救助暂行办法》第十一条、第十三条',
      placeIds: [o.community.id],
      validFrom: today,
      validTo: nextYear,
      dailyLimit: 2000,
    },
    null,
  );
  await agreements.decide(o.gov, approved.id, 'approve', '同意，仅限复核用途', null);
  await agreements.draft(
    seed,
    {
      title: '花家地社区实有人口核查',
      providerOrgId: streetOffice.id,
      consumerOrgId: police.id,
      dataset: 'registry.residents',
      fields: ['name', 'idNumber', 'phone', 'address'],
      purpose: '实有人口信息核查',
      legalBasis: '《居民身份证法》',
      placeIds: [o.community.id],
      validFrom: today,
      validTo: nextYear,
      dailyLimit: 500,
    },
    null,
  );
}
