import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';
import { delegationMessages } from './identity.delegation.js';
import { passwordMessages } from './identity.password.js';
import { throttleMessages } from './identity.throttle.js';
import { tokenMessages } from './identity.tokens.js';

// Users and role grants: platform admins everywhere; community staff within their community
// (which roles they may hand out: kernel/authz/delegation.ts).
export const identityPermissions: PermissionTable = {
  community_staff: [
    ['read', 'User'],
    ['manage', 'User'],
  ],
};

/** The module's catalog: its own codes and those of its parts (delegation, passwords, throttle, tokens). */
export const identityMessages: Messages = {
  ...delegationMessages,
  ...passwordMessages,
  ...throttleMessages,
  ...tokenMessages,
  'identity.otp.sms': {
    zh: '【邻里】您的登录验证码是 {code}，{minutes} 分钟内有效。如非本人操作请忽略。',
    en: '[Linli] Your sign-in code is {code}, valid for {minutes} minutes. If this was not you, ignore this message.',
  },
  'identity.username_invalid': {
    zh: '用户名只能包含 3-40 位小写字母、数字、下划线、点或连字符',
    en: 'Username must be 3–40 lower-case letters, digits, _ . or -',
  },
  'identity.username_taken': { zh: '用户名已被使用', en: 'This username is taken' },
  'identity.session_not_found': { zh: '会话不存在', en: 'No such session' },
  'identity.user_not_found': { zh: '用户不存在', en: 'No such user' },
};
