// Writes the demo sample files from the demo community (server/src/seed/demo-data.ts), in the
// departments' own columns and codes, with the faults real files have:
//   police-household.csv  公安常住人口登记表导出, GBK-encoded CSV
//   civil-welfare.xlsx    民政救助对象名册, XLSX
// Run: npx tsx server/src/modules/exchange/samples/make.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import * as OpenCC from 'opencc-js';
import { generateDemo } from '../../../seed/demo-data.js';
import { samplePeople } from './people.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const d = generateDemo();
const people = samplePeople(d);
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const compact = (date: string) => date.replace(/-/g, '');
const breakCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

// ---- police: 60 residents, 3 with a mistyped ID number, 2 people the registry lacks, 2 bad rows
const police = people.slice(0, 60);
const header = ['户号', '姓名', '性别', '民族', '出生日期', '公民身份号码', '与户主关系', '住址', '联系电话', '登记日期'];
const lines: string[][] = [header];
police.forEach((p, i) => {
  const id = i % 20 === 7 ? breakCheckDigit(p.idNumber) : p.idNumber;
  // the station has an older phone for every tenth person (civil affairs has the newer one)
  const phone = i % 10 === 3 ? '13900000' + String(100 + i).slice(-3) : (p.phone ?? '');
  lines.push([`1101050${String(1000 + i)}`, p.name, p.gender, p.ethnicity, compact(p.birthDate), id, p.relation, p.address, phone, '2019-06-01']);
});
lines.push(['110105099001', '孔令辉', '1', '01', '19880412', '110105198804120019', '02', '花家地社区 外来 1号', '13812340001', '2026-03-02']);
lines.push(['110105099002', '尹雪', '2', '01', '19920817', '110105199208170024', '01', '花家地社区 外来 2号', '', '2026-03-02']);
lines.push(['110105099003', '', '1', '01', '19700101', '', '01', '', '', '2026-03-02']); // no name
lines.push(['110105099004', '冯立', '5', '01', '19700101', '', '01', '', '', '2026-03-02']); // gender code 5 is not the register's
const csv = lines.map((l) => l.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
fs.writeFileSync(path.join(here, 'police-household.csv'), iconv.encode(csv, 'gbk'));

// ---- civil affairs: the roll of people receiving assistance
const categories = ['A01 城市低保', 'B01 特困供养', 'C01 残疾人两项补贴', 'D01 高龄津贴', 'A01 城市低保、C01 残疾人两项补贴'];
const roll = people.filter((_, i) => i % 3 === 0).slice(0, 24);
const wb = new ExcelJS.Workbook();
const ws = wb.addWorksheet('救助对象');
ws.addRow(['序号', '救助对象姓名', '身份证件号码', '性别', '出生年月日', '家庭住址', '联系方式', '保障类别', '月保障金额(元)', '审批日期']);
roll.forEach((p, i) => {
  const policeIndex = people.indexOf(p);
  const noId = i % 6 === 5; // the roll lacks the ID number: matched by name, birth date, phone, address
  const name = i === 11 ? toTraditional(p.name) : p.name;
  const [y, m, day] = p.birthDate.split('-');
  // written 年月日, and for one person with day and month swapped
  const born = noId && i === 5 && Number(day) <= 12 ? `${y}年${Number(day)}月${Number(m)}日` : `${y}年${Number(m)}月${Number(day)}日`;
  const phone = policeIndex % 10 === 3 ? (p.phone ?? '13700000000') : (p.phone ?? '');
  ws.addRow([
    i + 1,
    name,
    noId ? '' : p.idNumber,
    p.gender === '1' ? '男' : '女',
    born,
    p.address.replace(/ /g, ''),
    phone,
    categories[i % categories.length],
    800 + (i % 4) * 100,
    '2026-01-15',
  ]);
});
ws.addRow([roll.length + 1, '郑秀兰', '', '女', '1940年2月30日', '花家地社区', '', 'Z99 其他救助', 500, '2026-01-15']); // unknown category, impossible date
const buf = Buffer.from(await wb.xlsx.writeBuffer());
fs.writeFileSync(path.join(here, 'civil-welfare.xlsx'), buf);
console.log(`police-household.csv: ${lines.length - 1} rows; civil-welfare.xlsx: ${roll.length + 1} rows`);
