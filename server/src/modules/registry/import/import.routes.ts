// Bulk import routes: upload, run (202, background), progress, rejected-rows report.
import type { App } from '../../../kernel/app.js';
import type { Kernel } from '../../../kernel/index.js';
import { requireActor } from '../../../kernel/http/auth.js';
import { AppError, invalid } from '../../../kernel/http/errors.js';
import { XLSX_MIME } from '../../../kernel/files/index.js';
import type { PlacesService } from '../places.service.js';
import type { ResidentsService } from '../residents.service.js';
import { ImportService } from './import.service.js';
import { MAX_FILE_BYTES, formatMb } from './parse.js';
import { documentedBody, fileUpload } from '../../../kernel/http/contract.js';
import { IdParam, ImportView, RunBody, UploadFields, Uploaded } from './import.schema.js';

export function registerImportRoutes(app: App, k: Kernel, places: PlacesService, residents: ResidentsService) {
  const svc = new ImportService(k, places, residents);
  const config = { auth: { action: 'import', subject: 'Resident' } };

  app.post(
    '/api/v1/imports',
    {
      config: { ...config, ...documentedBody({ 'multipart/form-data': fileUpload(UploadFields) }) },
      schema: { tags: ['registry'], summary: 'Upload a residents or houses spreadsheet (multipart: kind, communityId, file)', response: { 201: Uploaded } },
    },
    async (req, reply) => {
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
    },
  );

  app.post(
    '/api/v1/imports/:id/run',
    { config, schema: { tags: ['registry'], params: IdParam, body: RunBody, response: { 202: ImportView } } },
    async (req, reply) => reply.status(202).send(await svc.run(requireActor(req), req.params.id, req.body, req.ip)),
  );

  app.get('/api/v1/imports/:id', { config, schema: { tags: ['registry'], params: IdParam, response: { 200: ImportView } } }, async (req) =>
    svc.get(requireActor(req), req.params.id),
  );

  app.get(
    '/api/v1/imports/:id/report.xlsx',
    { config: { ...config, rawResponse: true }, schema: { tags: ['registry'], params: IdParam, produces: [XLSX_MIME] } },
    async (req, reply) => {
      const r = await svc.report(requireActor(req), req.params.id, req.ip);
      return reply.type(XLSX_MIME).header('content-disposition', `attachment; filename="${r.name}"`).send(r.data);
    },
  );

  // let a running import finish its current work before the database closes
  app.addHook('preClose', async () => {
    await Promise.allSettled([...svc.started]);
  });
}
