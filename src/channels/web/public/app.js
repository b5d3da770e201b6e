// The local web chat page: sends what the user types or clicks, renders the bot's Adaptive Cards
// with the `adaptivecards` package, and replaces a card in place when the server says it changed.
'use strict';
(function () {
  const room = new URLSearchParams(location.search).get('room') || 'ops';
  const list = document.getElementById('messages');
  const who = document.getElementById('who');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const nodes = new Map();
  const names = new Map();

  async function api(path, body) {
    const res = await fetch(`/web/api${path}`, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  }

  // The bot escapes Markdown in card text so that it is shown as typed (Teams honours the
  // escapes); this page shows card text as text, without the escapes.
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const shown = document.createElement('div');
    shown.textContent = text.replace(/\\([\\`*_~[\]<>#&+=.)-])/g, '$1');
    result.outputHtml = shown.innerHTML;
    result.didProcess = true;
  };

  function renderCard(card, messageId) {
    const ac = new AdaptiveCards.AdaptiveCard();
    ac.onExecuteAction = (action) => {
      if (action instanceof AdaptiveCards.OpenUrlAction) {
        window.open(action.url, '_blank', 'noopener');
        return;
      }
      const data = Object.assign({}, action.data || {});
      const verb = action.verb || (data && data.verb) || 'command.run';
      api('/actions', { room, userId: who.value, messageId, verb, data });
    };
    ac.parse(card);
    const el = ac.render();
    return el || document.createTextNode('(card could not be rendered)');
  }

  function show(message, updated) {
    let node = nodes.get(message.id);
    const fresh = !node;
    if (fresh) {
      node = document.createElement('div');
      node.dataset.messageId = message.id;
      nodes.set(message.id, node);
      list.appendChild(node);
    }
    node.className = `message ${message.author === 'bot' ? 'bot' : 'user'}${updated ? ' updated' : ''}`;
    node.replaceChildren();
    if (message.card) {
      const holder = document.createElement('div');
      holder.className = 'card';
      holder.appendChild(renderCard(message.card, message.id));
      node.appendChild(holder);
    } else {
      const author = document.createElement('div');
      author.className = 'author';
      author.textContent = names.get(message.author) || message.author;
      const text = document.createElement('div');
      text.textContent = message.text || '';
      node.append(author, text);
    }
    if (fresh) list.scrollTop = list.scrollHeight;
  }

  async function start() {
    const session = await api('/session');
    for (const u of session.users) {
      names.set(u.id, u.name);
      const o = document.createElement('option');
      o.value = u.id;
      o.textContent = u.name;
      who.appendChild(o);
    }
    const saved = localStorage.getItem('backup-chatops.user');
    if (saved && session.users.some((u) => u.id === saved)) who.value = saved;
    who.addEventListener('change', () => localStorage.setItem('backup-chatops.user', who.value));
    const history = await api(`/history?room=${encodeURIComponent(room)}`);
    history.messages.forEach((m) => show(m, false));
    const events = new EventSource(`/web/api/events?room=${encodeURIComponent(room)}`);
    events.addEventListener('message', (e) => show(JSON.parse(e.data), false));
    events.addEventListener('update', (e) => show(JSON.parse(e.data), true));
    document.body.dataset.ready = 'true';
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    api('/messages', { room, userId: who.value, text });
  });

  start();
})();
