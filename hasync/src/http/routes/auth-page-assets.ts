/**
 * HAsync's login page at /auth/authorize: a PIN keypad in the kiosk's look that runs Home
 * Assistant's login flow (/auth/providers → /auth/login_flow) and completes the OAuth redirect
 * exactly as Home Assistant's authorize page does (frontend src/data/auth.ts redirectWithAuthCode):
 * `redirect_uri?code=…&state=…[&storeToken=true]`. Kept as strings so the bundle carries them;
 * the script is a separate file because the CSP allows only HAsync's own scripts.
 */

export const AUTHORIZE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Log in – HAsync</title>
<link rel="stylesheet" href="/auth/authorize.css">
<script src="/auth/authorize.js" defer></script>
</head>
<body>
<main class="card">
  <h1>Log in with a pairing PIN</h1>
  <p class="hint" id="hint">Enter the 6-digit PIN shown on HAsync’s Devices page.</p>
  <form id="login" novalidate>
    <label class="pin-label" for="pin">PIN</label>
    <input id="pin" name="pin" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
      pattern="[0-9]{6}" aria-describedby="hint error" autofocus>
    <div class="keypad" id="keypad" aria-label="Keypad">
      <button type="button" data-key="1">1</button><button type="button" data-key="2">2</button>
      <button type="button" data-key="3">3</button><button type="button" data-key="4">4</button>
      <button type="button" data-key="5">5</button><button type="button" data-key="6">6</button>
      <button type="button" data-key="7">7</button><button type="button" data-key="8">8</button>
      <button type="button" data-key="9">9</button>
      <button type="button" data-key="back" aria-label="Delete">⌫</button>
      <button type="button" data-key="0">0</button>
      <button type="submit" class="go" aria-label="Log in">✓</button>
    </div>
    <label class="name-label" for="name">Name of this device (optional)</label>
    <input id="name" name="name" maxlength="100" autocomplete="off">
    <label class="remember" id="remember-row" hidden>
      <input type="checkbox" id="remember"> Keep me logged in
    </label>
    <p class="error" id="error" role="alert"></p>
    <button type="submit" class="submit" id="submit">Log in</button>
  </form>
