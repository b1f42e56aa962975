import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../test-support/stores.js';
import { buildApp } from './app.js';
import { tempFile } from '../test-support/files.js';
import { importPersons } from '../features/import/persons.import.js';

describeBothBackends('web app', (backend) => {
  it('answers /healthz with 200 while the store is reachable and 503 when it is not', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const ok = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { status: 'ok' });
    await store.close();
    const down = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(down.statusCode, 503);
    await app.close();
  });

  it('reports counts as JSON and explains a bad date without a stack trace', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const counts = await app.inject({ method: 'GET', url: '/api/v1/stats?on=2024-01-01' });
    assert.equal(counts.statusCode, 200);
    assert.deepEqual(counts.json(), { date: '2024-01-01', in_custody: 0, political_prisoners: 0, released_political_prisoners: 0, died_in_custody: 0 });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/stats?on=yesterday' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.id, 'validation_failed');
    assert.doesNotMatch(bad.body, /at .*\.ts:\d+/);
    await app.close();
  });
});

describeBothBackends('public persons API', (backend) => {
  it('finds published people by any spelling and never shows unpublished people or non-public names', async () => {
    const store = await backend.fresh();
    const people = [
      'external_id,family_name_be,given_name_be,name_latin,publish',
      'pub1,Лосік,Ігар,Ihar Losik,yes',
      'hid1,Калеснікава,Марыя,Maryia Kalesnikava,no',
    ].join('\n');
    await importPersons(store, tempFile('people.csv', people), { actor: 'test' });
    // A published person's alias that is restricted (say, a name used to protect family).
    const published = await store.db.selectFrom('person').select('id').where('external_id', '=', 'pub1').executeTakeFirstOrThrow();
    await store.db
      .insertInto('person_name')
      .values({ person_id: published.id, position: 9, family: 'RESTRICTEDMARKER', given: 'Secret', confidentiality: 'restricted' })
      .execute();
    const app = await buildApp({ store });
    const found = await app.inject({ method: 'GET', url: '/api/v1/public/persons?q=Igor%20Losik' });
    assert.equal(found.statusCode, 200);
    assert.equal(found.json().persons[0].external_id, 'pub1');
    for (const url of ['/api/v1/public/persons?q=Maria%20Kolesnikova', '/api/v1/public/persons', '/api/v1/public/persons?q=Restrictedmarker%20Secret']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200);
      assert.doesNotMatch(response.body, /hid1|Kalesnikava|Калеснікава|RESTRICTEDMARKER/i, url);
    }
    const bad = await app.inject({ method: 'GET', url: '/api/v1/public/persons?limit=1000' });
    assert.equal(bad.statusCode, 400);
    await app.close();
  });
});
