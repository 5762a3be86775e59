// `npm run api:types`: writes web/src/shared/api/openapi.json and schema.d.ts from the app's OpenAPI document.
import { renderClientFiles, schemaFile, openapiFile, writeClientFiles } from './openapi-client.js';

writeClientFiles(await renderClientFiles());
console.log(`wrote ${openapiFile} and ${schemaFile}`);
process.exit(0);
