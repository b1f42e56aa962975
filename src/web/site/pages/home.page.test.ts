/** The home page: today's count and this month's changes over everyone, the chart and its marks. */
import { it, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../../test-support/stores.js';
import { buildApp } from '../../app.js';
import { createPerson } from '../../../features/persons/person.service.js';
import { createEvent } from '../../../features/events/event.service.js';
import type { TimelineMonth } from '../../../features/releases/timeline.service.js';
import { massArrestMonths } from './home.page.js';

const month = (date: string, arrests: number): TimelineMonth => ({
  date, arrests, in_custody: 0, political_prisoners: 0, released_political_prisoners: 0, died_in_custody: 0, released_by_deals: 0, expelled_by_deals: 0, deals: [], sanction_changes: [],
});

test('mass-arrest months stand out from the median month, not from an average the spike itself raises', () => {
  const months = [3, 4, 5, 4, 60, 5, 4, 12, 3].map((n, i) => month(`2020-${String(i + 1).padStart(2, '0')}-28`, n));
  assert.deepEqual(massArrestMonths(months).map((m) => m.arrests), [60, 12]);
  assert.deepEqual(massArrestMonths([month('2020-01-31', 5), month('2020-02-29', 8)]), [], 'small numbers are never "mass"');
});

describeBothBackends('home page', (backend) => {
  it('shows today’s count over everyone (published or not) with the right plural in each language', async () => {
    const store = await backend.fresh();
    const ctx = { actor: 'test', reason: 'fixture' };
    const today = new Date().toISOString().slice(0, 10);
    const monthStart = `${today.slice(0, 7)}-01`;
    for (let i = 0; i < 22; i++) {
      const person = await createPerson(store, {
        external_id: `p${i}`, birth_date: null, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, field_levels: {},
        publish: i % 2 === 0, confidentiality: 'public',
        names: [{ family: `Прозвішча${i}`, given: 'Імя', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
      }, ctx);
      await createEvent(store, person.id, { type: 'detained', date: '2021-05-01' }, ctx);
      await createEvent(store, person.id, { type: 'recognized', date: i === 0 ? monthStart : '2021-06-01' }, ctx);
      if (i === 21) await createEvent(store, person.id, { type: 'released', date: monthStart, reason: 'pardon' }, ctx);
    }
    const app = await buildApp({ store });
    const count = (body: string) => body.match(/<strong class="count">([^<]+)<\/strong>\s*([^<]+)/);
    const be = count((await app.inject({ url: '/?lang=be' })).body);
    assert.equal(be?.[1], '21');
    assert.match(be?.[2] ?? '', /^палітвязень у Беларусі сёння/, '21 takes the "one" form in Belarusian');
    const ru = count((await app.inject({ url: '/?lang=ru' })).body);
    assert.match(ru?.[2] ?? '', /^политзаключённый/);
    const en = (await app.inject({ url: '/?lang=en' })).body;
    assert.match(count(en)?.[2] ?? '', /^political prisoners in Belarus today/);
    assert.match(en, /<strong>1<\/strong> political prisoner released since/);
    assert.match(en, /<strong>1<\/strong> person recognised as a political prisoner since/);
    assert.match(en, /<svg[^>]*role="img"/, 'the chart is there, with a text alternative');
    assert.match(en, /<table>[\s\S]*2021-05[\s\S]*<\/table>/, 'the same figures as a table');
  });
});
