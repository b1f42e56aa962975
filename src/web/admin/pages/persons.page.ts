/**
 * People in the workspace: find (any spelling), read (everything the role may see; restricted reads
 * audited), create and edit with several name variants. While names are typed, the form offers their
 * forms in the other script and language and warns of people already in the registry with a similar
 * name; without JavaScript the same appears after "Check names", and creating a likely duplicate needs
 * an explicit "this is a different person".
 */
import { can, maySee, type Viewer } from '../../../domain/policy.js';
import { isValidPartialDate } from '../../../domain/partial-date.js';
import { LEVELS, type Level } from '../../../domain/confidentiality.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import type { Store } from '../../../store/connection.js';
import { eventsOfPerson } from '../../../store/event.repository.js';
import type { NameVariant, PersonData, PersonRecord } from '../../../store/person.repository.js';
import { createPerson, editPerson, findPerson } from '../../../features/persons/person.service.js';
import { presentPerson } from '../../../features/persons/person.presenter.js';
import { keepUnseen, unseenFields, type PersonField } from '../../../features/persons/unseen.js';
import { presentEvent } from '../../../features/events/event.presenter.js';
import { displayName, searchPeople, type SearchHit } from '../../../features/search/search.service.js';
import { LIKELY_DUPLICATE } from '../../../features/duplicates/duplicates.service.js';
import { suggestOtherForms, type SuggestedName } from '../../../names/suggest.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { mayWrite, termText } from './record-pages.js';
import { html, type Child, type Html } from '../../site/html.js';
import { formatDate, messages, say, type Params } from '../../site/i18n.js';
import { EVENT_LABELS, GENDER_LABELS, label } from '../../site/labels.js';
import { adminLink, csrfField, field, formErrors, select, t, textarea, type AdminContext, type AdminPage } from '../admin-layout.js';
import { all, one, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';

export const personText = messages('admin-persons', {
  en: {
    people: 'People', find: 'Find a person (any spelling, any script)', new_person: 'Add a person', none: 'Nobody found.', results: 'Best matches first.',
    external_id: 'Record id', external_id_hint: 'Your organisation’s id for this person (letters, digits, - and _), e.g. BY-2021-0042',
    names: 'Names', name_row: 'Name {n}', family: 'Family name', given: 'Given name', patronymic: 'Patronymic', name_lang: 'Language of this form', level: 'Who may see it',
    more_names: 'Add another name row', check_names: 'Check names', birth_date: 'Birth date', date_hint: 'YYYY, YYYY-MM or YYYY-MM-DD; as much as is known',
    gender: 'Gender', region: 'Region', occupation: 'Occupation', tags: 'Tags', tags_hint: 'separated by ;', biography: 'Biography ({lang})',
    consent: 'Publication consent: the person (or their family) agreed that their public details may be shown on the public site', record_level: 'Level of the whole record',
    suggestions: 'Other forms of this name', probable: 'probable — check the spelling', use: 'These are suggestions; add the ones that are right as name rows.',
    similar: 'Already in the registry with a similar name', score: 'match {score} %', different: 'I checked: this is a different person',
    duplicate_block: 'This looks like someone already in the registry. Open them to check; if it is a different person, tick the box below and save again.',
    edit: 'Edit', history: 'History', add_event: 'Add an event', events: 'Events', no_events: 'No events recorded yet.',
    public_page: 'Public page', unpublished: 'Not published (no consent)', merged: 'Merged into {id}', facts: 'Facts', version: 'Version {n}, last changed {at}',
    levels_public: 'public (with consent)', levels_internal: 'internal (team)', levels_restricted: 'restricted (cleared roles)', unknown: 'unknown',
    articles_short: 'art. {list}', letters: 'Letters', full_name: 'Full name as written (optional)', unseen: 'Not shown, and kept as they are: {fields} (above your clearance).', biography_any: 'Biography',
    page: 'Page after #{id}', next: 'Next page', filter_published: 'Published', any: 'any', yes: 'yes', no: 'no',
  },
  be: {
    people: 'Людзі', find: 'Знайсці чалавека (любое напісанне, любы алфавіт)', new_person: 'Дадаць чалавека', none: 'Нікога не знойдзена.', results: 'Спачатку найлепшыя супадзенні.',
    external_id: 'Ідэнтыфікатар запісу', external_id_hint: 'Ідэнтыфікатар вашай арганізацыі (літары, лічбы, - і _), напр. BY-2021-0042',
    names: 'Імёны', name_row: 'Імя {n}', family: 'Прозвішча', given: 'Імя', patronymic: 'Імя па бацьку', name_lang: 'Мова гэтай формы', level: 'Хто можа бачыць',
    more_names: 'Дадаць яшчэ радок імя', check_names: 'Праверыць імёны', birth_date: 'Дата нараджэння', date_hint: 'ГГГГ, ГГГГ-ММ або ГГГГ-ММ-ДД; наколькі вядома',
    gender: 'Пол', region: 'Рэгіён', occupation: 'Занятак', tags: 'Тэгі', tags_hint: 'праз ;', biography: 'Біяграфія ({lang})',
    consent: 'Згода на публікацыю: чалавек (або сям’я) пагадзіўся, каб публічныя звесткі паказваліся на сайце', record_level: 'Узровень усяго запісу',
    suggestions: 'Іншыя формы гэтага імя', probable: 'верагодна — праверце напісанне', use: 'Гэта прапановы; дадайце правільныя як радкі імёнаў.',
    similar: 'Ужо ў рэестры з падобным імем', score: 'супадзенне {score} %', different: 'Я праверыў(-ла): гэта іншы чалавек',
    duplicate_block: 'Падобна, гэты чалавек ужо ёсць у рэестры. Адкрыйце запіс і праверце; калі гэта іншы чалавек, адзначце поле ніжэй і захавайце зноў.',
    edit: 'Правіць', history: 'Гісторыя', add_event: 'Дадаць падзею', events: 'Падзеі', no_events: 'Падзей яшчэ няма.',
    public_page: 'Публічная старонка', unpublished: 'Не апублікавана (няма згоды)', merged: 'Аб’яднана з {id}', facts: 'Звесткі', version: 'Версія {n}, апошняя змена {at}',
    levels_public: 'публічна (са згодай)', levels_internal: 'унутрана (каманда)', levels_restricted: 'абмежавана (допуск)', unknown: 'невядома',
    articles_short: 'арт. {list}', letters: 'Лісты', full_name: 'Поўнае імя, як напісана (неабавязкова)', unseen: 'Не паказваюцца і застаюцца як ёсць: {fields} (вышэй за ваш допуск).', biography_any: 'Біяграфія',
    page: 'Старонка пасля №{id}', next: 'Наступная старонка', filter_published: 'Апублікаваны', any: 'любы', yes: 'так', no: 'не',
  },
  ru: {
    people: 'Люди', find: 'Найти человека (любое написание, любой алфавит)', new_person: 'Добавить человека', none: 'Никого не найдено.', results: 'Сначала лучшие совпадения.',
    external_id: 'Идентификатор записи', external_id_hint: 'Идентификатор вашей организации (буквы, цифры, - и _), напр. BY-2021-0042',
    names: 'Имена', name_row: 'Имя {n}', family: 'Фамилия', given: 'Имя', patronymic: 'Отчество', name_lang: 'Язык этой формы', level: 'Кто может видеть',
    more_names: 'Добавить ещё строку имени', check_names: 'Проверить имена', birth_date: 'Дата рождения', date_hint: 'ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД; насколько известно',
    gender: 'Пол', region: 'Регион', occupation: 'Род занятий', tags: 'Теги', tags_hint: 'через ;', biography: 'Биография ({lang})',
    consent: 'Согласие на публикацию: человек (или семья) согласился, чтобы публичные сведения показывались на сайте', record_level: 'Уровень всей записи',
    suggestions: 'Другие формы этого имени', probable: 'вероятно — проверьте написание', use: 'Это предложения; добавьте верные как строки имён.',
    similar: 'Уже в реестре с похожим именем', score: 'совпадение {score} %', different: 'Я проверил(а): это другой человек',
    duplicate_block: 'Похоже, этот человек уже есть в реестре. Откройте запись и проверьте; если это другой человек, отметьте поле ниже и сохраните снова.',
    edit: 'Править', history: 'История', add_event: 'Добавить событие', events: 'События', no_events: 'Событий пока нет.',
    public_page: 'Публичная страница', unpublished: 'Не опубликовано (нет согласия)', merged: 'Объединено с {id}', facts: 'Сведения', version: 'Версия {n}, последнее изменение {at}',
    levels_public: 'публично (с согласием)', levels_internal: 'внутренне (команда)', levels_restricted: 'ограничено (допуск)', unknown: 'неизвестно',
    articles_short: 'ст. {list}', letters: 'Письма', full_name: 'Полное имя, как написано (необязательно)', unseen: 'Не показываются и остаются как есть: {fields} (выше вашего допуска).', biography_any: 'Биография',
    page: 'Страница после №{id}', next: 'Следующая страница', filter_published: 'Опубликован', any: 'любой', yes: 'да', no: 'нет',
  },
});

type Key = keyof typeof personText.texts.en;
export const p = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, personText, key, params);

