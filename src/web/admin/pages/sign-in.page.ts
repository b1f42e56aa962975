/**
 * Signing in to the workspace (password + one-time code), signing out, and setting up an account from
 * the one-time set-up code an admin hands out. These pages are open to anyone, so each form carries a
 * random value that must match a cookie set with the form: a page on another site cannot post it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isVigilError } from '../../../errors.js';
import type { Store } from '../../../store/connection.js';
import { finishSetup, startSetup } from '../../../features/auth/accounts.service.js';
import { SESSION_COOKIE } from '../../../features/auth/authenticate.js';
import { randomSecret } from '../../../features/auth/secrets.js';
import { SESSION_MAX_HOURS, signIn, signOut } from '../../../features/auth/signin.service.js';
import { cookieOptions } from '../../api/auth.routes.js';
import { clientOf } from '../../api/guards.js';
import type { App } from '../../api/app-types.js';
import { html, type Child } from '../../site/html.js';
import { LANG_NAMES, LANGS, messages, say, type Lang } from '../../site/i18n.js';
import { checkCsrf, langOf, one, type FormBody } from '../admin.js';

const text = messages('admin-sign-in', {
  en: {
    title: 'Sign in', workspace: 'Vigil workspace', email: 'Email', password: 'Password', code: 'One-time code from your authenticator app',
    code_hint: 'Six digits. Leave empty if you use a passkey instead.', submit: 'Sign in', stale: 'The sign-in form had expired. Please try again.',
    setup_link: 'Setting up a new account? Use the set-up code an admin gave you.',
    setup_title: 'Set up your account', setup_code: 'Set-up code', setup_next: 'Continue',
    setup_secret: 'Add this key to your authenticator app (for example Aegis, FreeOTP or Google Authenticator), as a time-based key for {email}:',
    setup_uri: 'Or open this link on the phone that has the app:', setup_password: 'Choose a password (at least 12 characters)',
    setup_code2: 'The code the app shows now', setup_finish: 'Finish set-up', setup_done: 'Your account is ready. Sign in with your email, password and a code from the app.',
    passkey_title: 'Confirm with your passkey', passkey: 'Your password was right. Now confirm with your passkey (security key, phone or this computer).',
    passkey_button: 'Use my passkey', passkey_nojs: 'Passkeys need JavaScript in the browser. Without it, sign in with a one-time code instead.',
    signed_out: 'You are signed out.',
  },
  be: {
    title: 'Уваход', workspace: 'Працоўная прастора Vigil', email: 'Электронная пошта', password: 'Пароль', code: 'Аднаразовы код з праграмы-аўтэнтыфікатара',
    code_hint: 'Шэсць лічбаў. Пакіньце пустым, калі карыстаецеся ключом доступу (passkey).', submit: 'Увайсці', stale: 'Форма ўваходу састарэла. Паспрабуйце яшчэ раз.',
    setup_link: 'Наладжваеце новы ўліковы запіс? Скарыстайцеся кодам, які даў адміністратар.',
    setup_title: 'Наладка ўліковага запісу', setup_code: 'Код наладкі', setup_next: 'Далей',
    setup_secret: 'Дадайце гэты ключ у праграму-аўтэнтыфікатар (напрыклад Aegis, FreeOTP або Google Authenticator) як ключ па часе для {email}:',
    setup_uri: 'Або адкрыйце гэтую спасылку на тэлефоне з праграмай:', setup_password: 'Прыдумайце пароль (не менш за 12 знакаў)',
    setup_code2: 'Код, які праграма паказвае зараз', setup_finish: 'Завяршыць наладку', setup_done: 'Уліковы запіс гатовы. Увайдзіце з поштай, паролем і кодам з праграмы.',
    passkey_title: 'Пацвердзіце ключом доступу', passkey: 'Пароль правільны. Цяпер пацвердзіце ключом доступу (ключ бяспекі, тэлефон або гэты камп’ютар).',
    passkey_button: 'Выкарыстаць ключ доступу', passkey_nojs: 'Ключам доступу патрэбны JavaScript. Без яго ўвайдзіце з аднаразовым кодам.',
    signed_out: 'Вы выйшлі.',
  },
  ru: {
    title: 'Вход', workspace: 'Рабочее пространство Vigil', email: 'Электронная почта', password: 'Пароль', code: 'Одноразовый код из приложения-аутентификатора',
    code_hint: 'Шесть цифр. Оставьте пустым, если используете ключ доступа (passkey).', submit: 'Войти', stale: 'Форма входа устарела. Попробуйте ещё раз.',
    setup_link: 'Настраиваете новую учётную запись? Используйте код, который дал администратор.',
    setup_title: 'Настройка учётной записи', setup_code: 'Код настройки', setup_next: 'Далее',
    setup_secret: 'Добавьте этот ключ в приложение-аутентификатор (например Aegis, FreeOTP или Google Authenticator) как ключ по времени для {email}:',
    setup_uri: 'Или откройте эту ссылку на телефоне с приложением:', setup_password: 'Придумайте пароль (не короче 12 символов)',
    setup_code2: 'Код, который приложение показывает сейчас', setup_finish: 'Завершить настройку', setup_done: 'Учётная запись готова. Войдите с почтой, паролем и кодом из приложения.',
    passkey_title: 'Подтвердите ключом доступа', passkey: 'Пароль верный. Теперь подтвердите ключом доступа (ключ безопасности, телефон или этот компьютер).',
    passkey_button: 'Использовать ключ доступа', passkey_nojs: 'Ключам доступа нужен JavaScript. Без него войдите с одноразовым кодом.',
    signed_out: 'Вы вышли.',
  },
});

type Key = keyof typeof text.texts.en;
const FORM_COOKIE = 'vigil_form';
const HTML = 'text/html; charset=utf-8';

/** Only a path inside the workspace may be the place to return to after signing in. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/admin') && !next.startsWith('//') && !next.includes('\\') ? next : '/admin';
}

function page(lang: Lang, title: string, main: Child, status = 200) {
  const s = (key: Key) => say(lang, text, key);
  return {
    status,
    body: html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title} — ${s('workspace')}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/site.css"><link rel="stylesheet" href="/admin/assets/admin.css"></head>
<body class="admin">
<header class="site admin"><div class="bar"><span class="brand">${s('workspace')}</span>
<nav class="langs" aria-label="Language"><ul>${LANGS.map((l) => html`<li><a href="/admin/sign-in?lang=${l}" hreflang="${l}" lang="${l}"${l === lang ? html` aria-current="true"` : ''}>${LANG_NAMES[l]}</a></li>`)}</ul></nav>
</div></header>
<main id="main" tabindex="-1">${main}</main>
</body></html>`.value,
  };
}

function send(reply: FastifyReply, rendered: { status: number; body: string }): FastifyReply {
  return reply.status(rendered.status).header('Content-Type', HTML).header('Cache-Control', 'no-store').send(rendered.body);
}

/** A fresh random value in a cookie and in the form: the post must bring both back. */
function formToken(reply: FastifyReply): string {
  const token = randomSecret(18);
  reply.setCookie(FORM_COOKIE, token, { ...cookieOptions, path: '/admin', maxAge: 3600 });
  return token;
}

