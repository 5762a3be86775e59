// Server-side messages for problem+json titles and field errors. zh-CN first, English second.
// Modules add their own codes with registerMessages(); the kernel's are below.
export type Lang = 'zh-CN' | 'en';
export type Messages = Record<string, { zh: string; en: string }>;

const catalog: Messages = {};

export function registerMessages(m: Messages): void {
  Object.assign(catalog, m);
}

/** Every registered code (a copy), for the test that keeps zh-CN and en in step. */
export function registeredMessages(): Messages {
  return { ...catalog };
}

/** Pick the language from ?lang=, the linli_lang cookie or Accept-Language; zh-CN by default. */
export function pickLang(acceptLanguage: string | undefined, override?: string): Lang {
  const v = (override || acceptLanguage || '').toLowerCase();
  if (override) return v.startsWith('en') ? 'en' : 'zh-CN';
  // first language in the header wins
  const first = v.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export function t(lang: Lang, code: string, params: Record<string, unknown> = {}): string {
  const m = catalog[code];
  const text = m ? (lang === 'en' ? m.en : m.zh) : code;
  return text.replace(/\{(\w+)\}/g, (_, k) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

registerMessages({
  'validation.failed': { zh: '提交的数据有误', en: 'The submitted data is invalid' },
  'validation.required': { zh: '必填', en: 'is required' },
  'validation.unknown_field': { zh: '不允许的字段 {field}', en: 'field {field} is not allowed' },
  'validation.type': { zh: '类型应为 {type}', en: 'must be of type {type}' },
  'validation.format': { zh: '格式不正确（{format}）', en: 'must match format {format}' },
  'validation.pattern': { zh: '格式不正确', en: 'has the wrong format' },
  'validation.enum': { zh: '取值应为 {values} 之一', en: 'must be one of {values}' },
  'validation.min_length': { zh: '长度至少为 {limit}', en: 'must be at least {limit} characters' },
  'validation.max_length': { zh: '长度不能超过 {limit}', en: 'must be at most {limit} characters' },
  'validation.minimum': { zh: '不能小于 {limit}', en: 'must be at least {limit}' },
  'validation.maximum': { zh: '不能大于 {limit}', en: 'must be at most {limit}' },
  'validation.invalid': { zh: '取值无效', en: 'is invalid' },
  'http.not_found': { zh: '找不到该资源', en: 'Not found' },
  'http.route_not_found': { zh: '接口不存在', en: 'No such endpoint' },
  'http.method_not_allowed': { zh: '不支持该请求方法', en: 'Method not allowed' },
  'http.payload_too_large': { zh: '请求内容过大', en: 'The request is too large' },
  'http.unsupported_media_type': { zh: '不支持的内容类型', en: 'Unsupported content type' },
  'http.bad_json': { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  'http.rate_limited': { zh: '请求过于频繁，请 {seconds} 秒后再试', en: 'Too many requests, try again in {seconds} s' },
  'http.internal': { zh: '服务器内部错误', en: 'Internal server error' },
  'http.conflict': { zh: '数据冲突', en: 'Conflict' },
  'auth.required': { zh: '请先登录', en: 'Please sign in' },
  'auth.forbidden': { zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  'auth.csrf': { zh: '请求缺少有效的 CSRF 令牌，请刷新页面', en: 'Missing or invalid CSRF token; reload the page' },
  'auth.bad_credentials': { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.bad_otp': { zh: '验证码错误或已过期', en: 'The code is wrong or has expired' },
  'auth.locked': { zh: '尝试次数过多，请 {minutes} 分钟后再试', en: 'Too many attempts; try again in {minutes} min' },
  'auth.password_too_short': { zh: '密码至少 10 个字符', en: 'Password must be at least 10 characters' },
  'auth.session_expired': { zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  'auth.disabled': { zh: '账号已停用', en: 'This account is disabled' },
  'idempotency.conflict': { zh: '幂等键已用于另一个请求', en: 'The idempotency key was used for a different request' },
  'files.too_large': { zh: '文件过大（上限 {limit}）', en: 'The file is too large (limit {limit})' },
  'files.bad_type': { zh: '不支持的文件类型', en: 'This file type is not accepted' },
});