const NAME_LANGS = ['be', 'ru', 'en', 'pl', 'lt', 'uk', 'de'] as const;
const GENDERS = ['unknown', 'female', 'male', 'other'] as const;
const BLANK_ROWS = 3;

export function levelChoices(ctx: AdminContext): (readonly [string, string])[] {
  return LEVELS.map((level) => [level, p(ctx, `levels_${level}` as Key)] as const);
}

export function levelBadge(ctx: AdminContext, level: Level): Html {
  return html`<span class="badge ${level}">${p(ctx, `levels_${level}` as Key)}</span>`;
}

/** The form's values: what was stored, or what the documenter sent (kept when the form comes back with errors). */
export interface NameRow {
  family: string;
  given: string;
  patronymic: string;
  /** The name as one string, as a source wrote it (optional). */
  full: string;
  lang: string;
  level: string;
  /** The romanisation a stored Latin form follows, carried through the form unchanged. */
  romanization: string;
}

export interface PersonForm {
  external_id: string;
  names: NameRow[];
  birth_date: string;
  gender: string;
  region: string;
  occupation: string;
  tags: string;
  biography: Record<string, string>;
  publish: boolean;
  confidentiality: string;
  reason: string;
  version: string;
  different: boolean;
  /** Fields of the record this member may not see: the form neither shows nor changes them. */
  unseen: PersonField[];
}

