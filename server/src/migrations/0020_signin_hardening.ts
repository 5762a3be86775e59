import type { LinliMigration } from '../kernel/db/migrator.js';

// Sign-in hardening (docs/security/signin.md).
// - api_tokens.expires_at: every API token expires (90 days by default). Tokens made before this
//   migration get created_at + 90 days, so none lives forever.
// - otp_codes.ip: the address a code was asked from, for the per-address limit on codes issued.
export const m0020: LinliMigration = {
  name: '0020_signin_hardening',
  async up(db) {
    await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
    const tokens = await db.selectFrom('api_tokens').select(['id', 'created_at']).execute();
    for (const t of tokens) {
      const expires = new Date(Date.parse(t.created_at as string) + 90 * 86_400_000).toISOString();
      await db.updateTable('api_tokens').set({ expires_at: expires }).where('id', '=', t.id).execute();
    }
    await db.schema.alterTable('otp_codes').addColumn('ip', 'text').execute();
    await db.schema.createIndex('otp_codes_ip').on('otp_codes').columns(['ip', 'created_at']).execute();
  },
};
