// The web's typed client cannot drift from the server: the committed openapi.json and schema.d.ts must be
// what `npm run api:types` writes from the app's current OpenAPI document.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { openapiFile, renderClientFiles, schemaFile } from '../kernel/http/openapi-client.js';

it('web/src/shared/api/openapi.json and schema.d.ts are generated from the current routes (npm run api:types regenerates them)', async () => {
  const { json, types } = await renderClientFiles();
  expect(fs.readFileSync(openapiFile, 'utf8')).toBe(json);
  expect(fs.readFileSync(schemaFile, 'utf8')).toBe(types);
}, 60_000);
