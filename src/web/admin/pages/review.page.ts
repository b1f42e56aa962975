/**
 * The review queue. A volunteer's person form is saved as a proposal (this module takes over saving for
 * roles that may only propose); editors and admins see each pending proposal with what it would change
 * in the current record, and approve it (applied in their name, the reason naming the volunteer) or
 * reject it with a reason. A proposal over a record that changed since is shown as a conflict and is
 * never applied blindly. Volunteers see their own proposals and what became of them.
 */
import { can, type Viewer } from '../../../domain/policy.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import { presentPersonSnapshot } from '../../../features/history/history.service.js';
import { diffSnapshots } from '../../../features/history/snapshot-diff.js';
import {
  applyProposal, approveProposal, countPending, decidedProposals, pendingProposals, proposePerson, proposerOf, rejectProposal, type Proposal,
} from '../../../features/review/review.service.js';
import { displayName } from '../../../features/search/search.service.js';
import type { Store } from '../../../store/connection.js';
import { personsByIds, personData, type PersonData, type PersonRecord } from '../../../store/person.repository.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { html, type Child, type Html } from '../../site/html.js';
import { messages, say, type Params } from '../../site/i18n.js';
import { adminLink, csrfField, field, formErrors, t, type AdminContext } from '../admin-layout.js';
import { one, type AdminInput, type AdminResult, type AdminRoute } from '../admin.js';
import { countForReview } from './dashboard.page.js';
import { diffTable } from './history.page.js';
import { useProposals } from './persons.page.js';

const text = messages('admin-review', {
  en: {
    title: 'Review', intro: 'Changes proposed by volunteers. Nothing of them is in the registry or on the public site until approved.',
    mine: 'Your proposals', mine_intro: 'An editor checks each of your changes before it takes effect.', decided: 'Decided',
    none: 'Nothing waits for review.', proposal: 'Proposal #{id}', new_person: 'New person: {name}', change_to: 'Change to {name}',
    by: 'Proposed by {who} on {at}', why: 'Why', stale: 'The record has changed since this was proposed (proposed against version {base}, now {now}). It cannot be applied as it is: compare, then reject it, or edit the record yourself.',
    hidden_record: 'This record is not visible to your role.', approve: 'Approve and apply', approve_note: 'Note (optional)', reject: 'Reject', reject_reason: 'Why it is rejected (the volunteer sees this)',
    status_pending: 'waiting', status_approved: 'approved', status_rejected: 'rejected', decided_by: '{status} by {who} on {at}', open_record: 'Open the record', next: 'More',
  },
  be: {
    title: 'Праверка', intro: 'Змены, прапанаваныя валанцёрамі. Пакуль іх не зацвердзілі, іх няма ні ў рэестры, ні на публічным сайце.',
    mine: 'Вашыя прапановы', mine_intro: 'Рэдактар правярае кожную вашую змену, перш чым яна набудзе сілу.', decided: 'Вырашана',
    none: 'Нічога не чакае праверкі.', proposal: 'Прапанова №{id}', new_person: 'Новы чалавек: {name}', change_to: 'Змена: {name}',
    by: 'Прапанаваў(-ла) {who}, {at}', why: 'Чаму', stale: 'Запіс змяніўся пасля прапановы (прапанавана для версіі {base}, цяпер {now}). Унесці яе як ёсць нельга: параўнайце, потым адхіліце або выпраўце запіс самі.',
    hidden_record: 'Гэты запіс не бачны вашай ролі.', approve: 'Зацвердзіць і ўнесці', approve_note: 'Заўвага (неабавязкова)', reject: 'Адхіліць', reject_reason: 'Чаму адхілена (валанцёр гэта ўбачыць)',
    status_pending: 'чакае', status_approved: 'зацверджана', status_rejected: 'адхілена', decided_by: '{status}: {who}, {at}', open_record: 'Адкрыць запіс', next: 'Яшчэ',
  },
  ru: {
    title: 'Проверка', intro: 'Изменения, предложенные волонтёрами. Пока их не утвердили, их нет ни в реестре, ни на публичном сайте.',
    mine: 'Ваши предложения', mine_intro: 'Редактор проверяет каждое ваше изменение, прежде чем оно вступит в силу.', decided: 'Решено',
    none: 'Ничего не ждёт проверки.', proposal: 'Предложение №{id}', new_person: 'Новый человек: {name}', change_to: 'Изменение: {name}',
    by: 'Предложил(а) {who}, {at}', why: 'Почему', stale: 'Запись изменилась после предложения (предложено для версии {base}, сейчас {now}). Внести его как есть нельзя: сравните, затем отклоните или исправьте запись сами.',
    hidden_record: 'Эта запись не видна вашей роли.', approve: 'Утвердить и внести', approve_note: 'Примечание (необязательно)', reject: 'Отклонить', reject_reason: 'Почему отклонено (волонтёр это увидит)',
    status_pending: 'ждёт', status_approved: 'утверждено', status_rejected: 'отклонено', decided_by: '{status}: {who}, {at}', open_record: 'Открыть запись', next: 'Ещё',
  },
});

