import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { regionKey, regionLabel, type RegionKey } from './regions.js';

describe('regions', () => {
  it('knows the region values the demo data and imports use', () => {
    const cases: [string, RegionKey][] = [
      ['Minsk city', 'minsk_city'], ['Minsk', 'minsk_city'], ['г. Минск', 'minsk_city'], ['Мінск', 'minsk_city'],
      ['Minsk region', 'minsk'], ['Minsk Oblast', 'minsk'], ['Минская область', 'minsk'], ['Мінская вобласць', 'minsk'],
      ['Минская обл.', 'minsk'], ['Minskaja voblasć', 'minsk'],
      ['Brest region', 'brest'], ['Брэсцкая вобласць', 'brest'], ['Брестская область', 'brest'], ['Brest', 'brest'],
      ['Gomel region', 'gomel'], ['Homiel', 'gomel'], ['Homieĺskaja vobłasć', 'gomel'], ['Гомельская область', 'gomel'],
      ['Grodno region', 'grodno'], ['Hrodna', 'grodno'], ['Гродзенская вобласць', 'grodno'], ['Гродненская обл.', 'grodno'],
      ['Mogilev region', 'mogilev'], ['Mahilioŭ', 'mogilev'], ['Mahiliou voblasts', 'mogilev'], ['Могилёвская область', 'mogilev'], ['Магілёўская вобласць', 'mogilev'],
      ['Vitebsk region', 'vitebsk'], ['Viciebsk', 'vitebsk'], ['Vitsebsk', 'vitebsk'], ['Віцебская вобласць', 'vitebsk'], ['ВИТЕБСКАЯ ОБЛАСТЬ', 'vitebsk'],
    ];
    for (const [text, key] of cases) assert.equal(regionKey(text), key, text);
  });

  it('names the region in each language and keeps unknown text as it is', () => {
    assert.equal(regionLabel('be', 'Homiel'), 'Гомельская вобласць');
    assert.equal(regionLabel('ru', 'Mahilioŭ region'), 'Могилёвская область');
    assert.equal(regionLabel('en', 'Мінская вобласць'), 'Minsk Region');
    assert.equal(regionLabel('en', 'Minsk city'), 'Minsk (city)');
    assert.equal(regionLabel('be', 'Vilnius'), 'Vilnius');
    assert.equal(regionLabel('ru', null), '');
    assert.equal(regionKey('Smolensk'), null);
  });
});