</main>
</body>
</html>
`;

export const AUTHORIZE_CSS = `:root { --bg:#f2f4f7; --card:#fff; --text:#0b0d12; --muted:#3d4452; --line:#c9ced8;
  --accent:#0061a8; --accent-text:#fff; --error:#b00020; }
@media (prefers-color-scheme: dark) { :root { --bg:#05070a; --card:#161a21; --text:#f4f6fa;
  --muted:#b9c1ce; --line:#39404d; --accent:#4db2ff; --accent-text:#00121f; --error:#ff8a80; } }
* { box-sizing: border-box; }
body { margin:0; min-height:100vh; display:grid; place-items:center; background:var(--bg);
  color:var(--text); font:18px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.card { background:var(--card); border:1px solid var(--line); border-radius:16px; padding:24px;
  width:min(420px, 100vw - 16px); }
h1 { font-size:1.6rem; margin:0 0 8px; }
.hint { color:var(--muted); margin:0 0 16px; }
label { display:block; color:var(--muted); font-size:.95rem; }
#pin { width:100%; font-size:2.6rem; letter-spacing:.5em; text-align:center; padding:8px 0 8px .5em;
  border:2px solid var(--line); border-radius:12px; background:transparent; color:var(--text); }
#pin:focus, #name:focus { outline:3px solid var(--accent); outline-offset:1px; }
.keypad { display:grid; grid-template-columns:repeat(3, 1fr); gap:8px; margin:16px 0; }
.keypad button { font-size:1.8rem; min-height:64px; border-radius:12px; border:1px solid var(--line);
  background:var(--bg); color:var(--text); cursor:pointer; }
.keypad .go { background:var(--accent); color:var(--accent-text); border-color:var(--accent); }
#name { width:100%; font-size:1.1rem; padding:10px; margin:4px 0 12px; border:1px solid var(--line);
  border-radius:10px; background:transparent; color:var(--text); }
.remember { display:flex; gap:8px; align-items:center; margin-bottom:8px; }
.error { color:var(--error); min-height:1.4em; margin:8px 0; font-weight:600; }
.submit { width:100%; font-size:1.2rem; padding:14px; border:0; border-radius:12px;
  background:var(--accent); color:var(--accent-text); cursor:pointer; }
.submit:disabled { opacity:.6; cursor:wait; }
`;

export const AUTHORIZE_JS = `'use strict';
(function () {
  var query = new URLSearchParams(location.search);
  var clientId = query.get('client_id');
  var redirectUri = query.get('redirect_uri');
  var oauthState = query.get('state');
  var form = document.getElementById('login');
  var pin = document.getElementById('pin');
  var nameInput = document.getElementById('name');
  var error = document.getElementById('error');
  var submit = document.getElementById('submit');
  var remember = document.getElementById('remember');
  var flowId = null;
  var busy = false;
  var MESSAGES = {
    invalid_auth: 'Wrong PIN. Check the PIN on HAsync’s Devices page and try again.',
    pin_required: 'Enter the 6-digit PIN.',
    pairing_gone: 'This PIN can no longer be used. Ask for a new PIN.',
    limit_reached: 'No more devices can be paired. Ask the owner to make room.'
  };

  function show(text) { error.textContent = text || ''; }

  function post(url, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          return { status: res.status, data: data, retry: res.headers.get('retry-after') };
        });
      });
  }

  // As Home Assistant's authorize page (frontend src/data/auth.ts redirectWithAuthCode).
  function redirect(code) {
    var url = redirectUri;
    if (url.indexOf('?') === -1) url += '?'; else if (url.slice(-1) !== '&') url += '&';
    url += 'code=' + encodeURIComponent(code);
    if (oauthState) url += '&state=' + encodeURIComponent(oauthState);
    if (remember.checked) url += '&storeToken=true';
    location.assign(url);
  }

  function startFlow() {
    return post('/auth/login_flow', { client_id: clientId, handler: ['hasync', null],
      redirect_uri: redirectUri }).then(function (res) {
      if (res.status !== 200) throw new Error(res.data.message || 'This app may not log in here.');
      flowId = res.data.flow_id;
    });
  }

  function refusal(res) {
    if (res.status === 429) {
      var wait = Number(res.retry) || 60;
      return 'Too many attempts. Wait ' + Math.ceil(wait / 60) + ' min, or scan the QR code.';
    }
    return res.data.message || 'Logging in failed (' + res.status + ').';
  }

  function send(credentials) {
    if (busy) return;
    busy = true; submit.disabled = true; show('');
    var body = { client_id: clientId, name: nameInput.value };
    Object.keys(credentials).forEach(function (key) { body[key] = credentials[key]; });
    (flowId ? Promise.resolve() : startFlow()).then(function () {
      return post('/auth/login_flow/' + encodeURIComponent(flowId), body);
    }).then(function (res) {
      if (res.status === 404) { flowId = null; throw new Error('The login expired; try again.'); }
      if (res.status !== 200) throw new Error(refusal(res));
      if (res.data.type === 'create_entry') { redirect(res.data.result); return; }
      var base = res.data.errors && res.data.errors.base;
      var reason = res.data.description_placeholders && res.data.description_placeholders.reason;
      show(reason || MESSAGES[base] || 'Logging in failed.');
      pin.value = ''; pin.focus();
    }).catch(function (err) { show(err.message); })
      .then(function () { busy = false; submit.disabled = false; });
  }

  document.getElementById('keypad').addEventListener('click', function (event) {
    var key = event.target && event.target.getAttribute('data-key');
    if (!key) return;
    if (key === 'back') pin.value = pin.value.slice(0, -1);
    else if (pin.value.length < 6) pin.value += key;
    pin.focus();
  });
  pin.addEventListener('input', function () { pin.value = pin.value.replace(/[^0-9]/g, '').slice(0, 6); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!/^[0-9]{6}$/.test(pin.value)) { show(MESSAGES.pin_required); pin.focus(); return; }
    send({ pin: pin.value });
  });

  if (!clientId || !redirectUri) {
    show('Open this page from Home Assistant’s app or dashboard: the login link is incomplete.');
    submit.disabled = true;
    return;
  }
  // Remember me is offered to HAsync's own frontend only, as on Home Assistant's page.
  if (clientId === location.origin + '/') {
    document.getElementById('remember-row').hidden = false;
    fetch('/auth/providers').then(function (res) { return res.json(); }).then(function (data) {
      remember.checked = Boolean(data.preselect_remember_me);
    }).catch(function () {});
  }
  // A QR code's pair_url may carry the pairing secret in the fragment: log in with it at once.
  var fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('code')) {
    history.replaceState(null, '', location.pathname + location.search);
    send({ code: fragment.get('code') });
  }
})();
`;
