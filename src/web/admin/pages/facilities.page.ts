/**
 * Facilities in the workspace: list (by type and region), read, create and correct (version-checked):
 * name (events refer to a facility by it), type, postal address for letters, region, coordinates.
 * Where people are held is public information: every member sees every facility.
 */
import { FACILITY_TYPES, type FacilityType } from '../../../domain/event-types.js';
import { createFacility, editFacility, facilityPage, findFacility, type FacilityData, type FacilityRecord } from '../../../features/facilities/facility.service.js';
import { FacilityCreate } from '../../api/schemas.js';
import { html, type Child } from '../../site/html.js';
import { messages, say, type Params } from '../../site/i18n.js';
import { FACILITY_TYPE_LABELS, label } from '../../site/labels.js';
import { adminLink, csrfField, field, select, textarea, type AdminContext } from '../admin-layout.js';
import { one, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';
import {
  afterParam, checkReason, historyLink, choiceValue, editContext, ensureMayWrite, formPage, idParam, mayWrite, numberValue, pagerLink, Problems, r, reasonInput,
  saveOrAgain, sentVersion, text, versionInput, versionLine,
} from './record-pages.js';

export const facilityText = messages('admin-facilities', {
  en: {
    facilities: 'Facilities', new_facility: 'Add a facility', edit_title: 'Correct the facility: {name}', name: 'Name', name_hint: 'as events and imports name it, e.g. SIZO-1 Minsk',
    type: 'Type', address: 'Postal address (for letters)', region: 'Region', lat: 'Latitude', lon: 'Longitude', coordinates_hint: 'decimal degrees, e.g. 53.9 and 27.56',
    none: 'No facilities match.', map: 'Show on OpenStreetMap', events: { one: '{n} event names this facility.', other: '{n} events name this facility.' }, filter: 'Filter',
    name_required: 'a facility needs its name',
  },
  be: {
    facilities: 'Установы', new_facility: 'Дадаць установу', edit_title: 'Выправіць установу: {name}', name: 'Назва', name_hint: 'як яе называюць падзеі і імпарт, напр. СІЗА-1 Мінск',
    type: 'Тып', address: 'Паштовы адрас (для лістоў)', region: 'Рэгіён', lat: 'Шырата', lon: 'Даўгата', coordinates_hint: 'дзесятковыя градусы, напр. 53.9 і 27.56',
    none: 'Установаў не знойдзена.', map: 'Паказаць на OpenStreetMap', events: { one: '{n} падзея называе гэтую ўстанову.', few: '{n} падзеі называюць гэтую ўстанову.', many: '{n} падзей называюць гэтую ўстанову.', other: '{n} падзеі называюць гэтую ўстанову.' }, filter: 'Адабраць',
    name_required: 'у ўстановы мусіць быць назва',
  },
  ru: {
    facilities: 'Учреждения', new_facility: 'Добавить учреждение', edit_title: 'Исправить учреждение: {name}', name: 'Название', name_hint: 'как его называют события и импорт, напр. СИЗО-1 Минск',
    type: 'Тип', address: 'Почтовый адрес (для писем)', region: 'Регион', lat: 'Широта', lon: 'Долгота', coordinates_hint: 'десятичные градусы, напр. 53.9 и 27.56',
    none: 'Учреждений не найдено.', map: 'Показать на OpenStreetMap', events: { one: '{n} событие называет это учреждение.', few: '{n} события называют это учреждение.', many: '{n} событий называют это учреждение.', other: '{n} события называют это учреждение.' }, filter: 'Отобрать',
    name_required: 'у учреждения должно быть название',
  },
});

type Key = keyof typeof facilityText.texts.en;
const f = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, facilityText, key, params);

const PAGE = 50;

function typeChoices(ctx: AdminContext): (readonly [string, string])[] {
  return FACILITY_TYPES.map((type) => [type, label(FACILITY_TYPE_LABELS, ctx.lang, type)] as const);
}

