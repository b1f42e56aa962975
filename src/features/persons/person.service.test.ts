import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { importPersons } from '../import/persons.import.js';
import { editPerson, findPerson, personHistory } from './person.service.js';
import type { VigilError } from '../../errors.js';

describeBothBackends('editing a person', (backend) => {
  it('detects a concurrent edit instead of overwriting it, and logs who, when, before, after and why', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', 'external_id,name_latin,region\nx1,Ales Bialiatski,Minsk\n'), { actor: 'test:import' });
    const person = await findPerson(store, 'x1');
    assert.equal(person.version, 1);

    // Two documenters opened version 1; the first saves.
    const saved = await editPerson(store, person.id, 1, { region: 'Homel' }, { actor: 'alice', reason: 'court record of 2021-03-01' });
    assert.equal(saved.version, 2);
    assert.equal(saved.region, 'Homel');

    // The second save is refused, and the first one's change survives.
    await assert.rejects(
      editPerson(store, person.id, 1, { occupation: 'lawyer' }, { actor: 'bob', reason: 'family' }),
      (error: VigilError) => error.id === 'version_conflict' && error.status === 409 && /version 1.*version 2/.test(error.message),
    );
    const current = await findPerson(store, 'x1');
    assert.deepEqual([current.version, current.region, current.occupation], [2, 'Homel', null]);

    const history = await personHistory(store, 'x1');
    assert.equal(history.length, 2);
    const edit = history[1]!;
    assert.deepEqual([edit.version, edit.action, edit.actor, edit.reason], [2, 'update', 'alice', 'court record of 2021-03-01']);
    assert.equal((edit.before as { region: string }).region, 'Minsk');
    assert.equal((edit.after as { region: string }).region, 'Homel');
    assert.match(edit.at, /^\d{4}-\d{2}-\d{2}T/);
  });

  it('refuses an edit without a reason', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', 'external_id,name_latin\nx2,Ihar Losik\n'), { actor: 'test:import' });
    const person = await findPerson(store, 'x2');
    await assert.rejects(editPerson(store, person.id, 1, { region: 'Brest' }, { actor: 'alice', reason: ' ' }), /say why the record changes/);
    assert.equal((await findPerson(store, 'x2')).version, 1);
  });
});
