import type { LinliMigration } from '../kernel/db/migrator.js';

// Cameras' clocks and HTTP Digest sign-in (issue 20, docs/api/incidents.md).
// - cameras.time_zone: the zone a camera's clock runs in, for times it sends without an offset
//   (null: its community's zone).
// - cameras.clock_skew_s / clock_checked_at: the camera's clock minus Linli's (seconds) at its last
//   event that carried a time; more than 5 minutes either way shows the camera as skewed.
// - camera_events.claimed_at: the time the camera gave an event, kept beside `at` (which is the
//   receipt time when the camera's clock is off).
// - devices.digest_ha1_enc: MD5(deviceId:realm:secret) for RFC 7616 Digest, vault-encrypted. Device
//   secrets are stored only as a SHA-256 hash, which Digest cannot use; devices created before this
//   migration get one when their secret is next rotated.
export const m0022: LinliMigration = {
  name: '0022_camera_clock_digest',
  async up(db) {
    await db.schema.alterTable('cameras').addColumn('time_zone', 'text').execute();
    await db.schema.alterTable('cameras').addColumn('clock_skew_s', 'integer').execute();
    await db.schema.alterTable('cameras').addColumn('clock_checked_at', 'text').execute();
    await db.schema.alterTable('camera_events').addColumn('claimed_at', 'text').execute();
    await db.schema.alterTable('devices').addColumn('digest_ha1_enc', 'text').execute();
  },
};
