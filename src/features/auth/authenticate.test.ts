/**
 * Who is signed in is found without waiting behind a long write: on SQLite a browser import holds the
 * store's connection for its whole transaction, and the progress page must still know who asks.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { setUpAccount, signInAs } from '../../test-support/accounts.js';
import { buildApp } from '../../web/app.js';
import { authenticate, SESSION_COOKIE } from './authenticate.js';

describeBothBackends('authentication beside a long write', (backend) => {
  it('knows the session while another transaction holds the store', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const secret = await setUpAccount(app, store, 'editor@example.org', 'editor');
    const session = await signInAs(app, 'editor@example.org', secret);
    const cookie = session.cookie.slice(`${SESSION_COOKIE}=`.length);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const longWrite = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('signin_failure').values({ key: 'account:someone', at: new Date().toISOString() }).execute();
      entered();
      await held;
    });
    await inside;
    const answer = await Promise.race([
      authenticate(store, { cookie }),
      new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 2000)),
    ]);
    release();
    await longWrite;
    assert.notEqual(answer, 'waited', 'authentication waited for the other transaction to end');
    assert.equal(answer !== 'waited' && answer.viewer.kind === 'member' && answer.viewer.email, 'editor@example.org');
    await app.close();
  });
});
