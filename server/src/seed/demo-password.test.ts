// `npm start` refuses a non-loopback address while demo accounts have the public demo password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness.js';
import { IdentityService } from '../modules/identity/index.js';
import { buildStaff } from '../test/fixtures.js';
import { DEMO_PASSWORD } from './seed.js';
import { exposureRefusal } from './demo-password.js';

describe('exposure refusal while demo accounts keep the demo password', () => {
  let t: TestApp;
  let demoAdmin: { id: string };
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const id = new IdentityService(t.kernel);
    demoAdmin = await id.createStaffUser({ username: 'admin', displayName: 'admin', password: DEMO_PASSWORD }, null);
    await id.createStaffUser({ username: 'gov', displayName: 'gov', password: DEMO_PASSWORD }, null);
    await buildStaff(t.kernel, 'someone', 'platform_admin', null); // a password of their own
  });
  afterAll(async () => t?.close());

  it('refuses 0.0.0.0 and names the accounts and what to do; loopback is fine', async () => {
    const msg = await exposureRefusal(t.kernel, '0.0.0.0');
    expect(msg).toContain('admin, gov');
    expect(msg).not.toContain('someone');
    expect(msg).toContain(DEMO_PASSWORD);
    expect(msg).toContain('change the password');
    expect(msg).toContain('LINLI_HOST');
    expect(await exposureRefusal(t.kernel, '::')).not.toBeNull();
    expect(await exposureRefusal(t.kernel, '127.0.0.1')).toBeNull();
    expect(await exposureRefusal(t.kernel, 'localhost')).toBeNull();
  });

  it('lets the server be exposed once every demo account has a password of its own (or is disabled)', async () => {
    const id = new IdentityService(t.kernel);
    await id.setPassword(demoAdmin.id, DEMO_PASSWORD, 'plum-orchard-7391-lantern');
    expect(await exposureRefusal(t.kernel, '0.0.0.0')).toContain('gov');
    await t.kernel.db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'gov').execute();
    expect(await exposureRefusal(t.kernel, '0.0.0.0')).toBeNull();
  });
});