/** The form for editing: only what this member may see (names above their clearance are not in it, and saving keeps them). */
function formFromRecord(viewer: Viewer, person: PersonRecord): PersonForm {
  const visible = person.names.filter((n) => maySee(viewer, { level: n.confidentiality, consent: person.publish }));
  return {
    external_id: person.external_id,
    names: visible.map((n) => ({
      family: n.family ?? '', given: n.given ?? '', patronymic: n.patronymic ?? '', full: n.full_name ?? '', lang: n.lang ?? '', level: n.confidentiality, romanization: n.romanization ?? '',
    })),
    ...shownFields(viewer, person),
    publish: person.publish, confidentiality: person.confidentiality, reason: '', version: String(person.version), different: false,
  };
}

/** The record's fields as the form shows them; the ones this member may not see are left empty and listed. */
function shownFields(viewer: Viewer, person: PersonRecord): Pick<PersonForm, 'birth_date' | 'gender' | 'region' | 'occupation' | 'tags' | 'biography' | 'unseen'> {
  const unseen = unseenFields(viewer, person);
  const show = <T,>(field: PersonField, value: T, empty: T): T => (unseen.includes(field) ? empty : value);
  return {
    birth_date: show('birth_date', person.birth_date ?? '', ''), gender: show('gender', person.gender, 'unknown'), region: show('region', person.region ?? '', ''),
    occupation: show('occupation', person.occupation ?? '', ''), tags: show('tags', person.tags.join('; '), ''), biography: show('biography', person.biography, {}), unseen,
  };
}

const EMPTY: PersonForm = {
  external_id: '', names: [], birth_date: '', gender: 'unknown', region: '', occupation: '', tags: '', biography: {}, publish: false,
  confidentiality: 'internal', reason: '', version: '', different: false, unseen: [],
};

export function formFromBody(body: FormBody): PersonForm {
  const rows = Math.min(50, Number(one(body, 'rows')) || 0);
  const names: PersonForm['names'] = [];
  for (let i = 0; i < rows; i++) {
    names.push({
      family: one(body, `name_family_${i}`), given: one(body, `name_given_${i}`), patronymic: one(body, `name_patronymic_${i}`), full: one(body, `name_full_${i}`),
      lang: one(body, `name_lang_${i}`), level: one(body, `name_level_${i}`) || 'internal', romanization: one(body, `name_romanization_${i}`),
    });
  }
  return {
    external_id: one(body, 'external_id').trim(), names, birth_date: one(body, 'birth_date').trim(), gender: one(body, 'gender') || 'unknown',
    region: one(body, 'region').trim(), occupation: one(body, 'occupation').trim(), tags: one(body, 'tags'),
    biography: { be: one(body, 'biography_be'), ru: one(body, 'biography_ru'), en: one(body, 'biography_en') },
    publish: all(body, 'publish').includes('yes'), confidentiality: one(body, 'confidentiality') || 'internal', reason: one(body, 'reason'),
    version: one(body, 'version'), different: all(body, 'different').includes('yes'), unseen: [],
  };
}

const isLevel = (value: string): value is Level => (LEVELS as readonly string[]).includes(value);