function formTokenValid(request: FastifyRequest, body: FormBody): boolean {
  const cookie = request.cookies[FORM_COOKIE];
  return Boolean(cookie) && cookie === one(body, '_form');
}

function signInForm(lang: Lang, token: string, options: { next: string; email?: string; problem?: string; notice?: string }): Child {
  const s = (key: Key) => say(lang, text, key);
  return html`<h1>${s('title')}</h1>
${options.notice ? html`<p class="done" role="status">${options.notice}</p>` : ''}
${options.problem ? html`<div class="errors" role="alert"><p>${options.problem}</p></div>` : ''}
<form method="post" action="/admin/sign-in?lang=${lang}" class="record">
<input type="hidden" name="_form" value="${token}"><input type="hidden" name="next" value="${options.next}">
<div class="field"><label for="email">${s('email')}</label><input id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}"></div>
<div class="field"><label for="password">${s('password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<div class="field"><label for="totp">${s('code')}</label><span class="hint" id="totp-hint">${s('code_hint')}</span><input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" aria-describedby="totp-hint"></div>
<div class="actions"><button type="submit">${s('submit')}</button></div>
</form>
<p><a href="/admin/setup?lang=${lang}">${s('setup_link')}</a></p>`;
}

function passkeyPage(lang: Lang, next: string, csrf: string) {
  const s = (key: Key) => say(lang, text, key);
  return page(lang, s('passkey_title'), html`<h1>${s('passkey_title')}</h1><p>${s('passkey')}</p>
<div id="passkey" data-next="${next}" data-csrf="${csrf}" data-lang="${lang}"><button type="button" id="passkey-button" hidden>${s('passkey_button')}</button><div class="errors" id="passkey-error" role="alert" hidden></div></div>
<noscript><p class="warning">${s('passkey_nojs')}</p></noscript>
<p><a href="/admin/sign-in?lang=${lang}">${s('title')}</a></p>
<script src="/admin/assets/passkey.js" defer></script>`);
}

