// Passwords: strength rules for every path that sets one, Argon2id hashing, and verification that
// does the same work whether or not the account exists (docs/security/signin.md).
import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { AppError, invalid } from '../../kernel/http/errors.js';
import { t, type Messages } from '../../kernel/http/i18n.js';

export const MIN_PASSWORD = 10;
/** zxcvbn score a new password must reach: 3 = "safely unguessable" (about 10^8 guesses and more). */
export const MIN_SCORE = 3;
const ARGON = { algorithm: 2 /* Argon2id */ } as const;

/** Its messages: part of the identity manifest's catalog (identity.policy.ts). */
export const passwordMessages: Messages = {
  'auth.password_weak': {
    zh: '密码太容易被猜中，请使用更长、更不常见的组合（例如几个不相关的词加数字）',
    en: 'This password is too easy to guess; use a longer, less common one (for example a few unrelated words and digits)',
  },
  'auth.password_personal': {
    zh: '密码不能包含用户名、姓名或手机号',
    en: 'The password must not contain the username, name or phone number',
  },
};

let zxcvbn: ZxcvbnFactory | null = null;
function strength(pw: string, userInputs: string[]) {
  // built on first use: loading the dictionaries costs tens of milliseconds
  zxcvbn ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  return zxcvbn.check(pw, userInputs);
}

/** Who the password is for: it must not contain any of these. */
export interface PasswordOwner {
  username?: string | null;
  displayName?: string | null;
  phone?: string | null;
}

/** Refuses a password that is short, guessable, or contains the owner's username, name or phone (422). */
export function checkPassword(pw: string, owner: PasswordOwner = {}, field = 'password'): void {
  if (pw.length < MIN_PASSWORD) throw invalid([{ field, code: 'auth.password_too_short' }]);
  const lower = pw.toLowerCase();
  const personal = [owner.username, owner.displayName, owner.phone].map((s) => (s ?? '').trim().toLowerCase()).filter((s) => s.length >= 2);
  const digits = lower.replace(/\D/g, '');
  const phoneDigits = (owner.phone ?? '').replace(/\D/g, '').slice(-11);
  if (personal.some((s) => lower.includes(s)) || (phoneDigits.length >= 7 && digits.includes(phoneDigits))) {
    throw invalid([{ field, code: 'auth.password_personal' }]);
  }
  if (strength(pw, personal).score < MIN_SCORE) throw invalid([{ field, code: 'auth.password_weak' }]);
}

export type VerifyFn = (hash: string, password: string) => Promise<boolean>;

export class Passwords {
  private dummy: Promise<string> | null = null;
  /** `verify` is the Argon2 verifier (a test may wrap it to see which hash a sign-in checked). */
  constructor(private readonly verifyFn: VerifyFn = (h, p) => argonVerify(h, p)) {}

  async hash(pw: string, owner: PasswordOwner = {}, field = 'password'): Promise<string> {
    checkPassword(pw, owner, field);
    return argonHash(pw, ARGON);
  }

  /**
   * An Argon2id hash of a random secret, made once per process with the same parameters as real
   * hashes: checking a password for an unknown account (or one without a password) verifies
   * against it, so it costs what a real check costs and always fails.
   */
  dummyHash(): Promise<string> {
    this.dummy ??= argonHash(crypto.randomUUID() + crypto.randomUUID(), ARGON);
    return this.dummy;
  }

  /** Whether `pw` matches `hash`; with no hash, the same work against the dummy hash, then false. */
  async verify(hash: string | null | undefined, pw: string): Promise<boolean> {
    const h = hash || (await this.dummyHash());
    const ok = await this.verifyFn(h, pw).catch(() => false);
    return !!hash && ok;
  }
}

/** Why a password would be refused, in Chinese and English (for the CLI); null when it is fine. */
export function passwordRefusal(pw: string, owner: PasswordOwner = {}): string | null {
  try {
    checkPassword(pw, owner);
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const code = e.fields[0]?.code ?? e.code;
    // from this file's own messages: the command line asks before any app has declared the catalog
    const own = passwordMessages[code];
    return own ? `${own.zh} / ${own.en}` : `${t('zh-CN', code)} / ${t('en', code)}`;
  }
}
