/**
 * Where political prisoners are held today: a map of the places of detention and two tables (by the
 * region of the place, and by place with its postal address for letters). Aggregate counts over
 * everyone held; a person's place comes only from public events (features/public/places.service.ts).
 */
import { z } from 'zod';
import { placesOn, type FacilityCount } from '../../../features/public/places.service.js';
import { belarusMap, onMap } from '../belarus-map.js';
import { html } from '../html.js';
import { formatDate, messages, type Lang } from '../i18n.js';
import { FACILITY_TYPE_LABELS, label } from '../labels.js';
import { translator } from '../layout.js';
import { regionKey, regionLabel } from '../regions.js';
import { sitePage } from '../site.js';

export const regionsText = messages('regions', {
  en: {
    title: 'Where political prisoners are held',
    lead: { one: 'On {date}, {n} political prisoner is held in Belarus.', other: 'On {date}, {n} political prisoners are held in Belarus.' },
    known: 'For {known} of them the place of detention is known from public records.',
    none: 'According to the records, no political prisoner is held today.',
    map_title: 'Map of places of detention in Belarus',
    map_desc: 'Circles mark {places} places of detention; the larger the circle, the more political prisoners are held there. The most ({max}): {top}. The outline of Belarus is approximate.',
    map_caption: 'The larger the circle, the more political prisoners are held there. The same figures are in the tables below.',
    no_coords: 'Places without coordinates appear only in the tables.',
    by_region: 'By region', by_facility: 'By place of detention',
    region: 'Region', facility: 'Place of detention', type: 'Type', address: 'Address for letters', count: 'Political prisoners',
    unknown: 'Place not known publicly', no_region: 'Region not given', total: 'Total',
    letters: 'You can write to political prisoners at these addresses; put the recipient’s full name and year of birth on the envelope.',
    note: 'The counts include every political prisoner, also those whose names are not published. A person’s place of detention is taken only from public records, so people whose place is not public are counted in the row “{unknown}”.',
    circle: '{name}: {n}',
  },
  be: {
    title: 'Дзе ўтрымліваюць палітвязняў',
    lead: {
      one: 'На {date} у Беларусі за кратамі {n} палітвязень.', few: 'На {date} у Беларусі за кратамі {n} палітвязні.',
      many: 'На {date} у Беларусі за кратамі {n} палітвязняў.', other: 'На {date} у Беларусі за кратамі {n} палітвязня.',
    },
    known: 'Для {known} з іх месца ўтрымання вядомае з публічных звестак.',
    none: 'Паводле звестак, сёння няма палітвязняў за кратамі.',
    map_title: 'Мапа месцаў утрымання ў Беларусі',
    map_desc: 'Кружкі пазначаюць месцы ўтрымання ({places}); чым большы кружок, тым больш там палітвязняў. Найбольш палітвязняў ({max}): {top}. Контур Беларусі прыблізны.',
    map_caption: 'Чым большы кружок, тым больш там палітвязняў. Тыя ж лічбы — у табліцах ніжэй.',
    no_coords: 'Месцы без каардынатаў паказаныя толькі ў табліцах.',
    by_region: 'Па рэгіёнах', by_facility: 'Па месцах утрымання',
    region: 'Рэгіён', facility: 'Месца ўтрымання', type: 'Тып', address: 'Адрас для лістоў', count: 'Палітвязні',
    unknown: 'Месца публічна не вядомае', no_region: 'Рэгіён не пазначаны', total: 'Усяго',
    letters: 'Палітвязням можна пісаць на гэтыя адрасы; на канверце пазначце прозвішча, імя, імя па бацьку і год нараджэння адрасата.',
    note: 'Лічбы ўлічваюць усіх палітвязняў, у тым ліку тых, чые імёны не публікуюцца. Месца ўтрымання бярэцца толькі з публічных звестак, таму людзі, чыё месца не публічнае, улічаныя ў радку «{unknown}».',
    circle: '{name}: {n}',
  },
  ru: {
    title: 'Где содержат политзаключённых',
    lead: {
      one: 'На {date} в Беларуси за решёткой {n} политзаключённый.', few: 'На {date} в Беларуси за решёткой {n} политзаключённых.',
      many: 'На {date} в Беларуси за решёткой {n} политзаключённых.', other: 'На {date} в Беларуси за решёткой {n} политзаключённого.',
    },
    known: 'Для {known} из них место содержания известно из публичных сведений.',
    none: 'По имеющимся сведениям, сегодня нет политзаключённых за решёткой.',
    map_title: 'Карта мест содержания в Беларуси',
    map_desc: 'Кружки обозначают места содержания ({places}); чем больше кружок, тем больше там политзаключённых. Больше всего политзаключённых ({max}): {top}. Контур Беларуси приблизительный.',
    map_caption: 'Чем больше кружок, тем больше там политзаключённых. Те же числа — в таблицах ниже.',
    no_coords: 'Места без координат показаны только в таблицах.',
    by_region: 'По регионам', by_facility: 'По местам содержания',
    region: 'Регион', facility: 'Место содержания', type: 'Тип', address: 'Адрес для писем', count: 'Политзаключённые',
    unknown: 'Место публично не известно', no_region: 'Регион не указан', total: 'Всего',
    letters: 'Политзаключённым можно писать по этим адресам; на конверте укажите фамилию, имя, отчество и год рождения адресата.',
    note: 'Числа учитывают всех политзаключённых, в том числе тех, чьи имена не публикуются. Место содержания берётся только из публичных сведений, поэтому люди, чьё место не публично, учтены в строке «{unknown}».',
    circle: '{name}: {n}',
  },
});