/** The record a form describes, or the problems that stop it (each naming the field). */
export function dataFromForm(ctx: AdminContext, form: PersonForm): { data: Omit<PersonData, 'external_id'> & { external_id: string }; problems: string[] } {
  const problems: string[] = [];
  const names: NameVariant[] = [];
  form.names.forEach((row, i) => {
    if (!row.family.trim() && !row.given.trim() && !row.patronymic.trim() && !row.full.trim()) return;
    if (!row.family.trim() && !row.full.trim()) problems.push(`${p(ctx, 'name_row', { n: i + 1 })}: ${p(ctx, 'family')} — required when the row is used (or the full name as written)`);
    const text = `${row.family}${row.given}${row.patronymic}${row.full}`;
    const level = isLevel(row.level) ? row.level : 'internal';
    names.push({
      family: row.family.trim() || null, given: row.given.trim() || null, patronymic: row.patronymic.trim() || null, full_name: row.full.trim() || null,
      lang: row.lang || null, script: /[\u0400-\u04FF]/.test(text) ? 'Cyrl' : 'Latn', romanization: row.romanization.trim() || null, confidentiality: level,
    });
  });
  if (names.length === 0) problems.push(`${p(ctx, 'names')}: a person needs at least one name (a family name)`);
  if (form.birth_date && !isValidPartialDate(form.birth_date)) problems.push(`${p(ctx, 'birth_date')}: "${form.birth_date}" is not YYYY, YYYY-MM or YYYY-MM-DD`);
  if (!(GENDERS as readonly string[]).includes(form.gender)) problems.push(`${p(ctx, 'gender')}: unknown value "${form.gender}"`);
  if (!isLevel(form.confidentiality)) problems.push(`${p(ctx, 'record_level')}: unknown level "${form.confidentiality}"`);
  if (!/^[\p{L}\p{N}_-]{1,64}$/u.test(form.external_id)) problems.push(`${p(ctx, 'external_id')}: "${form.external_id}" — letters, digits, - and _ only, 1–64 characters`);
  if (!form.reason.trim()) problems.push(`${t(ctx, 'reason')}: say why the record changes (a source or an explanation)`);
  const biography = Object.fromEntries(Object.entries(form.biography).filter(([, text]) => text.trim() !== ''));
  return {
    data: {
      external_id: form.external_id, birth_date: form.birth_date || null, gender: form.gender, region: form.region || null, occupation: form.occupation || null,
      tags: form.tags.split(';').map((tag) => tag.trim()).filter(Boolean), biography, publish: form.publish,
      confidentiality: isLevel(form.confidentiality) ? form.confidentiality : 'internal', field_levels: {}, names,
    },
    problems,
  };
}

// ------------------------------------------------------------------ name check (suggestions + similar people)

export interface NameCheck {
  suggestions: { row: number; forms: SuggestedName[] }[];
  similar: (SearchHit & { name: string })[];
}

export async function checkNames(store: Store, rows: PersonForm['names'], exclude: number | null): Promise<NameCheck> {
  const suggestions = rows.map((row, i) => ({ row: i, forms: suggestOtherForms({ family: row.family, given: row.given, patronymic: row.patronymic, lang: row.lang }) }))
    .filter((entry) => entry.forms.length > 0);
  const best = new Map<number, SearchHit>();
  for (const row of rows) {
    const query = [row.given, row.family].filter((part) => part.trim()).join(' ');
    if (query.trim().length < 3) continue;
    for (const hit of await searchPeople(store, query, { limit: 5 })) {
      if (hit.id === exclude || hit.score < 0.75) continue;
      if ((best.get(hit.id)?.score ?? 0) < hit.score) best.set(hit.id, hit);
    }
  }
  const similar = [...best.values()].sort((a, b) => b.score - a.score).slice(0, 5);
  return { suggestions, similar };
}

function nameCheckBlock(ctx: AdminContext, check: NameCheck): Html {
  const formName = (form: SuggestedName) => [form.family, form.given, form.patronymic].filter(Boolean).join(' ');
  return html`<div id="name-check">
${check.suggestions.length > 0 ? html`<div class="suggestions"><p><strong>${p(ctx, 'suggestions')}</strong> — ${p(ctx, 'use')}</p><ul>${check.suggestions.flatMap((entry) => entry.forms.map((form) =>
    html`<li lang="${form.lang === 'en' ? 'en' : form.lang}">${formName(form)} <span class="muted">(${form.romanization ?? form.lang}${form.certainty === 'probable' ? html`; ${p(ctx, 'probable')}` : ''})</span></li>`))}</ul></div>` : ''}
${check.similar.length > 0 ? html`<div class="warning" role="status"><p><strong>${p(ctx, 'similar')}</strong></p><ul>${check.similar.map((hit) =>
    html`<li><a href="${adminLink(ctx, `/admin/persons/${hit.id}`)}" target="_blank" rel="noopener">${hit.name}</a> (${hit.external_id}) — ${p(ctx, 'score', { score: Math.round(hit.score * 100) })}</li>`)}</ul></div>` : ''}
</div>`;
}

// ------------------------------------------------------------------ the form