type Key = keyof typeof text.texts.en;
const r = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, text, key, params);

const PAGE = 50;
const when = (at: string) => at.slice(0, 16).replace('T', ' ');

// ------------------------------------------------------------------ proposing (from the person form)

useProposals(async (input, person, data) => {
  const { ctx, store, body, request } = input;
  await proposePerson(store, ctx.member, {
    person, data, baseVersion: person ? Number(one(body, 'version')) : null, reason: one(body, 'reason'), ip: request.ip,
  });
  return { redirect: person ? adminLink(ctx, `/admin/persons/${person.id}`, { done: 'proposed' }) : adminLink(ctx, '/admin/review', { done: 'proposed' }) };
});

countForReview(async ({ ctx, store }) => {
  if (can(ctx.member, 'write')) return countPending(store);
  return can(ctx.member, 'propose') ? countPending(store, ctx.member.email) : 0;
});

// ------------------------------------------------------------------ showing a proposal

/** A stand-in record for a proposed new person, so it is redacted by the same rules as a stored one. */
function unsaved(data: PersonData): PersonRecord {
  return { ...data, id: 0, merged_into: null, version: 0, created_at: '', updated_at: '' };
}

interface Shown {
  proposal: Proposal;
  current: PersonRecord | null;
  title: string;
  diff: Html | null;
  stale: boolean;
  restricted: string[];
}

function show(ctx: AdminContext, viewer: Viewer, proposal: Proposal, current: PersonRecord | null): Shown {
  if (proposal.entityId === null) {
    const after = presentPersonSnapshot(viewer, proposal.data, unsaved(proposal.data));
    const name = after.view ? displayName(after.view.names as PersonData['names']) || proposal.data.external_id : proposal.data.external_id;
    return { proposal, current: null, title: r(ctx, 'new_person', { name }), diff: diffTable(ctx, diffSnapshots(null, after.view)), stale: false, restricted: after.restricted };
  }
  const before = current ? presentPersonSnapshot(viewer, personData(current), current) : null;
  if (!current || !before?.view) return { proposal, current, title: r(ctx, 'change_to', { name: `#${proposal.entityId}` }), diff: null, stale: false, restricted: [] };
  const applied = { ...applyProposal(proposerOf(proposal), current, proposal.data), external_id: current.external_id };
  const after = presentPersonSnapshot(viewer, applied, current);
  return {
    proposal, current, title: r(ctx, 'change_to', { name: displayName(before.view.names as PersonData['names']) || current.external_id }),
    diff: diffTable(ctx, diffSnapshots(before.view, after.view)), stale: current.version !== proposal.baseVersion, restricted: [...before.restricted, ...after.restricted],
  };
}

async function showAll(input: AdminInput, proposals: readonly Proposal[]): Promise<Shown[]> {
  const { ctx, store, request } = input;
  const ids = [...new Set(proposals.flatMap((proposal) => (proposal.entityId === null ? [] : [proposal.entityId])))];
  const people = new Map((await personsByIds(store.db, ids)).map((person) => [person.id, person]));
  const shown = proposals.map((proposal) => show(ctx, ctx.member, proposal, proposal.entityId === null ? null : people.get(proposal.entityId) ?? null));
  await auditRestrictedRead(store, request, 'person', shown.flatMap((s) => (s.current ? [{ id: s.current.id, fields: s.restricted }] : [])));
  // A proposed new person is not in the registry yet: its restricted values are read as the proposal's.
  await auditRestrictedRead(store, request, 'proposal', shown.flatMap((s) => (s.current ? [] : [{ id: s.proposal.id, fields: s.restricted }])));
  return shown;
}

function decisionForms(ctx: AdminContext, shown: Shown, sentBack: SentBack): Child {
  if (!can(ctx.member, 'write')) return null;
  const id = shown.proposal.id;
  const mine = sentBack.id === id;
  return html`<div class="side-by-side">
${shown.stale ? html`<div></div>` : html`<form method="post" action="${adminLink(ctx, `/admin/review/${id}/approve`)}" class="record">${csrfField(ctx)}
${field({ name: 'note', id: `note-${id}`, label: r(ctx, 'approve_note'), value: mine ? sentBack.note : '' })}
<div class="actions"><button type="submit">${r(ctx, 'approve')}</button></div></form>`}
<form method="post" action="${adminLink(ctx, `/admin/review/${id}/reject`)}" class="record">${csrfField(ctx)}
${field({ name: 'reason', id: `reject-${id}`, label: r(ctx, 'reject_reason'), value: mine ? sentBack.reason : '', required: true })}
<div class="actions"><button type="submit" class="secondary">${r(ctx, 'reject')}</button></div></form>
</div>`;
}

