/**
 * Your account: who you are signed in as, and your passkeys. Adding a passkey needs the browser's
 * WebAuthn (the script /admin/assets/passkey.js does it through the API, with this session's CSRF
 * token); removing one is a plain form.
 */
import { VigilError } from '../../../errors.js';
import { passkeysOf, removePasskey } from '../../../features/auth/passkeys.service.js';
import { html } from '../../site/html.js';
import { messages, say, type Params } from '../../site/i18n.js';
import { adminLink, csrfField, type AdminContext } from '../admin-layout.js';
import type { AdminInput, AdminResult, AdminRoute } from '../admin.js';

const text = messages('admin-account', {
  en: {
    title: 'Your account', role: 'Signed in as {email}, role {role}.', passkeys: 'Passkeys', none: 'No passkeys yet: you sign in with a one-time code.',
    intro: 'A passkey (a security key, your phone, or this computer’s fingerprint or PIN) can replace the one-time code at sign-in.',
    name: 'Name for the new passkey (to tell them apart)', add: 'Add a passkey', nojs: 'Adding a passkey needs JavaScript in the browser.',
    added: 'Added {at}', used: 'last used {at}', never: 'not used yet', remove: 'Remove', removed: 'The passkey was removed.', session_only: 'Passkeys are managed from a signed-in browser session.',
  },
  be: {
    title: 'Ваш уліковы запіс', role: 'Вы ўвайшлі як {email}, роля {role}.', passkeys: 'Ключы доступу', none: 'Ключоў доступу яшчэ няма: вы ўваходзіце з аднаразовым кодам.',
    intro: 'Ключ доступу (ключ бяспекі, ваш тэлефон або адбітак пальца ці PIN гэтага камп’ютара) можа замяніць аднаразовы код пры ўваходзе.',
    name: 'Назва новага ключа (каб іх адрозніваць)', add: 'Дадаць ключ доступу', nojs: 'Каб дадаць ключ доступу, патрэбны JavaScript.',
    added: 'Дададзены {at}', used: 'апошні раз {at}', never: 'яшчэ не выкарыстоўваўся', remove: 'Выдаліць', removed: 'Ключ доступу выдалены.', session_only: 'Ключамі доступу кіруюць з сеансу ў браўзеры.',
  },
  ru: {
    title: 'Ваша учётная запись', role: 'Вы вошли как {email}, роль {role}.', passkeys: 'Ключи доступа', none: 'Ключей доступа пока нет: вы входите с одноразовым кодом.',
    intro: 'Ключ доступа (ключ безопасности, ваш телефон или отпечаток пальца либо PIN этого компьютера) может заменить одноразовый код при входе.',
    name: 'Название нового ключа (чтобы их различать)', add: 'Добавить ключ доступа', nojs: 'Чтобы добавить ключ доступа, нужен JavaScript.',
    added: 'Добавлен {at}', used: 'последний раз {at}', never: 'ещё не использовался', remove: 'Удалить', removed: 'Ключ доступа удалён.', session_only: 'Ключами доступа управляют из сеанса в браузере.',
  },
});

const a = (ctx: Pick<AdminContext, 'lang'>, key: keyof typeof text.texts.en, params?: Params) => say(ctx.lang, text, key, params);
const when = (at: string) => at.slice(0, 16).replace('T', ' ');

async function accountPage({ ctx, store, request }: AdminInput): Promise<AdminResult> {
  const session = request.auth.session;
  if (!session) throw new VigilError('session_required', a(ctx, 'session_only'), 403);
  const passkeys = await passkeysOf(store, ctx.member.userId);
  const removed = (request.query as Record<string, string | undefined>).removed === '1';
  return {
    title: a(ctx, 'title'),
    main: html`<h1>${a(ctx, 'title')}</h1>
<p>${a(ctx, 'role', { email: ctx.member.email, role: ctx.member.role })}</p>
<h2>${a(ctx, 'passkeys')}</h2>
${removed ? html`<p class="done" role="status">${a(ctx, 'removed')}</p>` : ''}
<p>${a(ctx, 'intro')}</p>
${passkeys.length === 0 ? html`<p id="no-passkeys">${a(ctx, 'none')}</p>` : html`<ul id="passkeys">${passkeys.map((key) => html`<li>${key.name ?? 'passkey'} — ${a(ctx, 'added', { at: when(key.created_at) })}, ${key.last_used_at ? a(ctx, 'used', { at: when(key.last_used_at) }) : a(ctx, 'never')}
<form method="post" action="${adminLink(ctx, `/admin/account/passkeys/${key.id}/remove`)}" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${a(ctx, 'remove')}</button></form></li>`)}</ul>`}
<div id="passkey-register" data-csrf="${ctx.csrf}">
<div class="field"><label for="passkey-name">${a(ctx, 'name')}</label><input id="passkey-name" maxlength="100" autocomplete="off"></div>
<p><button type="button" id="passkey-add" hidden>${a(ctx, 'add')}</button></p>
<div class="errors" id="passkey-error" role="alert" hidden></div>
</div>
<noscript><p class="warning">${a(ctx, 'nojs')}</p></noscript>
<script src="/admin/assets/passkey.js" defer></script>`,
  };
}

async function removeKey({ ctx, store, request, params }: AdminInput): Promise<AdminResult> {
  const session = request.auth.session;
  if (!session) throw new VigilError('session_required', a(ctx, 'session_only'), 403);
  await removePasskey(store, session, Number(params.id), request.ip);
  return { redirect: adminLink(ctx, '/admin/account', { removed: 1 }) };
}

export const accountRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/account', handler: accountPage },
  { method: 'POST', path: '/admin/account/passkeys/:id/remove', handler: removeKey },
];
