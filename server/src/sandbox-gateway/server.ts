// Sandbox payment gateway: a stand-in for the real one that speaks the same protocol (Alipay's
// open API, RSA2-signed). It runs as its own process with its own key pair, so Linli can only
// trust it through its public key, exactly as with the real gateway. The pay page lets a person
// (or a browser test) press "pay"; the gateway then POSTs the signed notification to the
// merchant's notify_url and sends the browser back to return_url.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gatewayTime, rsaSign, signNotification, signParams, verifyParams, type Params } from '../modules/billing/billing.gateway.js';

export interface Merchant {
  appId: string;
  sellerId: string;
  publicKey: string;
}

interface Order {
  appId: string;
  outTradeNo: string;
  tradeNo: string;
  totalAmount: string;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  createdAt: Date;
  paidAt: Date | null;
  refunded: number; // fen
  refunds: Map<string, number>;
}

export interface SandboxGateway {
  url: string;
  publicKey: string;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fen = (yuan: string) => Math.round(Number(yuan) * 100);

/** The gateway's key pair, made once and kept in its own directory. */
export function loadKeys(dir: string): { privateKey: string; publicKey: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const priv = path.join(dir, 'gateway-private.pem');
  const pub = path.join(dir, 'gateway-public.pem');
  if (!fs.existsSync(priv)) {
    const kp = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    fs.writeFileSync(priv, kp.privateKey, { mode: 0o600 });
    fs.writeFileSync(pub, kp.publicKey);
  }
  return { privateKey: fs.readFileSync(priv, 'utf8'), publicKey: fs.readFileSync(pub, 'utf8') };
}

async function readForm(req: http.IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json')) return text ? JSON.parse(text) : {};
  return Object.fromEntries(new URLSearchParams(text));
}

export async function startSandboxGateway(o: {
  dir: string;
  port?: number;
  host?: string;
  merchants: Merchant[];
  log?: (msg: string) => void;
}): Promise<SandboxGateway> {
  const pem = loadKeys(o.dir);
  // parsed once: parsing a PEM costs more than the RSA operation itself
  const keys = { privateKey: crypto.createPrivateKey(pem.privateKey), publicKey: pem.publicKey };
  const merchants = new Map(o.merchants.map((m) => [m.appId, { ...m, key: crypto.createPublicKey(m.publicKey) }]));
  const orders = new Map<string, Order>(); // key appId|outTradeNo
  const log = o.log ?? (() => {});

  const notification = (ord: Order, status = ord.status): Params => {
    const m = merchants.get(ord.appId)!;
    return signNotification(
      {
        notify_time: gatewayTime(new Date()),
        notify_type: 'trade_status_sync',
        notify_id: crypto.randomUUID().replace(/-/g, ''),
        app_id: ord.appId,
        charset: 'utf-8',
        version: '1.0',
        trade_no: ord.tradeNo,
        out_trade_no: ord.outTradeNo,
        total_amount: ord.totalAmount,
        receipt_amount: ord.totalAmount,
        buyer_pay_amount: ord.totalAmount,
        seller_id: m.sellerId,
        trade_status: status,
        subject: ord.subject,
        gmt_create: gatewayTime(ord.createdAt),
        ...(ord.paidAt ? { gmt_payment: gatewayTime(ord.paidAt) } : {}),
      },
      keys.privateKey,
    );
  };

  /** POST the notification; the merchant must answer "success" (retried a few times, as the real gateway does over hours). */
  const deliver = async (ord: Order, attempts = 3): Promise<string> => {
    let last = '';
    for (let i = 0; i < attempts; i++) {
      try {
        const res = await fetch(ord.notifyUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
          body: new URLSearchParams(notification(ord)).toString(),
          signal: AbortSignal.timeout(10_000),
        });
        last = (await res.text()).trim();
        if (last === 'success') return last;
      } catch (e) {
        last = (e as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200 * (i + 1)));
    }
    log(`notification for ${ord.outTradeNo} not acknowledged: ${last}`);
    return last;
  };

  const pay = (ord: Order) => {
    if (ord.status === 'WAIT_BUYER_PAY') {
      ord.status = 'TRADE_SUCCESS';
      ord.paidAt = new Date();
    }
  };

