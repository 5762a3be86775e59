import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

// Feature bundles: any `web/src/**/locales/{zh-CN,en}.json` beside a feature adds its own
// top-level keys (one namespace per feature, e.g. "billing"), so features never share a file.
type Bundle = Record<string, unknown>;
const featureBundles = import.meta.glob<Bundle>(['../**/locales/*.json', '!./locales/*.json'], { eager: true, import: 'default' });
function withFeatures(base: Bundle, lang: string): Bundle {
  const out: Bundle = { ...base };
  for (const [file, bundle] of Object.entries(featureBundles)) {
    if (!file.endsWith(`/${lang}.json`)) continue;
    for (const [key, value] of Object.entries(bundle)) {
      if (key in out) throw new Error(`i18n: ${file} redefines the top-level key "${key}"`);
      out[key] = value;
    }
  }
  return out;
}

export type Lang = 'zh-CN' | 'en';
const STORAGE_KEY = 'linli.lang';
const COOKIE = 'linli_lang';

function readCookie(name: string): string | null {
  const m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
  return m ? decodeURIComponent(m[1]) : null;
}

function normalize(v: string | null | undefined): Lang | null {
  if (!v) return null;
  if (v.toLowerCase().startsWith('en')) return 'en';
  if (v.toLowerCase().startsWith('zh')) return 'zh-CN';
  return null;
}

function initialLang(): Lang {
  try {
    return normalize(localStorage.getItem(STORAGE_KEY)) ?? normalize(readCookie(COOKIE)) ?? 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function remember(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode */
  }
  document.cookie = `${COOKIE}=${encodeURIComponent(lang)}; path=/; max-age=31536000; SameSite=Lax`;
  document.documentElement.lang = lang;
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: withFeatures(zhCN, 'zh-CN') }, en: { translation: withFeatures(en, 'en') } },
  lng: initialLang(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});
remember(i18n.language as Lang);

export function setLang(lang: Lang): void {
  remember(lang);
  void i18n.changeLanguage(lang);
}

export function pickLabel(item: { zh: string; en: string } | undefined, fallback = ''): string {
  if (!item) return fallback;
  return i18n.language === 'en' ? item.en : item.zh;
}

export default i18n;
