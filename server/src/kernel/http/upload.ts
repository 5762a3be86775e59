// One uploaded file from a multipart request (field `file`), read into memory with a size limit:
// 415 when the request is not multipart, 422 when no file came, 413 (`files.too_large`, with the
// limit) when it is larger. The routes that take a photo, an attachment or a spreadsheet use it;
// sendStoredFile answers with one.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalid } from './errors.js';

const mb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export async function readUpload(req: FastifyRequest, maxBytes: number): Promise<{ filename: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError(415, 'http.unsupported_media_type');
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw invalid([{ field: 'file', code: 'validation.required' }]);
  try {
    return { filename: part.filename, data: await part.toBuffer() };
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'files.too_large', { limit: mb(maxBytes) });
    throw e;
  }
}

/**
 * Content-Disposition (RFC 6266) for a stored file: images `inline` (the web shows them), any
 * other kind `attachment` (a PDF or a spreadsheet is saved, never rendered on our origin). The
 * name goes in `filename*` (RFC 8187: UTF-8, percent-encoded beyond attr-char) with a plain
 * ASCII `filename` for old clients (non-ASCII, quotes, backslashes and controls become "_").
 */
export function contentDisposition(kind: string, name: string): string {
  const type = kind === 'image' ? 'inline' : 'attachment';
  // eslint-disable-next-line no-control-regex
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = Array.from(Buffer.from(name, 'utf8'))
    .map((b) => (/[A-Za-z0-9!#$&+\-.^_`|~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0')))
    .join('');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Answer with a stored file (a photo, an attachment): its type and disposition, private caching, no sniffing. */
export function sendStoredFile(reply: FastifyReply, f: { meta: { mime: string; kind: string; name: string }; data: Buffer }) {
  return reply
    .type(f.meta.mime)
    .header('content-disposition', contentDisposition(f.meta.kind, f.meta.name))
    .header('cache-control', 'private, max-age=3600')
    .header('x-content-type-options', 'nosniff')
    .send(f.data);
}
