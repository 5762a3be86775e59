/** Mainland China mobile phone numbers. */

const MOBILE_RE = /^1[3-9]\d{9}$/;

/**
 * Normalise a phone number: full-width digits → ASCII, strip whitespace, dashes,
 * dots and brackets, and drop a leading +86 / 0086 / 86 country prefix when it is
 * followed by exactly 11 digits. Other input is returned cleaned but otherwise intact.
 */
export function normalisePhone(raw: string): string {
  let v = String(raw ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-‐‑–—().]/g, '');
  const m = /^(?:\+86|0086|86)(\d{11})$/.exec(v);
  if (m) v = m[1];
  return v;
}

/** 11 digits starting with 1[3-9]. Expects a normalised value. */
export function isMainlandMobile(v: string): boolean {
  return MOBILE_RE.test(v);
}