function proposalBlock(ctx: AdminContext, shown: Shown, sentBack: SentBack): Html {
  const { proposal, current } = shown;
  const status = r(ctx, `status_${proposal.status}` as Key);
  return html`<section class="proposal" id="p${proposal.id}">
<h2>${r(ctx, 'proposal', { id: proposal.id })}: ${shown.title}</h2>
${sentBack.id === proposal.id && sentBack.problem ? formErrors(ctx, [sentBack.problem]) : ''}
<p class="muted">${r(ctx, 'by', { who: proposal.proposedBy, at: when(proposal.proposedAt) })}${proposal.status !== 'pending' && proposal.decidedBy ? html` — ${r(ctx, 'decided_by', { status, who: proposal.decidedBy, at: when(proposal.decidedAt ?? '') })}` : ''}</p>
<dl class="facts"><dt>${r(ctx, 'why')}</dt><dd>${proposal.reason}</dd>${proposal.decisionReason ? html`<dt>${status}</dt><dd>${proposal.decisionReason}</dd>` : ''}</dl>
${current ? html`<p><a href="${adminLink(ctx, `/admin/persons/${current.id}`)}">${r(ctx, 'open_record')}</a></p>` : ''}
${shown.stale && proposal.status === 'pending' ? html`<div class="warning" role="alert"><p>${r(ctx, 'stale', { base: proposal.baseVersion ?? 0, now: current?.version ?? 0 })}</p></div>` : ''}
${proposal.status !== 'pending' ? '' : html`${shown.diff ?? html`<p class="muted">${r(ctx, 'hidden_record')}</p>`}${decisionForms(ctx, shown, sentBack)}`}
</section>`;
}

// ------------------------------------------------------------------ pages

interface SentBack {
  id?: number;
  problem?: string;
  note?: string;
  reason?: string;
  status?: number;
}

function ensureMayReview(ctx: AdminContext): void {
  if (!can(ctx.member, 'write') && !can(ctx.member, 'propose')) throw new VigilError('forbidden', `your role (${ctx.member.role}) neither proposes nor reviews changes`, 403);
}

async function reviewPage(input: AdminInput, sentBack: SentBack = {}): Promise<AdminResult> {
  const { ctx, store } = input;
  ensureMayReview(ctx);
  const reviewer = can(ctx.member, 'write');
  const after = Number(ctx.query.after) || 0;
  const pending = await pendingProposals(store, { limit: PAGE, after, ...(reviewer ? {} : { by: ctx.member.email }) });
  const decided = reviewer ? [] : await decidedProposals(store, ctx.member.email, 20);
  const shown = await showAll(input, [...pending, ...decided]);
  const open = shown.filter((s) => s.proposal.status === 'pending');
  const closed = shown.filter((s) => s.proposal.status !== 'pending');
  const title = reviewer ? r(ctx, 'title') : r(ctx, 'mine');
  return {
    status: sentBack.status ?? 200,
    title,
    main: html`<h1>${title}</h1>
<p class="muted">${reviewer ? r(ctx, 'intro') : r(ctx, 'mine_intro')}</p>
${open.length === 0 ? html`<p>${r(ctx, 'none')}</p>` : open.map((s) => proposalBlock(ctx, s, sentBack))}
${pending.length === PAGE ? html`<p class="pager"><a href="${adminLink(ctx, '/admin/review', { after: pending.at(-1)!.id })}">${r(ctx, 'next')}</a></p>` : ''}
${closed.length > 0 ? html`<h2>${r(ctx, 'decided')}</h2>${closed.map((s) => proposalBlock(ctx, s, sentBack))}` : ''}`,
  };
}

function proposalId(input: AdminInput): number {
  const value = input.params.id ?? '';
  if (!/^\d{1,12}$/.test(value)) throw errors.notFound(`proposal ${value}`);
  return Number(value);
}

/** A decision that could not be made comes back on the queue page, next to its proposal. */
async function decide(input: AdminInput, action: (store: Store, id: number) => Promise<unknown>, done: 'approved' | 'rejected'): Promise<AdminResult> {
  const { ctx, store, body } = input;
  const id = proposalId(input);
  try {
    await action(store, id);
  } catch (error) {
    if (!isVigilError(error) || error.status === 403 || error.status === 404) throw error;
    const problem = error.id === 'version_conflict'
      ? t(ctx, 'conflict', { yours: (error.details as { expected: number }).expected, theirs: (error.details as { actual: number }).actual })
      : error.message;
    return reviewPage(input, { id, problem, status: error.status, note: one(body, 'note'), reason: one(body, 'reason') });
  }
  return { redirect: adminLink(ctx, '/admin/review', { done }) };
}

export const reviewRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/review', handler: (input) => reviewPage(input) },
  {
    method: 'POST', path: '/admin/review/:id/approve',
    handler: (input) => decide(input, (store, id) => approveProposal(store, input.ctx.member, id, one(input.body, 'note'), input.request.ip), 'approved'),
  },
  {
    method: 'POST', path: '/admin/review/:id/reject',
    handler: (input) => decide(input, (store, id) => rejectProposal(store, input.ctx.member, id, one(input.body, 'reason'), input.request.ip), 'rejected'),
  },
];
