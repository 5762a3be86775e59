#!/usr/bin/env node
// The `linli` command (npx linli …): runs server/src/cli.ts through tsx.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { register } = await import('tsx/esm/api');
register();
await import(path.join(root, 'server/src/cli.ts'));
