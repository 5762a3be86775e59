// Bulk import routes: upload, run (202, background), progress, rejected-rows report.
import { Type } from '@sinclair/typebox';
import type { App } from '../../../kernel/app.js';
import type { Kernel } from '../../../kernel/index.js';
import { requireActor } from '../../../kernel/http/auth.js';
import { AppError, invalid } from '../../../kernel/http/errors.js';
import { XLSX_MIME } from '../../../kernel/files/index.js';
import type { PlacesService } from '../places.service.js';
import type { ResidentsService } from '../residents.service.js';
import { ImportService } from './import.service.js';
import { MAX_FILE_BYTES, formatMb } from './parse.js';

const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const RunBody = Type.Object(
  {
    mapping: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    dryRun: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

export function registerImportRoutes(app: App, k: Kernel, places: PlacesService, residents: ResidentsService) {
  const svc = new ImportService(k, places, residents);
  const config = { auth: { action: 'import', subject: 'Resident' } };

  app.post('/api/v1/imports', { config, schema: { tags: ['registry'], summary: 'Upload a residents or houses spreadsheet (multipart: kind, communityId, file)' } }, async (req, reply) => {
    const actor = requireActor(req);
    const part = await req.file();
    if (!part) throw invalid([{ field: 'file', code: 'validation.required' }]);
    let data: Buffer;
    try {
      data = await part.toBuffer();
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'files.too_large', { limit: formatMb(MAX_FILE_BYTES) });
      throw e;
    }
    const field = (name: string): string | undefined => {
      const f = part.fields[name];
      const v = Array.isArray(f) ? f[0] : f;
      return v && v.type === 'field' ? String(v.value).trim() : undefined;
    };
    const result = await svc.upload(actor, { kind: field('kind'), communityId: field('communityId'), fileName: part.filename || 'upload', data }, req.ip);
    return reply.status(201).send(result);
  });

  app.post('/api/v1/imports/:id/run', { config, schema: { tags: ['registry'], params: IdParam, body: RunBody } }, async (req, reply) =>
    reply.status(202).send(await svc.run(requireActor(req), req.params.id, req.body, req.ip)));

  app.get('/api/v1/imports/:id', { config, schema: { tags: ['registry'], params: IdParam } }, async (req) => svc.get(requireActor(req), req.params.id));

  app.get('/api/v1/imports/:id/report.xlsx', { config, schema: { tags: ['registry'], params: IdParam } }, async (req, reply) => {
    const r = await svc.report(requireActor(req), req.params.id, req.ip);
    return reply.type(XLSX_MIME).header('content-disposition', `attachment; filename="${r.name}"`).send(r.data);
  });

  // let a running import finish its current work before the database closes
  app.addHook('preClose', async () => {
    await Promise.allSettled([...svc.started]);
  });
}
