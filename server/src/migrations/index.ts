// The one ordered migration timeline. Append; never edit a migration that has shipped.
import type { LinliMigration } from '../kernel/db/migrator.js';
import { m0001 } from './0001_kernel.js';
import { m0002 } from './0002_identity.js';
import { m0003 } from './0003_registry.js';
import { m0004 } from './0004_devices.js';
import { m0005 } from './0005_alarms.js';
import { m0006 } from './0006_workorders.js';
import { m0007 } from './0007_access.js';
import { m0008 } from './0008_incidents.js';
import { m0009 } from './0009_billing.js';
import { m0010 } from './0010_services.js';
import { m0011 } from './0011_participation.js';
import { m0012 } from './0012_council.js';
import { m0013 } from './0013_event_outbox.js';
import { m0014 } from './0014_alarm_event_rules.js';
import { m0015 } from './0015_telemetry_clustered.js';
import { m0016 } from './0016_telemetry_recent.js';
import { m0018 } from './0018_chain_checkpoints.js';
import { m0019 } from './0019_file_encryption.js';
import { m0020 } from './0020_signin_hardening.js';
import { m0022 } from './0022_camera_clock_digest.js';
import { m0023 } from './0023_type_scope_registration_reviews.js';
import { m0031 } from './0031_notification_codes.js';
import { m0032 } from './0032_exchange_out.js';
import { m0033 } from './0033_exchange_in.js';
import { m0034 } from './0034_health.js';
import { m0036 } from './0036_health_fhir.js';

export const migrations: LinliMigration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0018,
  m0019,
  m0020,
  m0022,
  m0023,
  m0031,
  m0032,
  m0033,
  m0034,
  m0036,
];
