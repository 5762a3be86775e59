// Libraries that most processes never or seldom need (spreadsheets, PDF, HTML sanitising, XML,
// the PostgreSQL and NATS clients on a one-machine install) are loaded on first use instead of at
// start: together they cost tens of megabytes in every Linli process (docs/performance.md,
// memory with 10,000 devices). `lazy('x')` returns a function that requires the package once,
// synchronously (each of these ships a CommonJS build), so callers need not become async.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazy<T>(name: string): () => T {
  let m: T | undefined;
  return () => (m ??= require(name) as T);
}

export const exceljs = lazy<typeof import('exceljs')>('exceljs');
export const pdfkit = lazy<typeof import('pdfkit')>('pdfkit');
export const sanitizeHtml = lazy<typeof import('sanitize-html')>('sanitize-html');
export const xmlParser = lazy<typeof import('fast-xml-parser')>('fast-xml-parser');
export const pgDriver = lazy<typeof import('pg')>('pg');
export const natsClient = lazy<typeof import('nats')>('nats');
export const iconvLite = lazy<typeof import('iconv-lite')>('iconv-lite');
