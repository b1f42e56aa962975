/**
 * `vigil import facilities` against DOMAIN.md's contract: name (required), type, address (postal, for
 * letters), region, lat, lon; all or nothing with line and column named; a second import changes
 * nothing; columns not in the file keep what is stored (a directory of addresses does not wipe coordinates).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import type { VigilError } from '../../errors.js';
import { historyOf } from '../../store/history.repository.js';
import type { Store } from '../../store/connection.js';
import { importFacilities } from './facilities.import.js';

const actor = 'test:importer';

const DIRECTORY = [
  'name,type,address,region,lat,lon',
  'Penal colony 3 Vitebsk,penal_colony,"211322, Витебская обл., п. Витьба, ИК-3",Vitebsk Region,55.1185,30.2719',
  'SIZO-1 Minsk,,"220030, г. Минск, ул. Володарского, 2",Minsk city,53.8995,27.5466',
  'Prison No. 4 Mahilioŭ,prison,,Mahilioŭ Region,,',
].join('\n');

async function facilities(store: Store) {
  return store.db.selectFrom('facility').select(['name', 'type', 'address', 'region', 'lat', 'lon', 'version']).orderBy('name').execute();
}

async function rejected(promise: Promise<unknown>): Promise<VigilError> {
  try {
    await promise;
  } catch (error) {
    return error as VigilError;
  }
  assert.fail('the import was accepted but should have been rejected');
}

describeBothBackends('vigil import facilities', (backend) => {
  it('loads postal addresses, regions and coordinates; a second import changes nothing', async () => {
    const store = await backend.fresh();
    const report = await importFacilities(store, tempFile('facilities.csv', DIRECTORY), { actor });
    assert.deepEqual([report.created, report.updated, report.unchanged], [3, 0, 0]);
    assert.deepEqual(await facilities(store), [
      { name: 'Penal colony 3 Vitebsk', type: 'penal_colony', address: '211322, Витебская обл., п. Витьба, ИК-3', region: 'Vitebsk Region', lat: 55.1185, lon: 30.2719, version: 1 },
      { name: 'Prison No. 4 Mahilioŭ', type: 'prison', address: null, region: 'Mahilioŭ Region', lat: null, lon: null, version: 1 },
      { name: 'SIZO-1 Minsk', type: 'sizo', address: '220030, г. Минск, ул. Володарского, 2', region: 'Minsk city', lat: 53.8995, lon: 27.5466, version: 1 },
    ]);
    const again = await importFacilities(store, tempFile('facilities.csv', DIRECTORY), { actor });
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 3]);
  });

  it('keeps what the file does not give: a file of addresses leaves types, regions and coordinates as they are', async () => {
    const store = await backend.fresh();
    await importFacilities(store, tempFile('facilities.csv', DIRECTORY), { actor });
    const addresses = ['name,address', 'SIZO-1 Minsk,"220030, Минск, Володарского 2"', 'Penal colony 3 Vitebsk,"211322, п. Витьба"'].join('\n');
    const report = await importFacilities(store, tempFile('addresses.csv', addresses), { actor });
    assert.deepEqual([report.created, report.updated, report.unchanged], [0, 2, 0]);
    const sizo = (await facilities(store)).find((f) => f.name === 'SIZO-1 Minsk')!;
    assert.deepEqual(sizo, { name: 'SIZO-1 Minsk', type: 'sizo', address: '220030, Минск, Володарского 2', region: 'Minsk city', lat: 53.8995, lon: 27.5466, version: 2 });
    const row = await store.db.selectFrom('facility').select('id').where('name', '=', 'SIZO-1 Minsk').executeTakeFirstOrThrow();
    const history = await historyOf(store.db, 'facility', row.id);
    assert.deepEqual((history[1]!.before as { address: string }).address, '220030, г. Минск, ул. Володарского, 2', 'the old address stays in the history');
    // An empty type keeps the stored one; an empty address in an address column clears it.
    await importFacilities(store, tempFile('retype.csv', 'name,type,address\nPenal colony 3 Vitebsk,,\n'), { actor });
    const colony = (await facilities(store)).find((f) => f.name === 'Penal colony 3 Vitebsk')!;
    assert.deepEqual([colony.type, colony.address, colony.lat], ['penal_colony', null, 55.1185]);
  });

  it('refuses a file with a coordinate missing its pair or out of range, naming line and column, and writes nothing', async () => {
    const store = await backend.fresh();
    const bad = ['name,lat,lon', 'Good colony,54.1,28.3', 'Half colony,54.1,', 'Far colony,54.1,200'].join('\n');
    const error = await rejected(importFacilities(store, tempFile('bad.csv', bad), { actor }));
    assert.match(error.message, /line 3, column lon: is empty while lat is given/);
    const problems = (error.details as { line: number; column: string; message: string }[]).map((p) => [p.line, p.column, p.message]);
    assert.deepEqual(problems, [[3, 'lon', 'is empty while lat is given: give both coordinates or neither'], [4, 'lon', 'must be between -180 and 180 (longitude)']]);
    assert.deepEqual(await facilities(store), []);
    const unknown = await rejected(importFacilities(store, tempFile('unknown.csv', 'name,postcode\nX,220030\n'), { actor }));
    assert.match(unknown.message, /postcode/);
  });
});