function nameRow(ctx: AdminContext, i: number, row: NameRow | undefined): Html {
  const langChoices = [['', '—'] as const, ...NAME_LANGS.map((lang) => [lang, lang] as const)];
  return html`<fieldset class="name-row"><legend>${p(ctx, 'name_row', { n: i + 1 })}</legend><div class="grid">
${field({ name: `name_family_${i}`, label: p(ctx, 'family'), value: row?.family, attrs: html` data-name-part autocomplete="off"` })}
${field({ name: `name_given_${i}`, label: p(ctx, 'given'), value: row?.given, attrs: html` data-name-part autocomplete="off"` })}
${field({ name: `name_patronymic_${i}`, label: p(ctx, 'patronymic'), value: row?.patronymic, attrs: html` data-name-part autocomplete="off"` })}
${field({ name: `name_full_${i}`, label: p(ctx, 'full_name'), value: row?.full, attrs: html` autocomplete="off"` })}
${select({ name: `name_lang_${i}`, label: p(ctx, 'name_lang'), value: row?.lang, choices: langChoices })}
${select({ name: `name_level_${i}`, label: p(ctx, 'level'), value: row?.level ?? 'internal', choices: levelChoices(ctx) })}
</div>${row?.romanization ? html`<input type="hidden" name="name_romanization_${i}" value="${row.romanization}">` : ''}</fieldset>`;
}

const shows = (form: PersonForm, field: PersonField) => !form.unseen.includes(field);

export function personFormPage(ctx: AdminContext, options: { form: PersonForm; action: string; title: string; creating: boolean; personId?: number; problems?: string[]; check?: NameCheck; conflict?: string }): AdminPage {
  const { form } = options;
  const rows = Math.max(form.names.length + (options.creating && form.names.length === 0 ? BLANK_ROWS : 1), 1);
  const blocking = options.creating && (options.check?.similar ?? []).some((hit) => hit.score >= LIKELY_DUPLICATE);
  return {
    status: options.problems && options.problems.length > 0 ? 400 : 200,
    title: options.title,
    main: html`<h1>${options.title}</h1>
${options.conflict ? html`<div class="errors" role="alert"><p>${options.conflict}</p></div>` : ''}
${formErrors(ctx, options.problems ?? [])}
<form method="post" action="${options.action}" class="record" data-name-check${options.personId ? html` data-person-id="${options.personId}"` : ''}>
${csrfField(ctx)}<input type="hidden" name="rows" value="${rows}"><input type="hidden" name="version" value="${form.version}">
${options.creating ? field({ name: 'external_id', label: p(ctx, 'external_id'), value: form.external_id, required: true, hint: p(ctx, 'external_id_hint') }) : html`<input type="hidden" name="external_id" value="${form.external_id}">`}
<fieldset class="names"><legend>${p(ctx, 'names')}</legend>
${Array.from({ length: rows }, (_, i) => nameRow(ctx, i, form.names[i]))}
<div class="actions"><button type="submit" name="intent" value="more" class="secondary">${p(ctx, 'more_names')}</button><button type="submit" name="intent" value="check" class="secondary">${p(ctx, 'check_names')}</button></div>
<div id="live-suggestions" aria-live="polite">${options.check ? nameCheckBlock(ctx, options.check) : ''}</div>
</fieldset>
${blocking ? html`<div class="warning" role="alert"><p>${p(ctx, 'duplicate_block')}</p><div class="check"><input type="checkbox" id="f-different" name="different" value="yes"${form.different ? html` checked` : ''}> <label for="f-different">${p(ctx, 'different')}</label></div></div>` : form.different ? html`<input type="hidden" name="different" value="yes">` : ''}
${form.unseen.length > 0 ? html`<p class="muted" role="note">${p(ctx, 'unseen', { fields: form.unseen.map((f) => p(ctx, f === 'biography' ? 'biography_any' : f)).join(', ') })}</p>` : ''}
<div class="grid">
${shows(form, 'birth_date') ? field({ name: 'birth_date', label: p(ctx, 'birth_date'), value: form.birth_date, hint: p(ctx, 'date_hint') }) : ''}
${shows(form, 'gender') ? select({ name: 'gender', label: p(ctx, 'gender'), value: form.gender, choices: GENDERS.map((g) => [g, g === 'unknown' ? p(ctx, 'unknown') : label(GENDER_LABELS, ctx.lang, g)] as const) }) : ''}
${shows(form, 'region') ? field({ name: 'region', label: p(ctx, 'region'), value: form.region }) : ''}
${shows(form, 'occupation') ? field({ name: 'occupation', label: p(ctx, 'occupation'), value: form.occupation }) : ''}
</div>
${shows(form, 'tags') ? field({ name: 'tags', label: p(ctx, 'tags'), value: form.tags, hint: p(ctx, 'tags_hint') }) : ''}
${shows(form, 'biography') ? (['be', 'ru', 'en'] as const).map((lang) => textarea({ name: `biography_${lang}`, label: p(ctx, 'biography', { lang }), value: form.biography[lang] })) : ''}
<div class="check"><input type="checkbox" id="f-publish" name="publish" value="yes"${form.publish ? html` checked` : ''}> <label for="f-publish">${p(ctx, 'consent')}</label></div>
${select({ name: 'confidentiality', label: p(ctx, 'record_level'), value: form.confidentiality, choices: levelChoices(ctx) })}
${field({ name: 'reason', label: t(ctx, 'reason'), value: form.reason, required: true })}
<div class="actions"><button type="submit" name="intent" value="save">${t(ctx, 'save')}</button><a href="${adminLink(ctx, options.personId ? `/admin/persons/${options.personId}` : '/admin/persons')}">${t(ctx, 'cancel')}</a></div>
</form>`,
  };
}