  const apiReply = (res: http.ServerResponse, method: string, body: Record<string, unknown>) => {
    const json = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
    res.end(`{"${method.replace(/\./g, '_')}_response":${json},"sign":"${rsaSign(json, keys.privateKey)}"}`);
  };
  const fail = (sub: string, msg: string) => ({ code: '40004', msg: 'Business Failed', sub_code: sub, sub_msg: msg });

  const api = (p: Params, res: http.ServerResponse) => {
    const m = merchants.get(p.app_id);
    if (!m || !verifyParams(p, m.key))
      return apiReply(res, p.method ?? 'error', { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: 'bad signature' });
    const biz = JSON.parse(p.biz_content || '{}');
    const ord = orders.get(`${p.app_id}|${biz.out_trade_no}`);
    if (!ord) return apiReply(res, p.method, fail('ACQ.TRADE_NOT_EXIST', 'no such trade'));
    switch (p.method) {
      case 'alipay.trade.query':
        return apiReply(res, p.method, {
          code: '10000',
          msg: 'Success',
          out_trade_no: ord.outTradeNo,
          trade_no: ord.tradeNo,
          trade_status: ord.status,
          total_amount: ord.totalAmount,
        });
      case 'alipay.trade.close':
        if (ord.status === 'TRADE_SUCCESS') return apiReply(res, p.method, fail('ACQ.TRADE_STATUS_ERROR', 'trade already paid'));
        ord.status = 'TRADE_CLOSED';
        return apiReply(res, p.method, { code: '10000', msg: 'Success', out_trade_no: ord.outTradeNo, trade_no: ord.tradeNo });
      case 'alipay.trade.refund': {
        if (ord.status !== 'TRADE_SUCCESS') return apiReply(res, p.method, fail('ACQ.TRADE_STATUS_ERROR', 'trade not paid'));
        const amount = fen(String(biz.refund_amount));
        const again = ord.refunds.get(String(biz.out_request_no));
        if (again === undefined) {
          if (!(amount > 0) || ord.refunded + amount > fen(ord.totalAmount))
            return apiReply(res, p.method, fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'refund exceeds the trade'));
          ord.refunds.set(String(biz.out_request_no), amount);
          ord.refunded += amount;
        }
        return apiReply(res, p.method, {
          code: '10000',
          msg: 'Success',
          out_trade_no: ord.outTradeNo,
          trade_no: ord.tradeNo,
          refund_fee: (ord.refunded / 100).toFixed(2),
          fund_change: again === undefined ? 'Y' : 'N',
        });
      }
      default:
        return apiReply(res, p.method ?? 'error', { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method', sub_msg: 'unknown method' });
    }
  };

  const page = (res: http.ServerResponse, status: number, title: string, body: string) => {
    res.writeHead(status, { 'content-type': 'text/html;charset=utf-8' });
    res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:420px;margin:40px auto;padding:0 16px;color:#222}.amt{font-size:32px;margin:16px 0}button{font-size:18px;padding:10px 24px;margin-right:8px}.note{color:#888;font-size:13px}</style></head>
<body><p class="note">沙箱支付网关 Sandbox payment gateway — 不产生真实扣款 no real money</p>${body}</body></html>`);
  };

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (req.method === 'GET' && url.pathname === '/healthz') return void res.end('ok');
      if (url.pathname === '/gateway.do' && req.method === 'POST') return api(await readForm(req), res);
      if (url.pathname === '/gateway.do' && req.method === 'GET') {
        const p = Object.fromEntries(url.searchParams);
        const m = merchants.get(p.app_id);
        if (!m || !verifyParams(p, m.key)) return page(res, 400, '签名错误', '<h2>签名无效 Invalid signature</h2>');
        const biz = JSON.parse(p.biz_content || '{}');
        const key = `${p.app_id}|${biz.out_trade_no}`;
        let ord = orders.get(key);
        if (ord && ord.totalAmount !== biz.total_amount)
          return page(res, 400, '订单冲突', '<h2>订单号已用于其他金额 Order number reused with another amount</h2>');
        if (!ord) {
          ord = {
            appId: p.app_id,
            outTradeNo: biz.out_trade_no,
            tradeNo: `2026${Date.now()}${crypto.randomInt(1000, 9999)}`,
            totalAmount: biz.total_amount,
            subject: biz.subject,
            notifyUrl: p.notify_url,
            returnUrl: p.return_url,
            status: 'WAIT_BUYER_PAY',
            createdAt: new Date(),
            paidAt: null,
            refunded: 0,
            refunds: new Map(),
          };
          orders.set(key, ord);
        }
        if (ord.status !== 'WAIT_BUYER_PAY')
          return page(
            res,
            200,
            '订单状态',
            `<h2 id="sandbox-status">${ord.status === 'TRADE_SUCCESS' ? '已支付 Paid' : '已关闭 Closed'}</h2><p><a href="${esc(ord.returnUrl)}">返回商户 Back to the merchant</a></p>`,
          );
        return page(
          res,
          200,
          '确认付款',
          `<h2>${esc(ord.subject)}</h2><div class="amt" id="sandbox-amount">¥ ${esc(ord.totalAmount)}</div><p class="note">订单号 Order ${esc(ord.outTradeNo)}</p>
<form method="post" action="/sandbox/pay"><input type="hidden" name="app_id" value="${esc(ord.appId)}"><input type="hidden" name="out_trade_no" value="${esc(ord.outTradeNo)}">
<button id="sandbox-pay" type="submit">确认付款 Pay</button><a id="sandbox-cancel" href="${esc(ord.returnUrl)}">取消 Cancel</a></form>`,
        );
      }
      if (url.pathname === '/sandbox/pay' && req.method === 'POST') {
        const p = await readForm(req);
        const ord = orders.get(`${p.app_id}|${p.out_trade_no}`);
        if (!ord || ord.status === 'TRADE_CLOSED') return page(res, 400, '订单无效', '<h2>订单不存在或已关闭 No such open order</h2>');
        pay(ord);
        await deliver(ord);
        const back = new URL(ord.returnUrl);
        for (const [k, v] of Object.entries(
          signParams(
            { app_id: ord.appId, out_trade_no: ord.outTradeNo, trade_no: ord.tradeNo, total_amount: ord.totalAmount, timestamp: gatewayTime(new Date()) },
            keys.privateKey,
          ),
        ))
          back.searchParams.set(k, v);
        res.writeHead(302, { location: back.toString() });
        return void res.end();
      }
      // Scripted payer for tests and the demo: pay an order the merchant created, and hand back the signed notification.
      const apiPay = /^\/sandbox\/api\/orders\/([^/]+)\/(pay|notification)$/.exec(url.pathname);
      if (apiPay && req.method === 'POST') {
        const p = await readForm(req);
        const ord = orders.get(`${p.app_id}|${decodeURIComponent(apiPay[1])}`);
        if (!ord) {
          res.writeHead(404, { 'content-type': 'application/json' });
          return void res.end('{"error":"no such order"}');
        }
        if (apiPay[2] === 'pay') pay(ord);
        const params = notification(ord, (p.trade_status as Order['status']) ?? ord.status);
        const delivered = apiPay[2] === 'pay' && p.deliver !== 'false' && (p.deliver as unknown) !== false ? await deliver(ord) : null;
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ notification: params, delivered }));
      }
      // Statement of paid trades (CSV) for reconciliation, as the real gateway's bill download gives.
      if (url.pathname === '/sandbox/api/statement' && req.method === 'GET') {
        const appId = url.searchParams.get('app_id') ?? '';
        const lines = ['trade_no,out_trade_no,total_amount,refund_amount,gmt_payment,trade_status'];
        for (const ord of orders.values())
          if (ord.appId === appId && ord.paidAt)
            lines.push([ord.tradeNo, ord.outTradeNo, ord.totalAmount, (ord.refunded / 100).toFixed(2), gatewayTime(ord.paidAt), ord.status].join(','));
        res.writeHead(200, { 'content-type': 'text/csv;charset=utf-8' });
        return void res.end(lines.join('\n') + '\n');
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (e) {
      log(`error: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad request');
    }
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const addr = server.address() as { port: number };
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${addr.port}/gateway.do`,
    publicKey: keys.publicKey,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
