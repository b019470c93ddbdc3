// EchoSoul web chat: a small browser ES module, no framework, no build step.
// Every text that comes from the server (the stranger's messages, the bot's notices) is put
// into the page with textContent or as a text node, never as HTML.
//
// Storage, as designed:
//   localStorage   es.identities  anonymous ids + server-signed tokens ({ id, token }), one per
//                  open tab at most (es.lease.<id> marks the ones a live tab is using)
//   sessionStorage es.identity, es.status, es.sessionId, es.live, es.searchSince,
//                  es.transcript, es.pending  -> a reload or dropped connection resumes the chat

const PROTOCOL = 1;
const LEASE_MS = 6000;
const MAX_ITEMS = 300;
const HIDDEN_ACTIONS = new Set(['find', 'next', 'stop']);
const RATE_RE = /^rate:([1-5]):(session_[0-9a-f]{10})$/;

const $ = (id) => document.getElementById(id);
const ui = {
  log: $('log'),
  intro: $('intro'),
  typing: $('typing'),
  conn: $('conn'),
  panels: { offline: $('panel-idle'), searching: $('panel-searching'), chatting: $('panel-chat') },
  findForm: $('find-form'),
  interests: $('interests'),
  language: $('language'),
  findBtn: $('find-btn'),
  cancelBtn: $('cancel-btn'),
  elapsed: $('elapsed'),
  composer: $('composer'),
  input: $('input'),
  nextBtn: $('next-btn'),
  stopBtn: $('stop-btn'),
  counter: $('counter'),
};

/* ---------- storage ---------- */

const storeIn = (area) => ({
  get(key, fallback) {
    try {
      const raw = area.getItem(`es.${key}`);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      area.setItem(`es.${key}`, JSON.stringify(value));
    } catch {
      /* storage full or disabled: the chat still works, it just won't survive a reload */
    }
  },
});
const tab = storeIn(sessionStorage);
const device = storeIn(localStorage);

const S = {
  status: tab.get('status', 'offline'),
  sessionId: tab.get('sessionId', null),
  live: tab.get('live', false),
  searchSince: tab.get('searchSince', null),
  items: tab.get('transcript', []),
  commented: tab.get('commented', []),
  maxText: 2000,
  ws: null,
  ready: false,
  retry: 0,
  replaced: false,
  lastTypingSent: 0,
  typingTimer: 0,
  waiting: false,
};

function save() {
  if (S.items.length > MAX_ITEMS) S.items.splice(0, S.items.length - MAX_ITEMS);
  tab.set('status', S.status);
  tab.set('sessionId', S.sessionId);
  tab.set('live', S.live);
  tab.set('searchSince', S.searchSince);
  tab.set('transcript', S.items);
  tab.set('commented', S.commented);
}

/* ---------- identity ---------- */

function leaseOf(id) {
  return Number(localStorage.getItem(`es.lease.${id}`) || 0);
}

function renewLease() {
  const mine = tab.get('identity', null);
  if (mine) localStorage.setItem(`es.lease.${mine.id}`, String(Date.now()));
}

/** This tab's identity: kept across reloads; a new tab takes one no other open tab is using. */
function pickIdentity() {
  const mine = tab.get('identity', null);
  if (mine && typeof mine.token === 'string') return mine;
  const now = Date.now();
  for (const idn of device.get('identities', [])) {
    if (idn && typeof idn.token === 'string' && now - leaseOf(idn.id) > LEASE_MS) {
      tab.set('identity', idn);
      renewLease();
      return idn;
    }
  }
  return null;
}

function rememberIdentity(id, token) {
  const before = tab.get('identity', null);
  tab.set('identity', { id, token });
  const all = device
    .get('identities', [])
    .filter((x) => x && x.id !== id && !(before && before.id === x.id && before.id !== id));
  all.push({ id, token });
  device.set('identities', all.slice(-20));
  renewLease();
}

setInterval(renewLease, 2000);