async function listPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  const type = (FACILITY_TYPES as readonly string[]).includes(ctx.query.type ?? '') ? ctx.query.type : undefined;
  const region = ctx.query.region?.trim() || undefined;
  const facilities = await facilityPage(store, { after: afterParam(ctx), limit: PAGE }, { type, region });
  return {
    title: f(ctx, 'facilities'),
    main: html`<h1>${f(ctx, 'facilities')}</h1>
${mayWrite(ctx) ? html`<p><a class="button" href="${adminLink(ctx, '/admin/facilities/new')}">${f(ctx, 'new_facility')}</a></p>` : ''}
<form method="get" action="/admin/facilities" class="filters">
<input type="hidden" name="lang" value="${ctx.lang}">
${select({ name: 'type', label: f(ctx, 'type'), value: type ?? '', choices: [['', r(ctx, 'any')], ...typeChoices(ctx)] })}
${field({ name: 'region', label: f(ctx, 'region'), value: region ?? '' })}
<div><button type="submit">${f(ctx, 'filter')}</button></div>
</form>
${facilities.length === 0 ? html`<p>${f(ctx, 'none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th>${f(ctx, 'name')}</th><th>${f(ctx, 'type')}</th><th>${f(ctx, 'region')}</th><th>${f(ctx, 'address')}</th></tr></thead><tbody>
${facilities.map((facility) => html`<tr><td><a href="${adminLink(ctx, `/admin/facilities/${facility.id}`)}">${facility.name}</a></td><td>${label(FACILITY_TYPE_LABELS, ctx.lang, facility.type)}</td><td>${facility.region ?? ''}</td><td>${facility.address ?? ''}</td></tr>`)}
</tbody></table></div>`}
${pagerLink(ctx, '/admin/facilities', facilities.length === PAGE ? facilities.at(-1)!.id : null, { type: type ?? '', region: region ?? '' })}`,
  };
}

function mapLink(facility: FacilityRecord): string | null {
  if (facility.lat === null || facility.lon === null) return null;
  return `https://www.openstreetmap.org/?mlat=${facility.lat}&mlon=${facility.lon}#map=14/${facility.lat}/${facility.lon}`;
}

function facilityFacts(ctx: AdminContext, facility: FacilityRecord): Child {
  const row = (title: string, value: Child) => (value === null || value === '' ? '' : html`<dt>${title}</dt><dd>${value}</dd>`);
  const map = mapLink(facility);
  return html`<dl class="facts">
${row(f(ctx, 'type'), label(FACILITY_TYPE_LABELS, ctx.lang, facility.type))}
${row(f(ctx, 'address'), facility.address ? html`<span class="address">${facility.address}</span>` : null)}
${row(f(ctx, 'region'), facility.region)}
${row(`${f(ctx, 'lat')}, ${f(ctx, 'lon')}`, map ? html`${facility.lat}, ${facility.lon} — <a href="${map}" rel="noopener noreferrer">${f(ctx, 'map')}</a>` : null)}
</dl>`;
}

async function facilityPageHandler(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  const facility = await findFacility(store, idParam(input, 'facility'));
  const events = await store.db.selectFrom('event').select((eb) => eb.fn.countAll<number>().as('n')).where('facility_id', '=', facility.id).executeTakeFirstOrThrow();
  return {
    title: facility.name,
    main: html`<h1>${facility.name}</h1>
${versionLine(ctx, facility)}
<p class="actions">${mayWrite(ctx) ? html`<a class="button" href="${adminLink(ctx, `/admin/facilities/${facility.id}/edit`)}">${r(ctx, 'edit')}</a>` : ''} ${historyLink(ctx, 'facility', facility.id)}</p>
${facilityFacts(ctx, facility)}
<p>${f(ctx, 'events', { n: Number(events.n) })}</p>`,
  };
}

function valuesOf(facility: FacilityRecord): FormBody {
  return {
    name: facility.name, type: facility.type, address: facility.address ?? '', region: facility.region ?? '',
    lat: facility.lat === null ? '' : String(facility.lat), lon: facility.lon === null ? '' : String(facility.lon), reason: '', version: String(facility.version),
  };
}

function facilityFormPage(ctx: AdminContext, options: { values: FormBody; action: string; cancel: string; title: string; editing: boolean; problems?: string[]; conflict?: string }): AdminResult {
  const { values } = options;
  return formPage(ctx, {
    title: options.title, problems: options.problems, conflict: options.conflict, action: options.action, cancel: options.cancel,
    body: html`${csrfField(ctx)}${options.editing ? versionInput(values) : ''}
${field({ name: 'name', label: f(ctx, 'name'), value: one(values, 'name'), required: true, hint: f(ctx, 'name_hint') })}
${select({ name: 'type', label: f(ctx, 'type'), value: one(values, 'type') || 'other', choices: typeChoices(ctx) })}
${textarea({ name: 'address', label: f(ctx, 'address'), value: one(values, 'address') })}
${field({ name: 'region', label: f(ctx, 'region'), value: one(values, 'region') })}
<div class="grid">
${field({ name: 'lat', label: f(ctx, 'lat'), value: one(values, 'lat'), hint: f(ctx, 'coordinates_hint'), attrs: html` inputmode="decimal"` })}
${field({ name: 'lon', label: f(ctx, 'lon'), value: one(values, 'lon'), hint: f(ctx, 'coordinates_hint'), attrs: html` inputmode="decimal"` })}
</div>
${reasonInput(ctx, values)}`,
  });
}

function readFacilityForm(ctx: AdminContext, values: FormBody): { data: FacilityData; problems: string[] } {
  const problems = new Problems();
  const name = text(values, 'name');
  if (name === null) problems.add(f(ctx, 'name'), f(ctx, 'name_required'));
  const data: FacilityData = {
    name: name ?? '', type: choiceValue(ctx, values, 'type', FACILITY_TYPES, f(ctx, 'type'), problems) ?? ('other' as FacilityType),
    address: text(values, 'address'), region: text(values, 'region'),
    lat: numberValue(ctx, values, 'lat', f(ctx, 'lat'), problems), lon: numberValue(ctx, values, 'lon', f(ctx, 'lon'), problems),
  };
  checkReason(ctx, values, problems);
  if (problems.list.length === 0) {
    const parsed = FacilityCreate.safeParse({ ...data, change_reason: '' });
    if (!parsed.success) problems.addIssues(parsed.error, { name: f(ctx, 'name'), type: f(ctx, 'type'), address: f(ctx, 'address'), region: f(ctx, 'region'), lat: f(ctx, 'lat'), lon: f(ctx, 'lon') });
  }
  return { data, problems: problems.list };
}

async function submitNewFacility(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const again = (extra: { problems?: string[]; conflict?: string }) =>
    facilityFormPage(ctx, { values: body, action: adminLink(ctx, '/admin/facilities/new'), cancel: adminLink(ctx, '/admin/facilities'), title: f(ctx, 'new_facility'), editing: false, ...extra });
  const { data, problems } = readFacilityForm(ctx, body);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    const created = await createFacility(store, data, editContext(input));
    return { redirect: adminLink(ctx, `/admin/facilities/${created.id}`, { done: 'created' }) };
  }, again);
}

