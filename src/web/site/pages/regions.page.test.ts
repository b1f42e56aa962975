/**
 * /regions: the counts by place and by region, a person's place only from public events, the map
 * drawn from the store alone, and nothing non-public on the page in any language.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { COLONY, MARKERS, SECRET_PLACE, seedPlaces, SIZO, SIZO_ADDRESS, ZHODZINA } from '../../../features/public/places.fixture.js';
import { statsOn } from '../../../features/stats/stats.service.js';
import { today } from '../../../domain/partial-date.js';
import { describeBothBackends } from '../../../test-support/stores.js';
import { buildApp } from '../../app.js';

/** Rows of the table labelled by `id`: the row header and the number in the last cell. */
function tableRows(body: string, id: string): Record<string, number> {
  const table = new RegExp(`<table aria-labelledby="${id}">([\\s\\S]*?)</table>`).exec(body)?.[1];
  assert.ok(table, `table ${id}`);
  const rows: Record<string, number> = {};
  for (const [, name, cells] of table.matchAll(/<tr><th scope="row">([^<]*)<\/th>(.*?)<\/tr>/g)) {
    rows[name!] = Number(/<td class="num">(\d+)<\/td>$/.exec(cells!)?.[1]);
  }
  return rows;
}

const leaks = (text: string) => MARKERS.filter((marker) => text.toLowerCase().includes(marker.toLowerCase()));

describeBothBackends('regions page', (backend) => {
  it('counts political prisoners by place and region, from public places only', async () => {
    const store = await backend.fresh();
    await seedPlaces(store);
    const app = await buildApp({ store });
    const response = await app.inject({ url: '/regions?lang=en' });
    assert.equal(response.statusCode, 200);
    const body = response.body;
    assert.deepEqual(tableRows(body, 'by-facility'), { [COLONY]: 2, [ZHODZINA]: 2, [SIZO]: 1 });
    assert.deepEqual(tableRows(body, 'by-region'), {
      'Vitebsk Region': 2, 'Minsk Region': 2, 'Minsk (city)': 1, 'Place not known publicly': 3, Total: 8,
    });
    assert.equal(8, (await statsOn(store, today())).political_prisoners, 'the total is the count of political prisoners');
    const sizoRow = body.split('<tr>').find((row) => row.startsWith(`<th scope="row">${SIZO}</th>`));
    assert.ok(sizoRow?.includes(SIZO_ADDRESS), 'the address for letters is in the facility row');
    assert.ok(!body.includes('safe house'), 'a place known only from a restricted event is not shown');

    // The map: one circle per place, larger for more people, drawn from the store alone.
    const svg = /<svg[^>]*role="img"[^>]*>[\s\S]*?<\/svg>/.exec(body)?.[0];
    assert.ok(svg, 'an SVG map with role="img"');
    assert.match(svg, /<title id="map-title">[^<]+<\/title><desc id="map-desc">[^<]+<\/desc>/);
    const circles = [...svg.matchAll(/<circle [^>]*r="([\d.]+)"><title>([^<]*)<\/title>/g)].map(([, r, title]) => ({ r: Number(r), title: title! }));
    assert.equal(circles.length, 3);
    const radius = (name: string) => circles.find((circle) => circle.title.startsWith(name))!.r;
    assert.ok(radius(COLONY) > radius(SIZO), 'two people make a larger circle than one');
    assert.doesNotMatch(body, /(src|href)="(https?:)?\/\//, 'no request to any other site');
    await app.close();
  });

  it('shows nothing restricted, internal or unconsented in any language', async () => {
    const store = await backend.fresh();
    await seedPlaces(store);
    const app = await buildApp({ store });
    for (const lang of ['be', 'ru', 'en']) {
      const response = await app.inject({ url: `/regions?lang=${lang}` });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, new RegExp(`<html lang="${lang}">`));
      assert.deepEqual(leaks(response.body), [], `/regions in ${lang} leaks`);
      assert.ok(!response.body.includes(SECRET_PLACE));
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
    }
    await app.close();
  });
});