/* ---------- helpers ---------- */

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, className, onClick) {
  const b = el('button', className, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function isHttpUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function textOfItem(item) {
  if (!item) return '';
  if (item.k === 'me' || item.k === 'sys') return item.text || '';
  if (item.k === 'them') {
    const c = item.content || {};
    return c.kind === 'text' ? c.text : c.caption || (c.kind === 'photo' ? 'Photo' : c.what || '');
  }
  return '';
}

/* ---------- rendering ---------- */

const nodes = new Map();

function renderItem(item) {
  switch (item.k) {
    case 'me':
      return renderMine(item);
    case 'them':
      return renderTheirs(item);
    case 'rate':
      return renderRating(item);
    default:
      return renderSystem(item);
  }
}

function renderMine(item) {
  const wrap = el('div', `msg me${item.st === 'pending' ? ' pending' : ''}${item.st === 'failed' ? ' failed' : ''}`);
  wrap.append(el('div', 'bubble', item.text));
  const mark = item.st === 'sent' ? ' ✓' : item.st === 'failed' ? ' · not delivered' : ' · sending…';
  wrap.append(el('div', 'meta', `You · ${clock(item.at)}${mark}`));
  return wrap;
}

function renderTheirs(item) {
  const wrap = el('div', `msg them${item.deleted ? ' deleted' : ''}`);
  const bubble = el('div', 'bubble');
  if (item.deleted) {
    bubble.textContent = 'This message was deleted.';
  } else {
    if (item.replyTo) {
      const quoted = S.items.find((x) => x.id === item.replyTo);
      if (quoted) bubble.append(el('span', 'quote', `↪ ${textOfItem(quoted).slice(0, 80)}`));
    }
    const c = item.content || {};
    if (c.kind === 'photo' && isHttpUrl(c.url)) {
      const img = el('img');
      img.src = c.url;
      img.alt = 'Photo from the stranger';
      img.loading = 'lazy';
      img.referrerPolicy = 'no-referrer';
      bubble.append(img);
      if (c.caption) bubble.append(document.createTextNode(c.caption));
    } else if (c.kind === 'text') {
      bubble.append(document.createTextNode(c.text));
    } else {
      bubble.append(el('span', 'unavailable', `The stranger sent ${c.what || 'something'}, which this page can't show.`));
      if (c.caption) bubble.append(document.createTextNode(`\n${c.caption}`));
    }
  }
  wrap.append(bubble);
  wrap.append(el('div', 'meta', `Stranger · ${clock(item.at)}${item.edited ? ' · edited' : ''}`));
  return wrap;
}

function renderSystem(item) {
  const wrap = el('div', 'sys');
  wrap.append(document.createTextNode(item.text));
  const buttons = (item.buttons || []).flat().filter((b) => !HIDDEN_ACTIONS.has(b.action));
  if (buttons.length > 0) {
    const row = el('div', 'buttons');
    for (const b of buttons) {
      const btn = button(b.label, 'secondary', () => {
        if (sendAction(b.action)) update(item, { used: true });
      });
      btn.disabled = Boolean(item.used);
      row.append(btn);
    }
    wrap.append(row);
  }
  if (item.command && !item.used) {
    const row = el('div', 'buttons');
    row.append(
      button(item.command.label, 'secondary', () => {
        if (send({ type: 'command', name: item.command.name })) update(item, { used: true });
      }),
    );
    wrap.append(row);
  }
  const form = item.form;
  const commentDone = form && form.action.startsWith('comment:') && S.commented.includes(form.action.slice(8));
  if (form && !item.used && !commentDone) {
    const f = el('form');
    const input = el('input');
    input.maxLength = 1000;
    input.placeholder = form.label;
    input.setAttribute('aria-label', form.label);
    const submit = el('button', 'secondary', 'Send');
    submit.type = 'submit';
    f.append(input, submit);
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if (form.action.startsWith('comment:')) S.commented.push(form.action.slice(8));
      if (sendAction(form.action, text)) update(item, { used: true });
    });
    wrap.append(f);
  }
  return wrap;
}