async function editFacilityPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  ensureMayWrite(ctx);
  const facility = await findFacility(store, idParam(input, 'facility'));
  return facilityFormPage(ctx, {
    values: valuesOf(facility), action: adminLink(ctx, `/admin/facilities/${facility.id}/edit`), cancel: adminLink(ctx, `/admin/facilities/${facility.id}`),
    title: f(ctx, 'edit_title', { name: facility.name }), editing: true,
  });
}

async function submitFacilityEdit(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const facility = await findFacility(store, idParam(input, 'facility'));
  const again = (extra: { problems?: string[]; conflict?: string }) => facilityFormPage(ctx, {
    values: body, action: adminLink(ctx, `/admin/facilities/${facility.id}/edit`), cancel: adminLink(ctx, `/admin/facilities/${facility.id}`),
    title: f(ctx, 'edit_title', { name: facility.name }), editing: true, ...extra,
  });
  const { data, problems } = readFacilityForm(ctx, body);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    await editFacility(store, facility.id, sentVersion(body), data, editContext(input));
    return { redirect: adminLink(ctx, `/admin/facilities/${facility.id}`, { done: 'saved' }) };
  }, again);
}

export const facilityRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/facilities', handler: listPage },
  {
    method: 'GET', path: '/admin/facilities/new',
    handler: async ({ ctx }) => (ensureMayWrite(ctx), facilityFormPage(ctx, { values: { type: 'other' }, action: adminLink(ctx, '/admin/facilities/new'), cancel: adminLink(ctx, '/admin/facilities'), title: f(ctx, 'new_facility'), editing: false })),
  },
  { method: 'POST', path: '/admin/facilities/new', handler: submitNewFacility },
  { method: 'GET', path: '/admin/facilities/:id', handler: facilityPageHandler },
  { method: 'GET', path: '/admin/facilities/:id/edit', handler: editFacilityPage },
  { method: 'POST', path: '/admin/facilities/:id/edit', handler: submitFacilityEdit },
];
