// Alipay signatures against Alipay's own published vectors (alipay-sdk-nodejs-all,
// test/alipay.test.ts "checkNotifySign(), checkNotifySignV2()", keys from that test and
// test/fixtures/alipay-notify-sign-public-key-v2.pem), and a request signed like the SDK signs.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rsaVerify, signContent, signNotification, signParams, verifyParams } from './billing.gateway.js';

const pem = (b64: string) => `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;

// "verify sign should not delete sign_type": an alipay.open.servicemarket.order.notify signed WITH sign_type (V2)
const V2_KEY = pem(
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk6DCsBIUhWriFohzRV8Fic6oQWNnLKKILNk97VU5qcHEuxYzCujKoyva5gy1170mFJw4IcgJF8AyS7iDUwzAwF4Pp9CpWxDhUhe7mdQJhjBmvTcPLGFFrzlj6unO5lAcbdwaxPUtSxOaNxPJGrTK/wnKQSbjTMMltp1J68q2Tfgrsn/NdZ6lrxO9rvmky8kowqaH5NjntyHO59jCGabMj5sI14z8N61wB/QuIJrDuzIPMPrSNbq0cOWcSCDG09oUHTp9fk7suDB8UiFcmVTXOvK3d4HbeX8V9YsEMxrwxEoYgRRj6K2qrC6oxw480cqf2ueumCmHg6xrcgkyXK81hwIDAQAB',
);
const V2_NOTIFY: Record<string, string> = {
  app_id: '2017122801303261',
  charset: 'UTF-8',
  commodity_order_id: '2019030800000018079639',
  contactor: '技术支持测试的公司',
  merchant_pid: '2088721996721370',
  method: 'alipay.open.servicemarket.order.notify',
  name: '技术支持测试的公司',
  notify_id: '2019030800222102023008121054923345',
  notify_time: '2019-03-08 10:20:23',
  notify_type: 'servicemarket_order_notify',
  order_item_num: '1',
  order_ticket: '29b1c37d99ab48c5bd5bdaeaeaefbB37',
  order_time: '2019-03-08 10:20:08',
  phone: '17826894615',
  service_code: '58621634',
  sign: 'MsK5SCw8oqLw4f0hiNSd5OVGXxBY3wnQeT8vn5PklJSZFWSZbK4hQbNvkp4ZezeXQH514cEv0ul6Qow8yh6e6yM06LfEL+EZjcpZ0nxzFGRNQ5qq2AUc1OaXQdk92AGvxh+Iq4NGpPQFBd4D8EBJa3NJd8+czMfQskceosOQFqUtLQMYa5DPs+VpN7VM5BdXjaVIuKn5d9Wm2B9dI9ObIM+YRySDkZZPv14DVmUvcrcqJfOR8aHvtSd7B4l92wUQPQgQKNcOQho7xOHS/Bk+Y74AZL2y7TkNmdDoq9OGsThuF5tDW9rI9nVwXxOtsuB+bstra+W7aw9x9DvkKgdSRw==',
  sign_type: 'RSA2',
  timestamp: '2019-03-08 10:20:23',
  title: '麦禾商城模版',
  total_price: '0.00',
  version: '1.0',
};

// "verify sign should delete sign_type": a trade_status_sync signed WITHOUT sign_type (V1)
const V1_KEY = pem(
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqObrdC7hrgAVM98tK0nv3hSQRGGKT4lBsQjHiGjeYZjOPIPHR5knm2jnnz/YGIXIofVHkA/tAlBAd5DrY7YpvI4tP5EONLtZKC2ghBMx7McI2wRD0xiqzxOQr1FuhZGJ8/AUokBzJrzY+aGX2xcOrxFYRlFilvVLTXg4LWjR1tdPkO6+i7wQZAIVMClPkwVRZEbaERRHlKqTzv2gGv5rDU8gRoe1LeaN+6BlbTqHWkQcNCUNrA8C6l17XAXGKDsm/9TFWwO8EPHHHCaQdjtV5/FdcWIt+L8SR1ss7EXTjYDFtxcKVv9rEoY1lX8T4mX+GbXfZHraG5NCF1+XioL5JwIDAQAB',
);
const V1_NOTIFY: Record<string, string> = {
  gmt_create: '2019-08-15 15:56:22',
  charset: 'utf-8',
  seller_email: 'z97-yuquerevenue@service.aliyun.com',
  subject: '语雀空间 500人规模',
  sign: 'QfTb8tqE1BMhS5qAnXtvsF3/jBkEvu9q9en0pdbBUDDjvKycZhQb7h8GDs4FKfi049PynaNuatxSgLb/nLWZpXyyh0LEWdK2S6Ri7nPwrVgOs08zugLO20vOQz44y3ti2Ncm8/wZts1Fr2gZ7pShnVX3d1B50hbsXnObT1r/U8ONNQjWXd0HIul4TG+Q3fm3svmSvFEy0WnzuhcyHPX5Gm4ELNctL6Qd5YniGJFNcc7kopHYtI/XD9YCKCH6Ct02rzUs9i11C9CsadtZn+WhxF26Dqt9sGEFajkJ8cxUTLi8+VCpLHsgPE8P0y095uQcDdK0YjCh4x7wVSov+lrmOQ==',
  buyer_id: '2088102534368455',
  invoice_amount: '0.10',
  notify_id: '2019081500222155624068450559358070',
  fund_bill_list: '[{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"}]', // the SDK's test passes it as an array and JSON.stringifies it
  notify_type: 'trade_status_sync',
  trade_status: 'TRADE_SUCCESS',
  receipt_amount: '0.10',
  buyer_pay_amount: '0.10',
  sign_type: 'RSA2',
  app_id: '2019073166072302',
  seller_id: '2088531891668739',
  gmt_payment: '2019-08-15 15:56:24',
  notify_time: '2019-08-15 15:56:25',
  version: '1.0',
  out_trade_no: '20190815155618536-564-57',
  total_amount: '0.10',
  trade_no: '2019081522001468450512505578',
  auth_app_id: '2019073166072302',
  buyer_logon_id: 'xud***@126.com',
  point_amount: '0.00',
};

describe('Alipay notification signatures (V1 and V2, as the SDK checks them)', () => {
  it('accepts the SDK vector signed with sign_type inside the signed text (V2), with or without sign_type sent', () => {
    expect(verifyParams(V2_NOTIFY, V2_KEY)).toBe(true);
    const { sign_type: _dropped, ...withoutType } = V2_NOTIFY;
    expect(verifyParams(withoutType, V2_KEY)).toBe(true); // the SDK puts RSA2 back
  });

  it('still accepts the SDK vector signed without sign_type (V1)', () => {
    expect(verifyParams(V1_NOTIFY, V1_KEY)).toBe(true);
    const { sign_type: _dropped, ...withoutType } = V1_NOTIFY;
    expect(verifyParams(withoutType, V1_KEY)).toBe(true);
  });

  it('refuses an altered notification, another key and a sign_type other than RSA2', () => {
    expect(verifyParams({ ...V2_NOTIFY, service_code: '58621634111' }, V2_KEY)).toBe(false); // the SDK's "verify fail" case
    expect(verifyParams({ ...V1_NOTIFY, total_amount: '100.00' }, V1_KEY)).toBe(false);
    expect(verifyParams(V2_NOTIFY, V1_KEY)).toBe(false);
    expect(verifyParams({ ...V2_NOTIFY, sign_type: 'RSA' }, V2_KEY)).toBe(false);
    expect(verifyParams({ ...V2_NOTIFY, sign: '' }, V2_KEY)).toBe(false);
  });

  it('signs requests with sign_type in the signed text like the SDK, and sandbox trade notifications like the gateway (V1)', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const req = signParams(
      {
        app_id: '2021000000000000',
        method: 'alipay.trade.close',
        charset: 'utf-8',
        version: '1.0',
        timestamp: '2026-01-01 08:00:00',
        biz_content: '{"out_trade_no":"LL1"}',
      },
      privateKey,
    );
    // the SDK's sign(): every parameter but sign, sorted, sign_type included
    const sdkText = Object.keys(req)
      .filter((k) => k !== 'sign')
      .sort()
      .map((k) => `${k}=${req[k]}`)
      .join('&');
    expect(sdkText).toContain('sign_type=RSA2');
    expect(rsaVerify(sdkText, req.sign, publicKey)).toBe(true);
    const n = signNotification({ notify_type: 'trade_status_sync', out_trade_no: 'LL1', total_amount: '1.00' }, privateKey);
    expect(rsaVerify(signContent(n), n.sign, publicKey)).toBe(true);
    expect(verifyParams(n, publicKey)).toBe(true);
  });
});