// ------------------------------------------------------------------ saving

/** Who saves a person form: members who may write save at once; the review module may offer others a proposal. */
export type PersonSaver = (input: AdminInput, person: PersonRecord | null, data: PersonData) => Promise<AdminResult>;

async function saveDirectly(input: AdminInput, person: PersonRecord | null, data: PersonData): Promise<AdminResult> {
  const { ctx, store, request, body } = input;
  const context = { actor: ctx.member.email, reason: one(body, 'reason'), ip: request.ip };
  if (!person) {
    const created = await createPerson(store, data, context);
    return { redirect: adminLink(ctx, `/admin/persons/${created.id}`, { done: 'created' }) };
  }
  await editPerson(store, person.id, Number(one(body, 'version')), keepUnseen(ctx.member, person, data), context);
  return { redirect: adminLink(ctx, `/admin/persons/${person.id}`, { done: 'saved' }) };
}

let saver: PersonSaver | null = null;

/** Lets the review module take over saving for roles that may only propose changes. */
export function useProposals(save: PersonSaver): void {
  saver = save;
}


/** Members who may neither write nor propose get a refusal before they fill in anything. */
function ensureMaySave(ctx: AdminContext): void {
  if (!mayWrite(ctx) && !(saver && can(ctx.member, 'propose'))) {
    throw new VigilError('forbidden', `your role (${ctx.member.role}) may not change the registry`, 403);
  }
}

async function submitPerson(input: AdminInput, person: PersonRecord | null): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMaySave(ctx);
  const creating = person === null;
  const form = formFromBody(body);
  if (!creating) {
    form.external_id = person.external_id;
    form.unseen = unseenFields(ctx.member, person);
  }
  const intent = one(body, 'intent') || 'save';
  const title = creating ? p(ctx, 'new_person') : `${p(ctx, 'edit')}: ${displayName(person.names)}`;
  const action = creating ? adminLink(ctx, '/admin/persons/new') : adminLink(ctx, `/admin/persons/${person.id}/edit`);
  const again = async (extra: { problems?: string[]; conflict?: string } = {}) =>
    personFormPage(ctx, { form, action, title, creating, ...(person ? { personId: person.id } : {}), check: await checkNames(store, form.names, person?.id ?? null), ...extra });
  if (intent === 'more') {
    form.names.push({ family: '', given: '', patronymic: '', full: '', lang: '', level: 'internal', romanization: '' });
    return again();
  }
  if (intent === 'check') return again();
  const { data, problems } = dataFromForm(ctx, form);
  if (problems.length > 0) return again({ problems });
  if (creating && !form.different) {
    const check = await checkNames(store, form.names, null);
    if (check.similar.some((hit) => hit.score >= LIKELY_DUPLICATE)) return again();
  }
  try {
    if (mayWrite(ctx)) return await saveDirectly(input, person, data);
    return await saver!(input, person, data);
  } catch (error) {
    if (isVigilError(error) && error.id === 'version_conflict') {
      const details = error.details as { expected: number; actual: number };
      return again({ conflict: t(ctx, 'conflict', { yours: details.expected, theirs: details.actual }) });
    }
    if (isVigilError(error) && (error.status === 400 || error.status === 409)) return again({ problems: [error.message] });
    throw error;
  }
}

// ------------------------------------------------------------------ reading

