// The simulated phone: what the demo user's real phone would show, driven by the emulator's
// test-only `/__emulator/` endpoints (CORS *). Polls once a second: the current TOTP code, the
// SMS / voice / email outbox (an email shows as a mail), and pending Okta Verify pushes
// (approve, deny, pick the number).

const $ = (id) => document.getElementById(id);

/** Milliseconds since the epoch from whatever the emulator sends (seconds, ms or an ISO string). */
function toMs(v) {
  if (typeof v === 'number') return v < 1e12 ? v * 1000 : v;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) && v.trim() !== '' ? toMs(n) : Date.parse(v);
  }
  return NaN;
}

function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (!Number.isFinite(s)) return '';
  if (s < 5) return 'now';
  if (s < 60) return `${s}s ago`;
  return `${Math.floor(s / 60)}m ago`;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && k !== 'type') e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c != null && c !== false));
  return e;
}

/** A user's factors as a set of lower-case names, whatever shape the emulator lists them in. */
function factorSet(user) {
  const f = user.factors ?? [];
  const names = Array.isArray(f)
    ? f.map((x) => (typeof x === 'string' ? x : x.type ?? x.kind ?? x.name ?? ''))
    : Object.keys(f).filter((k) => f[k]);
  return new Set(names.map((s) => String(s).toLowerCase()));
}

/** The password of every demo user that has one (emulator/users.toml): shown to whoever tries the demo. */
const DEMO_PASSWORD = 'Demo-Passw0rd';

const FACTOR_LABELS = { password: 'password', totp: 'authenticator app', otp: 'authenticator app', push: 'Okta Verify push', sms: 'SMS', voice: 'voice', phone: 'SMS / voice', email: 'email' };

export class Phone {
  /** @param {string} emulator base URL of the emulator */
  constructor(emulator, { onSelect } = {}) {
    this.emulator = emulator.replace(/\/$/, '');
    this.onSelect = onSelect;
    this.users = [];
    this.login = '';
    this.select = $('phone-user');
    this.seen = { pushes: '', inbox: '', totp: '' };
    this.select.addEventListener('change', () => {
      this.show(this.select.value);
      this.onSelect?.(this.select.value);
    });
    this.timer = null;
  }

  api(path, init) {
    return fetch(`${this.emulator}/__emulator${path}`, { cache: 'no-store', ...init });
  }

  async start() {
    try {
      const r = await this.api('/users');
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const body = await r.json();
      this.users = (Array.isArray(body) ? body : body.users ?? []).map((u) => ({
        login: u.login ?? u.username ?? u.email,
        name: u.name ?? u.displayName ?? u.login,
        factors: factorSet(u),
      }));
    } catch (e) {
      this.fail(`The emulator at ${this.emulator} does not answer (${e.message}).`);
      return;
    }
    this.select.replaceChildren(...this.users.map((u) => el('option', { value: u.login }, `${u.name} · ${u.login}`)));
    this.show(this.users[0]?.login ?? '');
    this.loop();
  }

  fail(message) {
    const p = $('phone-error');
    p.textContent = message;
    p.hidden = !message;
  }

  /** Makes the phone belong to `login` (case-insensitive), if it is a demo user. */
  follow(login) {
    const u = this.users.find((x) => x.login.toLowerCase() === String(login).trim().toLowerCase());
    if (u && u.login !== this.login) this.show(u.login);
  }

  show(login) {
    this.login = login;
    this.select.value = login;
    this.seen = { pushes: '', inbox: '', totp: '' };
    const u = this.users.find((x) => x.login === login);
    const names = u ? [...u.factors].map((f) => FACTOR_LABELS[f] ?? f) : [];
    const password = u?.factors.has('password') ? ` Demo password: ${DEMO_PASSWORD}` : '';
    $('phone-factors').textContent = u ? `${u.name} is enrolled in: ${[...new Set(names)].join(', ') || 'nothing'}.${password}` : '';
    this.tick();
  }

  user() {
    return this.users.find((x) => x.login === this.login);
  }