export function signInRoutes(scope: App, store: Store): void {
  scope.get('/admin/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    const query = request.query as Record<string, string | undefined>;
    const notice = query.done === 'signed_out' ? say(lang, text, 'signed_out') : query.done === 'setup' ? say(lang, text, 'setup_done') : undefined;
    return send(reply, page(lang, say(lang, text, 'title'), signInForm(lang, formToken(reply), { next: safeNext(query.next), ...(notice ? { notice } : {}) })));
  });

  scope.post('/admin/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    const body = (request.body ?? {}) as FormBody;
    const next = safeNext(one(body, 'next'));
    const again = (problem: string, status: number) =>
      send(reply, page(lang, say(lang, text, 'title'), signInForm(lang, formToken(reply), { next, email: one(body, 'email'), problem }), status));
    if (!formTokenValid(request, body)) return again(say(lang, text, 'stale'), 403);
    try {
      const totp = one(body, 'totp').replace(/\s+/g, '');
      const result = await signIn(store, { email: one(body, 'email'), password: one(body, 'password'), ...(totp ? { totp } : {}) }, clientOf(request));
      reply.setCookie(SESSION_COOKIE, result.sessionToken, { ...cookieOptions, maxAge: SESSION_MAX_HOURS * 3600 });
      reply.clearCookie(FORM_COOKIE, { ...cookieOptions, path: '/admin' });
      // The passkey step's script needs the session's CSRF token: the page is the answer itself, not a redirect.
      if (result.secondFactor === 'passkey') return send(reply, passkeyPage(lang, next, result.csrfToken));
      return reply.redirect(next.includes('?') ? next : `${next}?lang=${lang}`, 303);
    } catch (error) {
      if (isVigilError(error)) return again(error.message, error.status);
      throw error;
    }
  });

  scope.post('/admin/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    const cookie = request.cookies[SESSION_COOKIE];
    const viewer = request.auth.viewer;
    if (cookie && viewer.kind === 'member') {
      checkCsrf(request, one((request.body ?? {}) as FormBody, '_csrf'));
      await signOut(store, cookie, viewer.email, request.ip);
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect(`/admin/sign-in?lang=${lang}&done=signed_out`, 303);
  });

  setupRoutes(scope, store);
}

function setupCodeForm(lang: Lang, token: string, problem?: string): Child {
  const s = (key: Key) => say(lang, text, key);
  return html`<h1>${s('setup_title')}</h1>
${problem ? html`<div class="errors" role="alert"><p>${problem}</p></div>` : ''}
<form method="post" action="/admin/setup?lang=${lang}" class="record"><input type="hidden" name="_form" value="${token}">
<div class="field"><label for="code">${s('setup_code')}</label><input id="code" name="code" required autocomplete="off"></div>
<div class="actions"><button type="submit">${s('setup_next')}</button></div></form>`;
}

function setupFinishForm(lang: Lang, token: string, input: { code: string; email: string; secret: string; uri: string }, problem?: string): Child {
  const s = (key: Key, params?: Record<string, string>) => say(lang, text, key, params);
  return html`<h1>${s('setup_title')}</h1>
${problem ? html`<div class="errors" role="alert"><p>${problem}</p></div>` : ''}
<p>${s('setup_secret', { email: input.email })}</p><p><code class="hash" id="totp-secret">${input.secret}</code></p>
${input.uri.startsWith('otpauth://') ? html`<p>${s('setup_uri')} <a href="${input.uri}">otpauth://</a></p>` : ''}
<form method="post" action="/admin/setup/finish?lang=${lang}" class="record"><input type="hidden" name="_form" value="${token}">
<input type="hidden" name="code" value="${input.code}"><input type="hidden" name="email" value="${input.email}"><input type="hidden" name="secret" value="${input.secret}"><input type="hidden" name="uri" value="${input.uri}">
<div class="field"><label for="password">${s('setup_password')}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required></div>
<div class="field"><label for="totp">${s('setup_code2')}</label><input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" required></div>
<div class="actions"><button type="submit">${s('setup_finish')}</button></div></form>`;
}

function setupRoutes(scope: App, store: Store): void {
  scope.get('/admin/setup', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    return send(reply, page(lang, say(lang, text, 'setup_title'), setupCodeForm(lang, formToken(reply))));
  });

  scope.post('/admin/setup', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    const body = (request.body ?? {}) as FormBody;
    const title = say(lang, text, 'setup_title');
    if (!formTokenValid(request, body)) return send(reply, page(lang, title, setupCodeForm(lang, formToken(reply), say(lang, text, 'stale')), 403));
    const code = one(body, 'code').trim();
    try {
      const started = await startSetup(store, code);
      return send(reply, page(lang, title, setupFinishForm(lang, formToken(reply), { code, email: started.email, secret: started.totp_secret, uri: started.otpauth_uri })));
    } catch (error) {
      if (isVigilError(error)) return send(reply, page(lang, title, setupCodeForm(lang, formToken(reply), error.message), error.status));
      throw error;
    }
  });

  scope.post('/admin/setup/finish', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    const body = (request.body ?? {}) as FormBody;
    const title = say(lang, text, 'setup_title');
    const input = { code: one(body, 'code'), email: one(body, 'email'), secret: one(body, 'secret'), uri: one(body, 'uri') };
    if (!formTokenValid(request, body)) return send(reply, page(lang, title, setupCodeForm(lang, formToken(reply), say(lang, text, 'stale')), 403));
    try {
      await finishSetup(store, { code: input.code, password: one(body, 'password'), totp: one(body, 'totp').replace(/\s+/g, '') }, request.ip);
      return reply.redirect(`/admin/sign-in?lang=${lang}&done=setup`, 303);
    } catch (error) {
      if (isVigilError(error)) return send(reply, page(lang, title, setupFinishForm(lang, formToken(reply), input, error.message), error.status));
      throw error;
    }
  });
}