function renderRating(item) {
  const card = el('div', 'card');
  card.dataset.session = item.sessionId;
  card.append(el('h2', '', 'Feedback'));
  card.append(el('p', '', item.text));
  if (item.done) {
    card.append(el('div', 'done', `Thanks for your feedback (${'★'.repeat(item.done)}).`));
  } else {
    const stars = el('div', 'stars');
    for (let n = 1; n <= 5; n++) {
      const star = button('★', n <= (item.pick || 0) ? 'on' : '', () => update(item, { pick: n }));
      star.setAttribute('aria-label', `${n} star${n > 1 ? 's' : ''}`);
      star.dataset.rating = String(n);
      stars.append(star);
    }
    card.append(stars);
    const comment = el('textarea');
    comment.maxLength = 1000;
    comment.placeholder = 'Anything to add? (optional)';
    comment.setAttribute('aria-label', 'Comment');
    comment.value = item.draft || '';
    comment.addEventListener('input', () => {
      item.draft = comment.value;
      save();
    });
    card.append(comment);
  }
  const row = el('div', 'row');
  if (!item.done) {
    row.append(
      button('Send feedback', 'primary submit', () => {
        if (!item.pick) return addSystem('Pick 1 to 5 stars first.');
        const text = (item.draft || '').trim();
        if (send({ type: 'feedback', action: item.rate[item.pick], ...(text ? { comment: text } : {}) })) {
          if (text) S.commented.push(item.sessionId);
          update(item, { done: item.pick, draft: '' });
        }
      }),
    );
  }
  if (item.report) {
    const report = button('Report', 'danger report', () => {
      if (sendAction(item.report)) update(item, { reported: true });
    });
    report.disabled = Boolean(item.reported);
    row.append(report);
  }
  if (item.block) {
    const block = button('Block', 'secondary block', () => {
      if (sendAction(item.block)) update(item, { blocked: true });
    });
    block.disabled = Boolean(item.blocked);
    row.append(block);
  }
  card.append(row);
  return card;
}

function key(item) {
  return `${item.k}:${item.id}`;
}

function mount(item) {
  const node = renderItem(item);
  const old = nodes.get(key(item));
  if (old) old.replaceWith(node);
  else ui.log.append(node);
  nodes.set(key(item), node);
  ui.intro.hidden = S.items.length > 0;
}

function add(item) {
  const atBottom = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 80;
  S.items.push(item);
  save();
  mount(item);
  if (atBottom || item.k === 'me') ui.log.scrollTop = ui.log.scrollHeight;
}

function update(item, changes) {
  Object.assign(item, changes);
  save();
  mount(item);
}

function addSystem(text, extra = {}) {
  add({ k: 'sys', id: randomId(), at: new Date().toISOString(), text, ...extra });
}

/* ---------- state and panels ---------- */

function renderPanels() {
  for (const [status, panel] of Object.entries(ui.panels)) panel.hidden = status !== S.status;
  ui.findBtn.disabled = S.waiting;
  if (S.status !== 'chatting') hideTyping();
  tickElapsed();
}

