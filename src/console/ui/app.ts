/**
 * The web UI's script (plain JavaScript and the DOM, no framework), served at `/app.js`.
 *
 * It subscribes to `/api/events` (Server-Sent Events) and renders four views chosen by the
 * location hash: `#/tasks` (sortable, filterable table; rows with lints highlighted),
 * `#/task/:id` (detail: counters, await chain with `yield*` sites, poll-time and
 * scheduled-latency histograms drawn on canvases, lints), `#/resources`, `#/workers` and `#/lints`.
 * @module
 */

/** @internal */
export const APP_JS = String.raw`'use strict';
(function () {
  var state = null;
  var sortKey = 'id', sortDir = 1, filterText = '';
  var detail = null, detailId = 0, detailTimer = null;
  var COLS = [
    ['id', 'ID', 'num'], ['name', 'Name', ''], ['state', 'State', ''], ['polls', 'Polls', 'num'],
    ['busyMs', 'Busy', 'num'], ['scheduledMs', 'Sched', 'num'], ['idleMs', 'Idle', 'num'],
    ['wakes', 'Wakes', 'num'], ['selfWakes', 'Self', 'num'], ['sinceWakeMs', 'Last wake', 'num'],
    ['ageMs', 'Age', 'num'], ['location', 'Location', 'loc'], ['chain', 'Awaiting', 'chain']
  ];
  var DURATION = { busyMs: 1, scheduledMs: 1, idleMs: 1, sinceWakeMs: 1, ageMs: 1 };

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    if (kids) for (var i = 0; i < kids.length; i++) if (kids[i] != null) e.appendChild(typeof kids[i] === 'string' ? document.createTextNode(kids[i]) : kids[i]);
    return e;
  }
  function dur(ms) {
    if (ms < 0) return '-';
    if (ms < 1) return Math.round(ms * 1000) + ' µs';
    if (ms < 1000) return (ms < 10 ? ms.toFixed(1) : Math.round(ms)) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return (ms / 60000).toFixed(1) + ' min';
  }
  function shortPath(p) {
    var parts = p.split('/');
    return parts.length > 2 ? '…/' + parts.slice(-2).join('/') : p;
  }
  function lintClass(kinds) {
    if (!kinds || kinds.length === 0) return '';
    for (var i = 0; i < kinds.length; i++) if (kinds[i] === 'lost-waker' || kinds[i] === 'unawaited-failure') return 'lint-error';
    return 'lint-warning';
  }

  function route() {
    var h = location.hash || '#/tasks';
    var m = /^#\/task\/(\d+)/.exec(h);
    var tab = m ? 'tasks' : h.slice(2) || 'tasks';
    ['tasks', 'resources', 'workers', 'lints'].forEach(function (t) {
      $('tab-' + t).className = t === tab ? 'active' : '';
    });
    if (detailTimer) { clearInterval(detailTimer); detailTimer = null; }
    if (m) {
      detailId = Number(m[1]); detail = null;
      loadDetail();
      detailTimer = setInterval(loadDetail, 1000);
    } else detailId = 0;
    render();
  }

  function loadDetail() {
    var id = detailId;
    fetch('/api/tasks/' + id).then(function (r) { return r.status === 404 ? { gone: true } : r.json(); }).then(function (d) {
      if (id !== detailId) return;
      detail = d; render();
    }).catch(function () {});
  }

  function render() {
    var v = $('view');
    if (!state) { v.replaceChildren(el('div', { cls: 'empty', text: 'waiting for the first update…' })); return; }
    var h = location.hash || '#/tasks';
    if (detailId) v.replaceChildren(renderDetail());
    else if (h === '#/resources') v.replaceChildren(renderResources());
    else if (h === '#/workers') v.replaceChildren(renderWorkers());
    else if (h === '#/lints') v.replaceChildren(renderLints(state.lints));
    else renderTasks(v);
  }

  function header() {
    var m = state.metrics;
    $('rt-name').textContent = state.runtime;
    $('m-tasks').textContent = String(state.totalTasks);
    $('m-polls').textContent = String(m.workerPollCount);
    $('m-busy').textContent = dur(m.workerTotalBusyDuration);
    $('m-p99').textContent = dur(state.histograms.poll.p99);
    var n = state.lints.length, lc = $('lint-count');
    lc.replaceChildren();
    if (n > 0) {
      var err = state.lints.some(function (l) { return l.severity === 'error'; });
      lc.appendChild(el('span', { cls: 'badge' + (err ? ' err' : ''), text: String(n) }));
    }
  }

  function visibleTasks() {
    var f = filterText.toLowerCase();
    var rows = state.tasks.filter(function (t) {
      if (!f) return true;
      return (t.name + ' ' + t.state + ' ' + t.location + ' ' + t.chain + ' ' + t.id + ' ' + t.lints.join(' ')).toLowerCase().indexOf(f) >= 0;
    });
    rows.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      if (typeof x === 'string') return sortDir * x.localeCompare(y) || a.id - b.id;
      return sortDir * (x - y) || a.id - b.id;
    });
    return rows;
  }

  function renderTasks(v) {
    var existing = $('tasks');
    var input = $('filter');
    if (!existing || !input) {
      input = el('input', { type: 'search', id: 'filter', placeholder: 'filter: name, state, location, awaiting…' });
      input.value = filterText;
      input.addEventListener('input', function () { filterText = input.value; renderTasks($('view')); });
      var head = el('tr');
      COLS.forEach(function (c) {
        var th = el('th', { 'data-key': c[0], cls: c[2] === 'num' ? 'num' : '', text: c[1] });
        th.addEventListener('click', function () {
          if (sortKey === c[0]) sortDir = -sortDir; else { sortKey = c[0]; sortDir = c[2] === 'num' ? -1 : 1; }
          renderTasks($('view'));
        });
        head.appendChild(th);
      });
      existing = el('table', { id: 'tasks' }, [el('thead', null, [head]), el('tbody')]);
      v.replaceChildren(el('div', { cls: 'toolbar' }, [input, el('span', { id: 'count' })]), existing);
    }
    var ths = existing.querySelectorAll('th');
    for (var i = 0; i < ths.length; i++) {
      var k = ths[i].getAttribute('data-key');
      var col = COLS[i];
      ths[i].className = (col[2] === 'num' ? 'num ' : '') + (k === sortKey ? 'sorted' : '');
      ths[i].textContent = col[1] + (k === sortKey ? (sortDir > 0 ? ' ▲' : ' ▼') : '');
    }
    var rows = visibleTasks();
    $('count').textContent = rows.length + ' of ' + state.totalTasks + ' tasks' + (state.totalTasks > state.tasks.length ? ' (first ' + state.tasks.length + ' sent)' : '');
    var body = el('tbody');
    rows.forEach(function (t) {
      var tr = el('tr', { 'data-id': String(t.id), 'data-name': t.name, cls: lintClass(t.lints) });
      if (t.lints.length) tr.setAttribute('title', 'lints: ' + t.lints.join(', '));
      COLS.forEach(function (c) {
        var val = t[c[0]];
        var text = DURATION[c[0]] ? dur(val) : String(val);
        var td = el('td', { cls: c[2] });
        if (c[0] === 'location') { td.setAttribute('title', text); text = shortPath(text); }
        if (c[0] === 'name' && t.lints.length) td.appendChild(el('span', { cls: 'lintmark', text: '⚠ ' }));
        if (c[0] === 'state') td.className = 'state-' + val;
        td.appendChild(document.createTextNode(text));
        tr.appendChild(td);
      });
      tr.addEventListener('click', function () { location.hash = '#/task/' + t.id; });
      body.appendChild(tr);
    });
    existing.replaceChild(body, existing.querySelector('tbody'));
  }

  function field(label, value) { return el('div', null, [el('span', { text: label }), String(value)]); }

  function renderDetail() {
    var wrap = el('div', { id: 'detail' });
    wrap.appendChild(el('p', null, [el('a', { href: '#/tasks', text: '← all tasks' })]));
    if (!detail) { wrap.appendChild(el('div', { cls: 'empty', text: 'loading task ' + detailId + '…' })); return wrap; }
    if (detail.gone) { wrap.appendChild(el('div', { cls: 'empty', text: 'task ' + detailId + ' has finished.' })); return wrap; }
    var t = detail.task;
    var p = el('div', { cls: 'panel' }, [el('h2', { id: 'detail-title', text: 'task ' + t.name + ' (id ' + t.id + ')' })]);
    p.appendChild(el('div', { cls: 'grid' }, [
      field('state', t.state), field('kind', t.kind), field('parent', t.parent || '-'), field('polls', t.polls),
      field('busy', dur(t.busyMs)), field('scheduled', dur(t.scheduledMs)), field('idle', dur(t.idleMs)), field('age', dur(t.ageMs)),
      field('wakes', t.wakes), field('self-wakes', t.selfWakes), field('last wake', t.sinceWakeMs < 0 ? 'never' : dur(t.sinceWakeMs) + ' ago'),
      field('spawned at', t.location || '-')
    ]));
    wrap.appendChild(p);
    if (detail.lints.length) wrap.appendChild(renderLints(detail.lints));
    var chain = el('div', { cls: 'panel', id: 'chain' }, [el('h2', { text: 'await chain' })]);
    if (!detail.chain) chain.appendChild(el('div', { cls: 'empty', text: t.state === 'scheduled' ? 'ready to run' : 'awaiting nothing' }));
    else {
      chain.appendChild(el('div', { cls: 'chainline', text: t.chain }));
      var ol = el('ol', { cls: 'chain' });
      (function walk(n) {
        n.frames.forEach(function (f) { ol.appendChild(el('li', null, [f.fn + ' ', el('span', { cls: 'at', text: 'at ' + f.location })])); });
        if (n.children.length === 0) {
          var txt = n.label + (n.waitingMs >= 0 ? ' — waiting ' + dur(n.waitingMs) : '') + (n.reason ? ' for ' + n.reason : '');
          ol.appendChild(el('li', { cls: 'leaf', text: txt }));
        } else if (!n.generator) ol.appendChild(el('li', { text: n.label }));
        n.children.forEach(walk);
      })(detail.chain);
      chain.appendChild(ol);
    }
    wrap.appendChild(chain);
    var hs = el('div', { cls: 'hists' });
    hs.appendChild(histPanel('poll time', detail.poll, 'hist-poll'));
    hs.appendChild(histPanel('scheduled latency', detail.scheduled, 'hist-sched'));
    wrap.appendChild(hs);
    return wrap;
  }

  function histPanel(title, h, id) {
    var p = el('div', { cls: 'panel' }, [el('h2', { text: title })]);
    if (!h || h.count === 0) { p.appendChild(el('div', { cls: 'empty', text: 'no samples yet' })); return p; }
    var c = el('canvas', { id: id, width: '560', height: '160' });
    p.appendChild(c);
    p.appendChild(el('div', { cls: 'pct', text: 'n=' + h.count + '  min ' + dur(h.min) + '  p50 ' + dur(h.p50) + '  p90 ' + dur(h.p90) + '  p99 ' + dur(h.p99) + '  max ' + dur(h.max) }));
    requestAnimationFrame(function () { drawHist(c, h); });
    return p;
  }

  function drawHist(c, h) {
    var ctx = c.getContext('2d');
    var W = c.width, H = c.height, pad = 22;
    ctx.clearRect(0, 0, W, H);
    var b = h.buckets;
    var lo = Math.log10(Math.max(b[0][0], 0.0005)), hi = Math.log10(b[b.length - 1][1]);
    if (hi - lo < 1) { lo -= 0.5; hi += 0.5; }
    var max = 0; b.forEach(function (x) { if (x[2] > max) max = x[2]; });
    function X(ms) { return pad + (Math.log10(Math.max(ms, 0.0005)) - lo) / (hi - lo) * (W - 2 * pad); }
    ctx.strokeStyle = '#26303a'; ctx.fillStyle = '#8a96a3'; ctx.font = '10px monospace';
    ctx.beginPath(); ctx.moveTo(pad, H - pad); ctx.lineTo(W - pad, H - pad); ctx.stroke();
    for (var e = Math.ceil(lo); e <= Math.floor(hi); e++) {
      var x = X(Math.pow(10, e));
      ctx.fillText(dur(Math.pow(10, e)), x - 10, H - 6);
      ctx.beginPath(); ctx.moveTo(x, H - pad); ctx.lineTo(x, H - pad + 4); ctx.stroke();
    }
    ctx.fillStyle = '#6cb6ff';
    b.forEach(function (x) {
      var x0 = X(x[0]), x1 = Math.max(X(x[1]), x0 + 2);
      var bh = (H - 2 * pad) * (Math.log1p(x[2]) / Math.log1p(max));
      ctx.fillRect(x0, H - pad - bh, x1 - x0 - 1, bh);
    });
    ctx.fillStyle = '#e3b341';
    var px = X(h.p99); ctx.fillRect(px, pad / 2, 1, H - pad - pad / 2);
    ctx.fillText('p99', px + 3, pad);
  }

  function renderLints(lints) {
    var p = el('div', { cls: 'panel', id: 'lints' }, [el('h2', { text: 'lints (' + lints.length + ')' })]);
    if (lints.length === 0) p.appendChild(el('div', { cls: 'empty', text: 'no lints: nothing suspicious seen.' }));
    lints.forEach(function (l) {
      var d = el('div', { cls: 'lint ' + l.severity, 'data-kind': l.kind }, [
        el('span', { cls: 'kind', text: l.kind }), ' ', l.message + (l.count > 1 ? ' (x' + l.count + ')' : '')
      ]);
      if (l.taskId) {
        d.appendChild(document.createTextNode(' '));
        d.appendChild(el('a', { href: '#/task/' + l.taskId, text: 'task ' + l.taskId }));
      }
      p.appendChild(d);
    });
    return p;
  }

  function renderResources() {
    var p = el('div', { cls: 'panel', id: 'resources' }, [el('h2', { text: 'resources (' + state.resources.length + ')' })]);
    if (state.resources.length === 0) { p.appendChild(el('div', { cls: 'empty', text: 'no tracked resources (timers, sockets, channels and locks appear here)' })); return p; }
    var body = el('tbody');
    state.resources.forEach(function (r) {
      var det = r.details ? Object.keys(r.details).map(function (k) { return k + '=' + r.details[k]; }).join(' ') : '';
      body.appendChild(el('tr', null, [el('td', { text: r.kind }), el('td', { text: r.label }), el('td', { cls: 'num', text: String(r.waiters) }), el('td', { text: det })]));
    });
    p.appendChild(el('table', null, [el('thead', null, [el('tr', null, [el('th', { text: 'Kind' }), el('th', { text: 'Label' }), el('th', { cls: 'num', text: 'Waiters' }), el('th', { text: 'Details' })])]), body]));
    return p;
  }

  function renderWorkers() {
    var wrap = el('div', { id: 'workers' });
    var keys = ['pollCount', 'stealCount', 'parkCount', 'noopCount', 'localQueueDepth', 'overflowCount', 'totalBusyDuration', 'meanPollTime'];
    var body = el('tbody');
    state.workers.forEach(function (w, i) {
      var tr = el('tr', null, [el('td', { text: String(i) })]);
      keys.forEach(function (k) { var v = w[k]; tr.appendChild(el('td', { cls: 'num', text: /Duration|Time/.test(k) ? dur(v) : String(v) })); });
      body.appendChild(tr);
    });
    var head = el('tr', null, [el('th', { text: 'Worker' })]);
    keys.forEach(function (k) { head.appendChild(el('th', { cls: 'num', text: k })); });
    wrap.appendChild(el('div', { cls: 'panel' }, [el('h2', { text: 'workers (' + state.workers.length + ')' }), el('table', null, [el('thead', null, [head]), body])]));
    var bl = state.blocking;
    wrap.appendChild(el('div', { cls: 'panel' }, [el('h2', { text: 'blocking threads' }), el('div', { cls: 'grid' }, [
      field('threads', bl.threads), field('idle', bl.idle), field('queue depth', bl.queueDepth)])]));
    var m = state.metrics, grid = el('div', { cls: 'grid' });
    Object.keys(m).forEach(function (k) { var v = m[k]; if (typeof v === 'number') grid.appendChild(field(k, /Duration|Time$/.test(k) ? dur(v) : (Math.round(v * 1000) / 1000))); });
    wrap.appendChild(el('div', { cls: 'panel' }, [el('h2', { text: 'runtime metrics' }), grid]));
    var hs = el('div', { cls: 'hists' });
    hs.appendChild(histPanel('runtime poll time', state.histograms.poll, 'rt-hist-poll'));
    hs.appendChild(histPanel('runtime scheduled latency', state.histograms.scheduled, 'rt-hist-sched'));
    wrap.appendChild(hs);
    return wrap;
  }

  function connect() {
    var es = new EventSource('/api/events');
    es.addEventListener('state', function (ev) {
      state = JSON.parse(ev.data);
      $('conn').className = 'live'; $('conn').textContent = '● live';
      header();
      if (!detailId) render();
    });
    es.onerror = function () { $('conn').className = 'down'; $('conn').textContent = '○ disconnected (retrying)'; };
  }

  window.addEventListener('hashchange', route);
  route();
  connect();
})();
`;
