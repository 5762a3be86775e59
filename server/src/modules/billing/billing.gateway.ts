// The payment gateway interface and its one protocol: Alipay's open API. Requests are signed by
// the merchant key, asynchronous notifications and API responses by the gateway key, with
// RSA-SHA256 ("RSA2") over the parameters sorted by name as k=v joined by & (sign left out,
// empty values left out; sign_type kept in requests, and in notifications either way — see
// verifyParams), the signature base64. The sandbox gateway
// speaks exactly this, so pointing the settings at the real gateway changes no code.
import crypto from 'node:crypto';
import { formatYuan } from '../../kernel/money.js';

export type Params = Record<string, string>;

/** The signed text. `withSignType`: keep sign_type in it (the "V2" content of notifications, see verifyParams). */
export function signContent(params: Params, withSignType = false): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && (withSignType || k !== 'sign_type') && params[k] !== undefined && params[k] !== null && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

type Key = string | crypto.KeyObject;

export function rsaSign(content: string, privateKeyPem: Key): string {
  return crypto.sign('RSA-SHA256', Buffer.from(content, 'utf8'), privateKeyPem).toString('base64');
}

export function rsaVerify(content: string, signature: string, publicKeyPem: Key): boolean {
  try {
    return crypto.verify('RSA-SHA256', Buffer.from(content, 'utf8'), publicKeyPem, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Sign a request as Alipay's SDK does (src/util.ts sign()): sign_type is part of the signed text. */
export function signParams(params: Params, privateKeyPem: Key): Params {
  const withType = { ...params, sign_type: 'RSA2' };
  return { ...withType, sign: rsaSign(signContent(withType, true), privateKeyPem) };
}

/** Sign the way Alipay signs trade notifications ("V1": sign_type outside the signed text); the sandbox gateway. */
export function signNotification(params: Params, privateKeyPem: Key): Params {
  return { ...params, sign_type: 'RSA2', sign: rsaSign(signContent(params), privateKeyPem) };
}

/**
 * Is this notification signed by the key? Alipay signs some notifications with sign_type inside
 * the signed text ("V2", e.g. alipay.open.servicemarket.order.notify) and others without it
 * ("V1", trade_status_sync). Like Alipay's Node SDK (alipay-sdk-nodejs-all, src/alipay.ts
 * checkNotifySign: rsaCheckV2 then rsaCheckV1, sign_type put back as RSA2 when a caller dropped
 * it), try the text with sign_type first, then without. Only RSA2 is accepted.
 */
export function verifyParams(params: Params, publicKeyPem: Key): boolean {
  if (!params.sign || (params.sign_type && params.sign_type !== 'RSA2')) return false;
  if (rsaVerify(signContent({ ...params, sign_type: 'RSA2' }, true), params.sign, publicKeyPem)) return true;
  return rsaVerify(signContent(params), params.sign, publicKeyPem);
}

/** "yyyy-MM-dd HH:mm:ss" in China time, as the protocol writes timestamps. */
export function gatewayTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

export interface OrderRequest {
  outTradeNo: string;
  amountFen: number;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  timeoutMinutes: number;
  now: Date;
}

export interface GatewayResult {
  ok: boolean;
  code: string;
  message: string;
  body: Record<string, unknown>;
}

export interface PaymentGateway {
  readonly appId: string;
  readonly sellerId: string | null;
  /** Where the payer's browser goes to pay (the signed page-pay request). */
  payUrl(o: OrderRequest): string;
  /** Is this notification signed by the gateway? */
  verify(params: Params): boolean;
  refund(o: { outTradeNo: string; outRequestNo: string; amountFen: number; reason: string; now: Date }): Promise<GatewayResult>;
  close(o: { outTradeNo: string; now: Date }): Promise<GatewayResult>;
}

export class AlipayGateway implements PaymentGateway {
  // parsed once: parsing a PEM costs more than the RSA verification itself
  private merchantKey: crypto.KeyObject;
  private gatewayKey: crypto.KeyObject;
  constructor(private o: { gatewayUrl: string; appId: string; sellerId: string | null; merchantPrivateKey: string; gatewayPublicKey: string }) {
    this.merchantKey = crypto.createPrivateKey(o.merchantPrivateKey);
    this.gatewayKey = crypto.createPublicKey(o.gatewayPublicKey);
  }

  get appId() {
    return this.o.appId;
  }
  get sellerId() {
    return this.o.sellerId;
  }

  private request(method: string, biz: Record<string, unknown>, now: Date, extra: Params = {}): Params {
    return signParams(
      { app_id: this.o.appId, method, charset: 'utf-8', timestamp: gatewayTime(now), version: '1.0', biz_content: JSON.stringify(biz), ...extra },
      this.merchantKey,
    );
  }

  payUrl(r: OrderRequest): string {
    const params = this.request(
      'alipay.trade.page.pay',
      {
        out_trade_no: r.outTradeNo,
        total_amount: formatYuan(r.amountFen),
        subject: r.subject,
        product_code: 'FAST_INSTANT_TRADE_PAY',
        timeout_express: `${r.timeoutMinutes}m`,
      },
      r.now,
      { notify_url: r.notifyUrl, return_url: r.returnUrl },
    );
    return `${this.o.gatewayUrl}?${new URLSearchParams(params).toString()}`;
  }

  verify(params: Params): boolean {
    return verifyParams(params, this.gatewayKey);
  }

  /**
   * Call an API method. The response is {"<method>_response": {...}, "sign": "..."}; the sign
   * covers the exact JSON text of the response node, so it is cut out of the raw body.
   */
  private async call(method: string, biz: Record<string, unknown>, now: Date): Promise<GatewayResult> {
    let text: string;
    try {
      const res = await fetch(this.o.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams(this.request(method, biz, now)).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      text = await res.text();
    } catch (e) {
      return { ok: false, code: 'network', message: (e as Error).message, body: {} };
    }
    const node = `${method.replace(/\./g, '_')}_response`;
    const m = new RegExp(`^\\{"${node}":(\\{.*\\}),"sign":"([^"]+)"\\}$`, 's').exec(text.trim());
    if (!m || !rsaVerify(m[1], m[2], this.gatewayKey))
      return { ok: false, code: 'bad_response_signature', message: 'the gateway response is not signed by the gateway', body: {} };
    const body = JSON.parse(m[1]) as Record<string, unknown>;
    return { ok: body.code === '10000', code: String(body.sub_code ?? body.code), message: String(body.sub_msg ?? body.msg ?? ''), body };
  }

  refund(o: { outTradeNo: string; outRequestNo: string; amountFen: number; reason: string; now: Date }) {
    return this.call(
      'alipay.trade.refund',
      { out_trade_no: o.outTradeNo, out_request_no: o.outRequestNo, refund_amount: formatYuan(o.amountFen), refund_reason: o.reason },
      o.now,
    );
  }

  close(o: { outTradeNo: string; now: Date }) {
    return this.call('alipay.trade.close', { out_trade_no: o.outTradeNo }, o.now);
  }
}
