/**
 * The letters log of one person: volunteers (and editors, admins) record letters sent to the prisoner
 * and replies received. The log is internal; the public page shows only the two counts.
 */
import { can } from '../../../domain/policy.js';
import { LETTER_DIRECTIONS, type LetterDirection } from '../../../domain/casework.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import { findPerson } from '../../../features/persons/person.service.js';
import { presentPerson } from '../../../features/persons/person.presenter.js';
import { displayName } from '../../../features/search/search.service.js';
import { letterCounts, letterPage, logLetter } from '../../../features/casework/letters.service.js';
import { html } from '../../site/html.js';
import { formatDate, messages, say, type Params } from '../../site/i18n.js';
import { adminLink, csrfField, field, formErrors, select, textarea, type AdminContext } from '../admin-layout.js';
import { one, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';

const text = messages('admin-letters', {
  en: {
    title: 'Letters: {name}', counts: 'Logged: {sent} sent, {replies} replies. The public page shows only these two numbers.', log: 'Log a letter',
    direction: 'Letter', sent: 'sent to the prisoner', reply: 'reply received', date: 'Date', date_hint: 'YYYY-MM-DD (or YYYY-MM); not in the future',
    note: 'Note (internal; never public)', save: 'Log it', none: 'No letters logged yet.', by: 'logged by {who}', back: 'Back to the person',
    no_right: 'Your role may not log letters.',
  },
  be: {
    title: 'Лісты: {name}', counts: 'Запісана: {sent} дасланых, {replies} адказаў. Публічная старонка паказвае толькі гэтыя дзве лічбы.', log: 'Запісаць ліст',
    direction: 'Ліст', sent: 'дасланы вязню', reply: 'атрыманы адказ', date: 'Дата', date_hint: 'ГГГГ-ММ-ДД (або ГГГГ-ММ); не ў будучыні',
    note: 'Нататка (унутраная, ніколі не публічная)', save: 'Запісаць', none: 'Лістоў яшчэ не запісана.', by: 'запісаў(-ла) {who}', back: 'Назад да чалавека',
    no_right: 'Ваша роля не дазваляе запісваць лісты.',
  },
  ru: {
    title: 'Письма: {name}', counts: 'Записано: {sent} отправленных, {replies} ответов. Публичная страница показывает только эти два числа.', log: 'Записать письмо',
    direction: 'Письмо', sent: 'отправлено заключённому', reply: 'получен ответ', date: 'Дата', date_hint: 'ГГГГ-ММ-ДД (или ГГГГ-ММ); не в будущем',
    note: 'Заметка (внутренняя, никогда не публичная)', save: 'Записать', none: 'Писем пока не записано.', by: 'записал(а) {who}', back: 'Назад к человеку',
    no_right: 'Ваша роль не позволяет записывать письма.',
  },
});

const l = (ctx: Pick<AdminContext, 'lang'>, key: keyof typeof text.texts.en, params?: Params) => say(ctx.lang, text, key, params);

async function lettersPage(input: AdminInput, sent: { values?: FormBody; problems?: string[] } = {}): Promise<AdminResult> {
  const { ctx, store } = input;
  if (!can(ctx.member, 'log_letters')) throw new VigilError('forbidden', l(ctx, 'no_right'), 403);
  const person = await findPerson(store, input.params.id!);
  const view = presentPerson(ctx.member, person).view;
  if (!view) throw errors.notFound(`person ${input.params.id}`);
  const letters = await letterPage(store, { after: 0, limit: 200 }, { personId: person.id });
  const counts = (await letterCounts(store.db, [person.id])).get(person.id) ?? { sent: 0, replies: 0 };
  const values = sent.values ?? {};
  const name = displayName(view.names);
  return {
    status: sent.problems?.length ? 400 : 200,
    title: l(ctx, 'title', { name }),
    main: html`<h1>${l(ctx, 'title', { name })}</h1>
<p id="letter-counts">${l(ctx, 'counts', { sent: counts.sent, replies: counts.replies })}</p>
<h2>${l(ctx, 'log')}</h2>
${formErrors(ctx, sent.problems ?? [])}
<form method="post" action="${adminLink(ctx, `/admin/persons/${person.id}/letters`)}" class="record">${csrfField(ctx)}
<div class="grid">
${select({ name: 'direction', label: l(ctx, 'direction'), value: one(values, 'direction') || 'sent', choices: LETTER_DIRECTIONS.map((d) => [d, l(ctx, d)] as const) })}
${field({ name: 'date', label: l(ctx, 'date'), value: one(values, 'date') || ctx.today, required: true, hint: l(ctx, 'date_hint') })}
</div>
${textarea({ name: 'note', label: l(ctx, 'note'), value: one(values, 'note'), rows: 2 })}
<div class="actions"><button type="submit">${l(ctx, 'save')}</button><a href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${l(ctx, 'back')}</a></div>
</form>
${letters.length === 0 ? html`<p>${l(ctx, 'none')}</p>` : html`<ul>${[...letters].reverse().map((letter) => html`<li>${formatDate(ctx.lang, letter.date)} — ${l(ctx, letter.direction)} <span class="muted">(${l(ctx, 'by', { who: letter.logged_by })})</span>${letter.note ? html`<br>${letter.note}` : ''}</li>`)}</ul>`}`,
  };
}

async function submitLetter(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body, request } = input;
  if (!can(ctx.member, 'log_letters')) throw new VigilError('forbidden', l(ctx, 'no_right'), 403);
  const person = await findPerson(store, input.params.id!);
  if (!presentPerson(ctx.member, person).view) throw errors.notFound(`person ${input.params.id}`);
  const direction = one(body, 'direction');
  if (!(LETTER_DIRECTIONS as readonly string[]).includes(direction)) return lettersPage(input, { values: body, problems: [`${l(ctx, 'direction')}: "${direction}" is not one of the choices`] });
  try {
    await logLetter(store, { person_id: person.id, direction: direction as LetterDirection, date: one(body, 'date').trim(), note: one(body, 'note').trim() || null }, { actor: ctx.member.email, reason: 'letter logged', ip: request.ip });
  } catch (error) {
    if (isVigilError(error) && error.status === 400) return lettersPage(input, { values: body, problems: [error.message] });
    throw error;
  }
  return { redirect: adminLink(ctx, `/admin/persons/${person.id}/letters`, { done: 'recorded' }) };
}

export const letterRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/persons/:id/letters', handler: (input) => lettersPage(input) },
  { method: 'POST', path: '/admin/persons/:id/letters', handler: submitLetter },
];