function tickElapsed() {
  if (S.status !== 'searching') return;
  const s = Math.max(0, Math.floor((Date.now() - (S.searchSince || Date.now())) / 1000));
  ui.elapsed.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
setInterval(tickElapsed, 1000);

function applyState(state, afterReconnect) {
  S.waiting = false;
  const status = ['offline', 'searching', 'chatting'].includes(state.status) ? state.status : 'offline';
  if (status === 'chatting') {
    if (S.live && S.sessionId && S.sessionId !== state.sessionId) chatEnded(false);
    S.live = true;
    S.sessionId = state.sessionId;
    S.searchSince = null;
  } else {
    if (S.live) chatEnded(afterReconnect);
    if (status === 'searching' && (S.status !== 'searching' || !S.searchSince)) S.searchSince = Date.now();
    if (status === 'offline') S.searchSince = null;
  }
  S.status = status;
  save();
  renderPanels();
  if (status === 'chatting' && document.activeElement !== ui.input) ui.input.focus();
}

function chatEnded(afterReconnect) {
  const sessionId = S.sessionId;
  S.live = false;
  hideTyping();
  for (const item of S.items) if (item.k === 'me' && item.st === 'pending') update(item, { st: 'failed' });
  if (afterReconnect) {
    addSystem('The chat ended while you were away.');
    // The end notice and rating card follow if the server kept them; if not, offer /feedback.
    setTimeout(() => {
      if (!S.items.some((x) => x.k === 'rate' && x.sessionId === sessionId)) {
        addSystem('Want to rate that chat?', { command: { name: 'feedback', label: 'Rate it' } });
      }
    }, 1500);
  }
}

function showTyping() {
  const atBottom = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 80;
  ui.typing.hidden = false;
  if (atBottom) ui.log.scrollTop = ui.log.scrollHeight;
  clearTimeout(S.typingTimer);
  S.typingTimer = setTimeout(hideTyping, 5000);
}

function hideTyping() {
  clearTimeout(S.typingTimer);
  ui.typing.hidden = true;
}

/* ---------- server frames ---------- */

function onNotice(f) {
  S.waiting = false;
  const buttons = f.buttons || [];
  const flat = buttons.flat();
  const rate = {};
  let sessionId = null;
  for (const b of flat) {
    const m = RATE_RE.exec(b.action);
    if (m) {
      rate[m[1]] = b.action;
      sessionId = m[2];
    }
  }
  if (sessionId) {
    const report = flat.find((b) => b.action === `report:${sessionId}`);
    const block = flat.find((b) => b.action === `block:${sessionId}`);
    add({
      k: 'rate',
      id: f.id,
      at: f.at,
      text: f.text,
      sessionId,
      rate,
      ...(report ? { report: report.action } : {}),
      ...(block ? { block: block.action } : {}),
    });
  } else {
    add({ k: 'sys', id: f.id, at: f.at, text: f.text, ...(buttons.length ? { buttons } : {}), ...(f.form ? { form: f.form } : {}) });
  }
  renderPanels();
}

function onFrame(f) {
  switch (f.type) {
    case 'welcome': {
      rememberIdentity(f.id, f.token);
      S.ready = true;
      S.maxText = f.maxText || S.maxText;
      setConn('online', 'connected');
      applyState(f.state, S.status !== 'offline');
      resendPending();
      break;
    }
    case 'state':
      applyState(f, false);
      break;
    case 'notice':
      onNotice(f);
      break;
    case 'relay':
      hideTyping();
      add({ k: 'them', id: f.id, at: f.at, content: f.content, ...(f.replyTo ? { replyTo: f.replyTo } : {}) });
      break;
    case 'edit': {
      const item = S.items.find((x) => x.id === f.id);
      if (item && item.k === 'them') update(item, { content: f.content, edited: true });
      else if (item && item.k === 'sys' && f.content.kind === 'text') update(item, { text: f.content.text });
      break;
    }
    case 'delete': {
      const item = S.items.find((x) => x.id === f.id && x.k === 'them');
      if (item) update(item, { deleted: true });
      break;
    }
    case 'typing':
      if (S.status === 'chatting') showTyping();
      break;
    case 'ack': {
      const item = S.items.find((x) => x.k === 'me' && x.id === f.id);
      if (item) update(item, { st: 'sent' });
      break;
    }
    case 'error':
      S.waiting = false;
      renderPanels();
      if (f.code === 'replaced') {
        S.replaced = true;
        setConn('offline', 'open in another tab');
        addSystem('This chat is now open in another tab or window. Reload this page to continue here.');
      } else if (f.code !== 'hello_first') {
        addSystem(f.message);
      }
      break;
    default:
      break;
  }
}

/* ---------- connection ---------- */

function setConn(state, label) {
  ui.conn.dataset.state = state;
  ui.conn.textContent = label || state;
}

function connect() {
  if (S.replaced) return;
  setConn('connecting', 'connecting…');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}/ws`);
  S.ws = ws;
  S.ready = false;
  ws.addEventListener('open', () => {
    S.retry = 0;
    const idn = pickIdentity();
    ws.send(JSON.stringify({ v: PROTOCOL, type: 'hello', ...(idn ? { token: idn.token } : {}) }));
  });
  ws.addEventListener('message', (ev) => {
    let f;
    try {
      f = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (f && f.v === PROTOCOL && typeof f.type === 'string') onFrame(f);
  });
  ws.addEventListener('close', () => {
    if (S.ws !== ws) return;
    S.ws = null;
    S.ready = false;
    if (S.replaced) return;
    setConn('offline', 'reconnecting…');
    const wait = Math.min(5000, 250 * 2 ** S.retry++);
    setTimeout(connect, wait);
  });
}

function send(body) {
  if (S.ws && S.ready && S.ws.readyState === WebSocket.OPEN) {
    S.ws.send(JSON.stringify({ v: PROTOCOL, ...body }));
    return true;
  }
  addSystem('Not connected right now; reconnecting… Please try again in a moment.');
  return false;
}

/** A button or form the server put on a notice: rating and report actions have their own frames. */
function sendAction(action, text) {
  const extra = text !== undefined ? { text } : {};
  if (/^(rate|comment):/.test(action)) return send({ type: 'feedback', action, ...(text !== undefined ? { comment: text } : {}) });
  if (/^(report|rcat|rnote|block):/.test(action)) return send({ type: 'report', action, ...extra });
  return send({ type: 'action', action, ...extra });
}

function resendPending() {
  for (const item of S.items) {
    if (item.k !== 'me' || item.st !== 'pending') continue;
    if (S.status === 'chatting') S.ws.send(JSON.stringify({ v: PROTOCOL, type: 'message', id: item.id, text: item.text }));
    else update(item, { st: 'failed' });
  }
}

/* ---------- user input ---------- */

ui.findForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const interests = ui.interests.value
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter((w) => w !== '')
    .slice(0, 10);
  const language = ui.language.value || null;
  device.set('prefs', { interests: ui.interests.value, language: ui.language.value });
  if (send({ type: 'find', interests, language })) {
    S.waiting = true;
    renderPanels();
  }
});

ui.cancelBtn.addEventListener('click', () => send({ type: 'stop' }));
ui.stopBtn.addEventListener('click', () => send({ type: 'stop' }));
ui.nextBtn.addEventListener('click', () => send({ type: 'next' }));

function submitMessage() {
  const text = ui.input.value;
  if (text.trim() === '') return;
  const command = /^\/([a-z]{1,32})(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (command) {
    if (send({ type: 'command', name: command[1].toLowerCase(), args: (command[2] || '').slice(0, 500) })) ui.input.value = '';
    return;
  }
  if (text.length > S.maxText) return addSystem(`That message is too long (${text.length} of ${S.maxText} characters).`);
  const item = { k: 'me', id: randomId(), at: new Date().toISOString(), text, st: 'pending' };
  add(item);
  ui.input.value = '';
  S.lastTypingSent = 0; // the next keystroke is news again
  autosize();
  if (S.ws && S.ready && S.ws.readyState === WebSocket.OPEN) {
    S.ws.send(JSON.stringify({ v: PROTOCOL, type: 'message', id: item.id, text }));
  }
  // Otherwise it stays pending and is sent again once the connection is back.
}

ui.composer.addEventListener('submit', (ev) => {
  ev.preventDefault();
  submitMessage();
});

ui.input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    submitMessage();
  }
});

function autosize() {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 140)}px`;
}

ui.input.addEventListener('input', () => {
  autosize();
  const left = S.maxText - ui.input.value.length;
  ui.counter.textContent = left < 200 ? `${left} characters left` : '';
  const now = Date.now();
  if (S.ready && now - S.lastTypingSent > 2500 && ui.input.value !== '') {
    S.lastTypingSent = now;
    S.ws.send(JSON.stringify({ v: PROTOCOL, type: 'typing' }));
  }
});

/* ---------- start ---------- */

const prefs = device.get('prefs', null);
if (prefs) {
  ui.interests.value = typeof prefs.interests === 'string' ? prefs.interests : '';
  ui.language.value = typeof prefs.language === 'string' ? prefs.language : '';
}
for (const item of S.items) mount(item);
ui.log.scrollTop = ui.log.scrollHeight;
renderPanels();
connect();
