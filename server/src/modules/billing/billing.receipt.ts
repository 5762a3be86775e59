// PDF receipts (收款收据) with Chinese text. The font is Noto Sans SC (GB2312 subset, OTF) from
// the @embedpdf/fonts-sc package, read from node_modules; pdfkit embeds only the glyphs used.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pdfkit } from '../../kernel/lazy.js';
import type { Kernel } from '../../kernel/index.js';
import { formatYuan } from '../../kernel/money.js';
import { places, residents } from '../registry/index.js';
import { BillingRepository, type PaymentRow } from './billing.repository.js';
import { houseNames as houseNamesOf } from './billing.houses.js';

let fontCache: Buffer | null = null;
function font(): Buffer {
  if (!fontCache) {
    // the package exports no file paths; its fonts sit beside its dist folder
    const main = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
    fontCache = fs.readFileSync(path.resolve(path.dirname(main), '../fonts/NotoSansHans-Regular.otf'));
  }
  return fontCache;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿'];

/** An amount in fen written in Chinese capital numerals (人民币大写), e.g. 155.50 → 壹佰伍拾伍元伍角整. */
export function capitalYuan(fen: number): string {
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor((fen % 100) / 10);
  const f = fen % 10;
  let out = '';
  if (yuan > 0) {
    const s = String(yuan);
    let zero = false;
    for (let i = 0; i < s.length; i++) {
      const d = Number(s[i]);
      const pos = s.length - 1 - i;
      if (d === 0) zero = true;
      else {
        if (zero) out += '零';
        zero = false;
        out += DIGITS[d] + UNITS[pos % 4];
      }
      if (pos % 4 === 0 && pos > 0) {
        // a group ends (万, 亿) unless all four of its digits were zero
        const group = s.slice(Math.max(0, i - 3), i + 1);
        if (Number(group) > 0) out += GROUPS[pos / 4];
      }
    }
    out += '元';
  }
  if (jiao === 0 && f === 0) return out + '整';
  if (jiao > 0) out += DIGITS[jiao] + '角';
  else if (yuan > 0) out += '零';
  if (f > 0) out += DIGITS[f] + '分';
  else out += '整';
  return out;
}

const channelName: Record<string, string> = { gateway: '网上支付 Online', cash: '现金 Cash', transfer: '银行转账 Bank transfer' };

export async function receiptPdf(k: Kernel, p: PaymentRow): Promise<Buffer> {
  const repo = new BillingRepository(k.db);
  const items = await repo.paymentItems(p.id);
  const bills = new Map((await repo.bills(items.map((i) => i.bill_id))).map((b) => [b.id, b]));
  const community = await places.getPlace(k, p.community_id);
  const payer = p.resident_id ? await residents.get(k, p.resident_id) : null;
  const houseNames = await houseNamesOf(
    k,
    [...bills.values()].map((b) => b.house_id),
  );
  const paidLocal = p.paid_at ? new Date(p.paid_at).toLocaleString('zh-CN', { timeZone: k.config.timeZone, hour12: false }) : '';

  const doc = new (pdfkit())({ size: 'A5', layout: 'landscape', margin: 36, info: { Title: `收款收据 ${p.receipt_no}`, Author: 'Linli 邻里' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', font());
  doc.font('cjk');

  doc.fontSize(18).text('收 款 收 据', { align: 'center' });
  doc.fontSize(9).fillColor('#666').text('RECEIPT', { align: 'center' }).moveDown(0.6);
  doc.fillColor('#000').fontSize(10);
  const line = (label: string, value: string) => doc.text(`${label}：${value}`);
  line('收据编号 No.', p.receipt_no ?? '');
  line('收款单位 Payee', community?.name ?? '');
  line('付款人 Payer', payer?.name ?? '');
  line('收款日期 Date', paidLocal);
  line(
    '付款方式 Method',
    `${channelName[p.channel] ?? p.channel}${p.trade_no ? `（交易号 ${p.trade_no}）` : ''}${p.offline_ref ? `（凭证 ${p.offline_ref}）` : ''}`,
  );
  doc.moveDown(0.5);

  const x = doc.page.margins.left;
  const cols = [x, x + 100, x + 260, x + 430];
  let y = doc.y;
  doc.fontSize(9).fillColor('#444');
  ['账单号 Bill', '项目 Item', '房屋 House', '金额（元）Amount'].forEach((h, i) =>
    doc.text(h, cols[i], y, { width: i === 3 ? 90 : cols[i + 1] - cols[i] - 6, lineBreak: false }),
  );
  y += 16;
  doc
    .moveTo(x, y - 3)
    .lineTo(x + 520, y - 3)
    .strokeColor('#999')
    .stroke();
  doc.fillColor('#000');
  for (const it of items) {
    const b = bills.get(it.bill_id)!;
    // one line per bill: long texts are cut with an ellipsis (height bounds the box)
    doc.text(b.number, cols[0], y, { width: 96, height: 12, lineBreak: false });
    doc.text(b.subject_zh, cols[1], y, { width: 154, height: 12, ellipsis: true });
    doc.text(b.house_id ? (houseNames.get(b.house_id) ?? '') : '', cols[2], y, { width: 164, height: 12, ellipsis: true });
    doc.text(formatYuan(it.amount_fen), cols[3], y, { width: 90, align: 'right', lineBreak: false });
    y += 15;
  }
  doc
    .moveTo(x, y)
    .lineTo(x + 520, y)
    .stroke();
  doc.fontSize(11).text(`合计 Total：¥${formatYuan(p.amount_fen)}　人民币（大写）${capitalYuan(p.amount_fen)}`, x, y + 8);
  if (p.refunded_fen > 0)
    doc
      .fontSize(10)
      .fillColor('#c00')
      .text(`已退款 Refunded：¥${formatYuan(p.refunded_fen)}`)
      .fillColor('#000');
  doc
    .moveDown(1)
    .fontSize(8)
    .fillColor('#666')
    .text('本收据由邻里平台生成，可凭收据编号在平台核验。This receipt was issued by Linli and can be verified by its number.');
  doc.end();
  return done;
}
