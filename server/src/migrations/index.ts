// The one ordered migration timeline. Append; never edit a migration that has shipped.
import type { LinliMigration } from '../kernel/db/migrator.js';
import { m0001 } from './0001_kernel.js';
import { m0002 } from './0002_identity.js';
import { m0003 } from './0003_registry.js';

export const migrations: LinliMigration[] = [m0001, m0002, m0003];