function personSummary(ctx: AdminContext, person: PersonRecord): Child {
  const view = presentPerson(ctx.member, person).view;
  if (!view) return null;
  return html`<dl class="facts">
<dt>${p(ctx, 'external_id')}</dt><dd>${person.external_id}</dd>
${view.birth_date ? html`<dt>${p(ctx, 'birth_date')}</dt><dd>${formatDate(ctx.lang, view.birth_date)}</dd>` : ''}
${view.gender ? html`<dt>${p(ctx, 'gender')}</dt><dd>${view.gender === 'unknown' ? p(ctx, 'unknown') : label(GENDER_LABELS, ctx.lang, view.gender)}</dd>` : ''}
${view.region ? html`<dt>${p(ctx, 'region')}</dt><dd>${view.region}</dd>` : ''}
${view.occupation ? html`<dt>${p(ctx, 'occupation')}</dt><dd>${view.occupation}</dd>` : ''}
${view.tags && view.tags.length > 0 ? html`<dt>${p(ctx, 'tags')}</dt><dd>${view.tags.join('; ')}</dd>` : ''}
<dt>${p(ctx, 'record_level')}</dt><dd>${levelBadge(ctx, person.confidentiality)}</dd>
<dt>${p(ctx, 'public_page')}</dt><dd>${person.publish && person.merged_into === null ? html`<a href="/prisoners/${encodeURIComponent(person.external_id)}?lang=${ctx.lang}">/prisoners/${person.external_id}</a>` : p(ctx, 'unpublished')}</dd>
${person.merged_into ? html`<dt>${p(ctx, 'merged', { id: person.merged_into })}</dt><dd><a href="${adminLink(ctx, `/admin/persons/${person.merged_into}`)}">#${person.merged_into}</a></dd>` : ''}
</dl>
${view.biography ? Object.entries(view.biography).map(([lang, text]) => html`<h3>${p(ctx, 'biography', { lang })}</h3><p lang="${lang}">${text}</p>`) : ''}`;
}

async function personPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const person = await findPerson(store, input.params.id!);
  const { view, restricted } = presentPerson(ctx.member, person);
  if (!view) throw errors.notFound(`person ${input.params.id}`);
  const events = (await eventsOfPerson(store.db, person.id)).map((event) => ({ event, ...presentEvent(ctx.member, event, person.publish) }));
  await auditRestrictedRead(store, request, 'person', [{ id: person.id, fields: restricted }]);
  await auditRestrictedRead(store, request, 'event', events.map((e) => ({ id: e.event.id, fields: e.restricted })));
  const name = displayName(view.names);
  return {
    title: name,
    main: html`<h1>${name}</h1>
<p class="muted">${p(ctx, 'version', { n: person.version, at: person.updated_at.slice(0, 16).replace('T', ' ') })}</p>
<p class="actions"><a class="button" href="${adminLink(ctx, `/admin/persons/${person.id}/edit`)}">${p(ctx, 'edit')}</a>
<a class="button secondary" href="${adminLink(ctx, `/admin/persons/${person.id}/events/new`)}">${p(ctx, 'add_event')}</a>
${can(ctx.member, 'log_letters') ? html`<a class="button secondary" href="${adminLink(ctx, `/admin/persons/${person.id}/letters`)}">${p(ctx, 'letters')}</a>` : ''}
<a class="button secondary" href="${adminLink(ctx, `/admin/persons/${person.id}/history`)}">${p(ctx, 'history')}</a>
<a class="button secondary" href="${adminLink(ctx, `/admin/persons/${person.id}/sources`)}">${t(ctx, 'sources')}</a>
<a class="button secondary" href="${adminLink(ctx, '/admin/cases', { person: person.id })}">${t(ctx, 'cases')}</a></p>
<h2>${p(ctx, 'names')}</h2>
<ul>${view.names.map((n) => html`<li${n.lang ? html` lang="${n.lang}"` : ''}>${[n.family, n.given, n.patronymic].filter(Boolean).join(' ') || n.full_name} <span class="muted">${n.lang ?? ''}</span> ${levelBadge(ctx, n.confidentiality)}</li>`)}</ul>
<h2>${p(ctx, 'facts')}</h2>
${personSummary(ctx, person)}
<h2>${p(ctx, 'events')}</h2>
${events.some((e) => e.view) ? html`<div class="table-wrap"><table><thead><tr><th>Date</th><th>Type</th><th>Details</th><th>Level</th></tr></thead><tbody>${events.flatMap(({ event, view: shown }) => shown ? [html`<tr>
<td>${formatDate(ctx.lang, event.date)}</td><td><a href="${adminLink(ctx, `/admin/events/${event.id}`)}">${label(EVENT_LABELS, ctx.lang, event.type)}</a></td>
<td>${[event.facility, event.articles.length > 0 ? p(ctx, 'articles_short', { list: event.articles.join(', ') }) : null, event.term_months ? termText(ctx, event.term_months) : null, event.country, event.organization].filter(Boolean).join(' · ')}${shown.sources.length > 0 ? html`<br><span class="muted">${shown.sources.map((s) => s.title ?? s.url ?? `#${s.id}`).join('; ')}</span>` : ''}</td>
<td>${levelBadge(ctx, event.confidentiality)}</td></tr>`] : [])}</tbody></table></div>` : html`<p>${p(ctx, 'no_events')}</p>`}`,
  };
}

async function listPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  const q = ctx.query.q?.trim() ?? '';
  const after = Number(ctx.query.after) || 0;
  const published = ctx.query.published === 'yes' || ctx.query.published === 'no' ? ctx.query.published : '';
  let rows: { id: number; external_id: string; name: string; score?: number; publish?: boolean }[] = [];
  let nextAfter: number | null = null;
  if (q) {
    rows = (await searchPeople(store, q, { limit: 50 })).map((hit) => ({ id: hit.id, external_id: hit.external_id, name: hit.name, score: hit.score }));
  } else {
    let query = store.db.selectFrom('person').select(['id', 'external_id', 'publish']).where('id', '>', after).where('merged_into', 'is', null).orderBy('id').limit(50);
    if (published) query = query.where('publish', '=', published === 'yes' ? 1 : 0);
    const found = await query.execute();
    const names = await store.db.selectFrom('person_name').select(['person_id', 'family', 'given', 'patronymic', 'full_name', 'position', 'confidentiality'])
      .where('person_id', 'in', found.length > 0 ? found.map((r) => r.id) : [0]).orderBy('position').execute();
    rows = found.map((row) => {
      const own = names.filter((n) => n.person_id === row.id && maySee(ctx.member, { level: n.confidentiality, consent: row.publish === 1 }));
      return { id: row.id, external_id: row.external_id, name: own.length > 0 ? displayName(own) : row.external_id, publish: row.publish === 1 };
    });
    nextAfter = found.length === 50 ? found.at(-1)!.id : null;
  }
  return {
    title: p(ctx, 'people'),
    main: html`<h1>${p(ctx, 'people')}</h1>
<p><a class="button" href="${adminLink(ctx, '/admin/persons/new')}">${p(ctx, 'new_person')}</a></p>
<form method="get" action="/admin/persons" class="filters" role="search">
<input type="hidden" name="lang" value="${ctx.lang}">
<div><label for="q">${p(ctx, 'find')}</label><input id="q" name="q" type="search" value="${q}"></div>
<div><label for="published">${p(ctx, 'filter_published')}</label><select id="published" name="published">${(['', 'yes', 'no'] as const).map((v) => html`<option value="${v}"${v === published ? html` selected` : ''}>${p(ctx, v === '' ? 'any' : v)}</option>`)}</select></div>
<div><button type="submit">${t(ctx, 'search')}</button></div>
</form>
${q ? html`<p class="muted">${p(ctx, 'results')}</p>` : ''}
${rows.length === 0 ? html`<p>${p(ctx, 'none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th>${p(ctx, 'names')}</th><th>${p(ctx, 'external_id')}</th><th>${q ? 'Score' : p(ctx, 'filter_published')}</th></tr></thead><tbody>
${rows.map((row) => html`<tr><td><a href="${adminLink(ctx, `/admin/persons/${row.id}`)}">${row.name}</a></td><td>${row.external_id}</td><td>${row.score !== undefined ? `${Math.round(row.score * 100)} %` : p(ctx, row.publish ? 'yes' : 'no')}</td></tr>`)}
</tbody></table></div>`}
${nextAfter ? html`<p class="pager"><a href="${adminLink(ctx, '/admin/persons', { after: nextAfter, published })}">${p(ctx, 'next')}</a></p>` : ''}`,
  };
}

async function checkNamesFragment(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, reply } = input;
  const raw = (input.request.query ?? {}) as Record<string, unknown>;
  const rows: PersonForm['names'] = [];
  for (let i = 0; i < 50; i++) {
    const part = (name: string) => (typeof raw[`name_${name}_${i}`] === 'string' ? String(raw[`name_${name}_${i}`]).slice(0, 200) : '');
    const row: NameRow = { family: part('family'), given: part('given'), patronymic: part('patronymic'), full: '', lang: part('lang'), level: 'internal', romanization: '' };
    if (row.family || row.given || row.patronymic) rows.push(row);
  }
  const exclude = Number(raw.exclude) || null;
  const check = await checkNames(store, rows, exclude);
  reply.header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html`<!doctype html><html lang="${ctx.lang}"><body>${nameCheckBlock(ctx, check)}</body></html>`.value);
  return { sent: true };
}

async function personByParam(input: AdminInput): Promise<PersonRecord> {
  const person = await findPerson(input.store, input.params.id!);
  if (!presentPerson(input.ctx.member, person).view) throw errors.notFound(`person ${input.params.id}`);
  return person;
}

export const personRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/persons', handler: listPage },
  { method: 'GET', path: '/admin/persons/check-names', handler: checkNamesFragment },
  {
    method: 'GET', path: '/admin/persons/new',
    handler: async ({ ctx }) => (ensureMaySave(ctx), personFormPage(ctx, { form: { ...EMPTY }, action: adminLink(ctx, '/admin/persons/new'), title: p(ctx, 'new_person'), creating: true })),
  },
  { method: 'POST', path: '/admin/persons/new', handler: (input) => submitPerson(input, null) },
  { method: 'GET', path: '/admin/persons/:id', handler: personPage },
  {
    method: 'GET', path: '/admin/persons/:id/edit',
    handler: async (input) => {
      const person = await personByParam(input);
      const { ctx } = input;
      ensureMaySave(ctx);
      return personFormPage(ctx, { form: formFromRecord(ctx.member, person), action: adminLink(ctx, `/admin/persons/${person.id}/edit`), title: `${p(ctx, 'edit')}: ${displayName(person.names)}`, creating: false, personId: person.id });
    },
  },
  { method: 'POST', path: '/admin/persons/:id/edit', handler: async (input) => submitPerson(input, await personByParam(input)) },
];