interface RegionRow {
  name: string;
  count: number;
}

/** Facilities grouped by region: spellings of one region count together; no region comes last. */
export function byRegion(lang: Lang, facilities: readonly FacilityCount[], noRegion: string): RegionRow[] {
  const groups = new Map<string, RegionRow>();
  for (const { facility, count } of facilities) {
    const key = regionKey(facility.region) ?? (facility.region?.trim() ? `text:${facility.region.trim()}` : '');
    const row = groups.get(key) ?? { name: key ? regionLabel(lang, facility.region) : noRegion, count: 0 };
    row.count += count;
    groups.set(key, row);
  }
  const unnamed = groups.get('');
  groups.delete('');
  const collator = new Intl.Collator(lang);
  const rows = [...groups.values()].sort((a, b) => b.count - a.count || collator.compare(a.name, b.name));
  return unnamed ? [...rows, unnamed] : rows;
}

export const regionPages = [
  sitePage({
    path: '/regions',
    query: z.object({}),
    async render({ ctx, store }) {
      const t = translator(ctx, regionsText);
      const places = await placesOn(store, ctx.today);
      const known = places.total - places.unknown;
      const top = places.facilities[0];
      const mapped = places.facilities.filter(({ facility }) => onMap(facility.lat, facility.lon));
      const map = top
        ? belarusMap(
            mapped.map(({ facility, count }) => ({ lat: facility.lat!, lon: facility.lon!, value: count, label: t('circle', { name: facility.name, n: count }) })),
            t('map_title'),
            t('map_desc', { places: mapped.length, max: top.count, top: top.facility.name }),
          )
        : null;
      const regions = byRegion(ctx.lang, places.facilities, t('no_region'));
      return {
        title: t('title'),
        description: t('lead', { n: places.total, date: formatDate(ctx.lang, ctx.today) }),
        main: html`
<h1>${t('title')}</h1>
<p class="lead">${places.total ? t('lead', { n: places.total, date: formatDate(ctx.lang, ctx.today) }) : t('none')}${places.total ? html` ${t('known', { known })}` : ''}</p>
${map ? html`<figure class="map">${map}<figcaption class="muted">${t('map_caption')}${mapped.length < places.facilities.length ? html` ${t('no_coords')}` : ''}</figcaption></figure>` : ''}
${places.total ? html`
<h2 id="by-region">${t('by_region')}</h2>
<div class="table-wrap"><table aria-labelledby="by-region">
<thead><tr><th scope="col">${t('region')}</th><th scope="col" class="num">${t('count')}</th></tr></thead>
<tbody>
${regions.map((row) => html`<tr><th scope="row">${row.name}</th><td class="num">${row.count}</td></tr>`)}
<tr><th scope="row">${t('unknown')}</th><td class="num">${places.unknown}</td></tr>
</tbody>
<tfoot><tr><th scope="row">${t('total')}</th><td class="num">${places.total}</td></tr></tfoot>
</table></div>` : ''}
${places.facilities.length ? html`
<h2 id="by-facility">${t('by_facility')}</h2>
<p>${t('letters')}</p>
<div class="table-wrap"><table aria-labelledby="by-facility">
<thead><tr><th scope="col">${t('facility')}</th><th scope="col">${t('type')}</th><th scope="col">${t('region')}</th><th scope="col">${t('address')}</th><th scope="col" class="num">${t('count')}</th></tr></thead>
<tbody>
${places.facilities.map(({ facility, count }) => html`<tr><th scope="row">${facility.name}</th><td>${label(FACILITY_TYPE_LABELS, ctx.lang, facility.type)}</td><td>${regionLabel(ctx.lang, facility.region)}</td><td class="letters">${facility.address ?? ''}</td><td class="num">${count}</td></tr>`)}
</tbody>
</table></div>` : ''}
<p class="muted">${t('note', { unknown: t('unknown') })}</p>`,
      };
    },
  }),
];
