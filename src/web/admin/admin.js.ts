/**
 * The workspace's script: while a name is typed in the person form, it asks the server for the
 * name's forms in the other scripts and for people already in the registry with a similar name, and
 * shows them beside the form. Everything it shows the form also shows without JavaScript, after
 * "Check names". On the page of a running import it moves the progress bar (without it, the page
 * reloads itself). Served from /admin/assets/admin.js (CSP script-src 'self'); no inline code.
 */
export const ADMIN_JS = `
(function () {
  'use strict';
  var form = document.querySelector('form[data-name-check]');
  if (!form) return;
  var target = document.getElementById('live-suggestions');
  if (!target) return;
  var timer = null;
  var asked = 0;
  function collect() {
    var params = new URLSearchParams();
    form.querySelectorAll('[data-name-part]').forEach(function (input) {
      if (input.value.trim() !== '') params.append(input.name, input.value);
    });
    return params;
  }
  function ask() {
    var params = collect();
    if ([...params.keys()].length === 0) { target.replaceChildren(); return; }
    params.set('lang', document.documentElement.lang);
    var exclude = form.getAttribute('data-person-id');
    if (exclude) params.set('exclude', exclude);
    var mine = ++asked;
    fetch('/admin/persons/check-names?' + params.toString(), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : ''; })
      .then(function (text) {
        if (mine !== asked) return;
        var parsed = new DOMParser().parseFromString(text, 'text/html');
        var fragment = parsed.getElementById('name-check');
        target.replaceChildren();
        if (fragment) target.appendChild(document.importNode(fragment, true));
      })
      .catch(function () {});
  }
  form.addEventListener('input', function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute('data-name-part')) return;
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
})();

// A running import: the bar follows the status endpoint; when the import has finished, on to its page.
(function () {
  'use strict';
  var box = document.querySelector('[data-import-status]');
  if (!box) return;
  var bar = document.getElementById('import-bar');
  var label = document.getElementById('import-label');
  var url = box.getAttribute('data-import-status');
  var failures = 0;
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then(function (status) {
        failures = 0;
        if (status.done) { window.location.replace(status.next); return; }
        bar.max = status.max;
        bar.value = status.value;
        bar.textContent = Math.round(100 * status.value / status.max) + ' %';
        label.textContent = status.label;
        setTimeout(poll, 1000);
      })
      .catch(function () {
        // Signed out, or the server restarted: the page itself says what happened.
        if (++failures >= 3) window.location.reload();
        else setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, 1000);
})();
`;

/**
 * The passkey step of signing in: asks the server for a challenge, lets the browser sign it with the
 * passkey (WebAuthn), sends the answer back, then goes on into the workspace. The page carries the
 * session's CSRF token; nothing here is secret beyond what the session already holds.
 */
export const PASSKEY_JS = `
(function () {
  'use strict';
  function fromB64url(text) {
    var base = text.replace(/-/g, '+').replace(/_/g, '/');
    var bin = atob(base + '==='.slice((base.length + 3) % 4));
    return Uint8Array.from(bin, function (c) { return c.charCodeAt(0); }).buffer;
  }
  function toB64url(buffer) {
    var bin = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function post(url, csrf, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body || {}) })
      .then(function (response) {
        if (response.status === 204) return {};
        return response.json().then(function (json) { if (!response.ok) throw new Error(json.error ? json.error.message : response.statusText); return json; });
      });
  }
  function show(problem, error) {
    problem.textContent = error && error.message ? error.message : String(error);
    problem.hidden = false;
  }
  if (!window.PublicKeyCredential) return;

  // Your account: add a passkey.
  var register = document.getElementById('passkey-register');
  var add = document.getElementById('passkey-add');
  if (register && add) {
    var failed = document.getElementById('passkey-error');
    add.hidden = false;
    add.addEventListener('click', function () {
      failed.hidden = true;
      var csrf = register.dataset.csrf;
      post('/api/v1/auth/passkeys/register/options', csrf).then(function (options) {
        options.challenge = fromB64url(options.challenge);
        options.user.id = fromB64url(options.user.id);
        (options.excludeCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
        return navigator.credentials.create({ publicKey: options });
      }).then(function (credential) {
        var r = credential.response;
        var name = document.getElementById('passkey-name').value;
        return post('/api/v1/auth/passkeys/register/verify', csrf, { name: name || undefined, credential: {
          id: credential.id, rawId: toB64url(credential.rawId), type: credential.type, clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment || undefined,
          response: { clientDataJSON: toB64url(r.clientDataJSON), attestationObject: toB64url(r.attestationObject), transports: r.getTransports ? r.getTransports() : [] } } });
      }).then(function () { window.location.reload(); }).catch(function (error) { show(failed, error); });
    });
  }

  // Signing in: the passkey step.
  var box = document.getElementById('passkey');
  var button = document.getElementById('passkey-button');
  var problem = document.getElementById('passkey-error');
  if (!box || !button) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    problem.hidden = true;
    post('/api/v1/auth/passkeys/sign-in/options', box.dataset.csrf).then(function (options) {
      options.challenge = fromB64url(options.challenge);
      (options.allowCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      var r = credential.response;
      return post('/api/v1/auth/passkeys/sign-in/verify', box.dataset.csrf, { credential: {
        id: credential.id, rawId: toB64url(credential.rawId), type: credential.type, clientExtensionResults: credential.getClientExtensionResults(),
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        response: { clientDataJSON: toB64url(r.clientDataJSON), authenticatorData: toB64url(r.authenticatorData), signature: toB64url(r.signature), userHandle: r.userHandle ? toB64url(r.userHandle) : undefined } } });
    }).then(function () {
      var next = box.dataset.next || '/admin';
      window.location.assign(next + (next.indexOf('?') < 0 ? '?lang=' + box.dataset.lang : ''));
    }).catch(function (error) { show(problem, error); });
  });
})();
`;