  loop() {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      await this.tick();
      this.loop();
    }, 1000);
  }

  async tick() {
    const login = this.login;
    $('phone-clock').textContent = new Date().toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
    if (!login) return;
    const enc = encodeURIComponent(login);
    const u = this.user();
    const has = (...f) => f.some((x) => u?.factors.has(x));
    const get = (path) => this.api(path).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))));
    const [totp, outbox, pushes] = await Promise.allSettled([
      has('totp', 'otp') ? get(`/users/${enc}/totp`) : null,
      get(`/users/${enc}/outbox`),
      get('/push'),
    ]);
    if (login !== this.login) return; // the owner changed while we were asking
    const failed = [totp, outbox, pushes].find((r) => r.status === 'rejected');
    this.fail(failed ? `Lost contact with the emulator (${failed.reason.message}).` : '');
    this.renderTotp(totp.value, has('totp', 'otp'));
    if (outbox.status === 'fulfilled') this.renderInbox(outbox.value ?? []);
    if (pushes.status === 'fulfilled') this.renderPushes(pushes.value ?? []);
  }

  renderTotp(t, enrolled) {
    const box = $('totp');
    if (!enrolled || !t) {
      const key = enrolled ? 'loading' : 'none';
      if (this.seen.totp !== key) {
        box.replaceChildren(el('p', { class: 'empty' }, enrolled ? '…' : 'No authenticator app on this phone.'));
        this.seen.totp = key;
      }
      return;
    }
    const left = Math.max(0, Math.round(Number(t.expiresIn ?? t.expires_in ?? 0)));
    const period = Number(t.period ?? 30);
    const code = String(t.code);
    const spaced = code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
    const C = 2 * Math.PI * 15;
    if (this.seen.totp !== code) {
      box.replaceChildren(
        el('div', {},
          el('p', { class: 'totp-code', 'data-code': code, 'aria-label': `Code ${code.split('').join(' ')}` }, spaced),
          el('p', { class: 'totp-account' }, `Acme · ${this.login}`)),
        ringSvg(C),
      );
      this.seen.totp = code;
    }
    const ring = box.querySelector('.ring');
    ring.querySelector('.ring-fg').style.strokeDashoffset = String(C * (1 - left / period));
    ring.querySelector('text').textContent = String(left);
  }

  renderInbox(messages) {
    const key = JSON.stringify(messages);
    if (key === this.seen.inbox) return;
    this.seen.inbox = key;
    const list = $('inbox');
    if (!messages.length) {
      list.replaceChildren(el('li', { class: 'empty' }, 'No messages.'));
      return;
    }
    const sorted = [...messages].sort((a, b) => toMs(b.sentAt) - toMs(a.sentAt));
    list.replaceChildren(...sorted.map((m) => {
      const voice = m.channel === 'voice';
      const mail = m.channel === 'email';
      return el('li', { class: mail ? 'msg mail' : 'msg', 'data-channel': m.channel, 'data-code': m.code ?? '' },
        el('div', { class: 'msg-head' },
          el('span', {}, mail ? `✉ Mail to ${m.to ?? ''} · Acme sign-in code` : voice ? `Voice call to ${m.to ?? ''}` : `SMS to ${m.to ?? ''}`),
          el('span', { class: 'msg-time' }, new Date(toMs(m.sentAt)).toLocaleTimeString())),
        highlight(m.body ?? '', m.code));
    }));
  }

  renderPushes(all) {
    const now = Date.now();
    const mine = all.filter((p) => String(p.login).toLowerCase() === this.login.toLowerCase()
      && !(toMs(p.expiresAt) < now));
    const key = JSON.stringify(mine.map((p) => p.id));
    if (key === this.seen.pushes) {
      for (const card of $('pushes').querySelectorAll('[data-created]')) {
        card.querySelector('.push-card-meta').textContent = `Acme · ${ago(Number(card.dataset.created))}`;
      }
      return;
    }
    this.seen.pushes = key;
    const box = $('pushes');
    if (!mine.length) {
      box.replaceChildren(el('p', { class: 'empty' }, this.user()?.factors.has('push') ? 'No pending sign-in requests.' : 'Okta Verify is not set up on this phone.'));
      return;
    }
    box.replaceChildren(...mine.map((p) => this.pushCard(p)));
  }

  pushCard(p) {
    const created = toMs(p.createdAt);
    const choices = p.numberChallenge?.choices;
    const card = el('div', { class: 'push-card', 'data-push-id': p.id, 'data-created': String(created) },
      el('p', { class: 'push-card-title' }, 'Did you just try to sign in?'),
      el('p', { class: 'push-card-meta' }, `Acme · ${ago(created)}`));
    const act = async (what, body) => {
      for (const b of card.querySelectorAll('button')) b.disabled = true;
      const r = await this.api(`/push/${encodeURIComponent(p.id)}/${what}`, body === undefined ? { method: 'POST' } : {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      }).catch((e) => ({ ok: false, status: e.message }));
      if (!r.ok) {
        for (const b of card.querySelectorAll('button')) b.disabled = false;
        card.append(el('p', { class: 'push-card-meta', role: 'alert' }, `The emulator refused (${r.status}).`));
      } else {
        card.replaceChildren(el('p', { class: 'push-card-title' }, what === 'approve' ? 'Approved ✓' : 'Denied'));
      }
      this.seen.pushes = 'acted';
    };
    if (choices) {
      card.append(
        el('p', { class: 'push-card-meta' }, 'Tap the number shown on the sign-in page'),
        el('div', { class: 'push-choices', role: 'group', 'aria-label': 'Number challenge' },
          ...choices.map((n) => el('button', { type: 'button', class: 'button secondary', 'data-number': String(n), onclick: () => act('approve', { number: n }) }, String(n)))),
        el('div', { class: 'push-buttons' },
          el('button', { type: 'button', class: 'button deny', onclick: () => act('deny') }, 'No, it’s not me')));
    } else {
      card.append(el('div', { class: 'push-buttons' },
        el('button', { type: 'button', class: 'button deny', onclick: () => act('deny') }, 'No, it’s not me'),
        el('button', { type: 'button', class: 'button primary', onclick: () => act('approve', {}) }, 'Yes, it’s me')));
    }
    return card;
  }
}

/** The message text with its code in bold (appended when the text does not contain it). */
function highlight(body, code) {
  const p = el('p', { class: 'msg-body' });
  const i = code ? body.indexOf(code) : -1;
  if (i < 0) p.append(body, ...(code ? [' ', el('strong', { class: 'msg-code' }, code)] : []));
  else p.append(body.slice(0, i), el('strong', { class: 'msg-code' }, code), body.slice(i + code.length));
  return p;
}

function ringSvg(C) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 36 36');
  svg.setAttribute('class', 'ring');
  svg.setAttribute('aria-hidden', 'true');
  for (const [cls, extra] of [['ring-bg', {}], ['ring-fg', { 'stroke-dasharray': String(C) }]]) {
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', '18'); c.setAttribute('cy', '18'); c.setAttribute('r', '15');
    c.setAttribute('class', cls);
    for (const [k, v] of Object.entries(extra)) c.setAttribute(k, v);
    svg.append(c);
  }
  const t = document.createElementNS(ns, 'text');
  t.setAttribute('x', '18'); t.setAttribute('y', '22'); t.setAttribute('text-anchor', 'middle');
  svg.append(t);
  return svg;
}
