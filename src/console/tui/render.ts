/**
 * The terminal UI's screens, as plain functions from a model to lines of text (with ANSI
 * colours), so they can be tested without a terminal.
 * @module
 */
import type { ConsoleState, HistogramView, TaskDetail, TaskRow } from '../state.js';
import type { AwaitNode } from '../chain.js';
import { formatDuration } from '../chain.js';

/** The views of the terminal UI. */
export type TuiView = 'tasks' | 'resources' | 'lints' | 'workers' | 'detail';

/** A sortable column of the task table. */
export interface TuiColumn {
  key: keyof TaskRow;
  title: string;
  width: number;
  num: boolean;
  dur?: boolean;
}

/** The task table's columns, in order; `s` cycles the sort through them. */
export const TUI_COLUMNS: readonly TuiColumn[] = [
  { key: 'id', title: 'ID', width: 6, num: true },
  { key: 'name', title: 'NAME', width: 18, num: false },
  { key: 'state', title: 'STATE', width: 10, num: false },
  { key: 'polls', title: 'POLLS', width: 7, num: true },
  { key: 'busyMs', title: 'BUSY', width: 9, num: true, dur: true },
  { key: 'scheduledMs', title: 'SCHED', width: 9, num: true, dur: true },
  { key: 'idleMs', title: 'IDLE', width: 9, num: true, dur: true },
  { key: 'wakes', title: 'WAKES', width: 6, num: true },
  { key: 'selfWakes', title: 'SELF', width: 5, num: true },
  { key: 'ageMs', title: 'AGE', width: 9, num: true, dur: true },
  { key: 'location', title: 'LOCATION', width: 28, num: false },
  { key: 'chain', title: 'AWAITING', width: 0, num: false },
];

/** What the terminal UI shows. */
export interface TuiModel {
  addr: string;
  connected: boolean;
  error: string;
  state: ConsoleState | null;
  view: TuiView;
  /** Index into the sorted task list. */
  selected: number;
  sortCol: number;
  sortDesc: boolean;
  detail: TaskDetail | null;
  detailId: number;
}

const ESC = '\x1b[';
const INV = `${ESC}7m`;
const BOLD = `${ESC}1m`;
const DIM = `${ESC}2m`;
const RESET = `${ESC}0m`;
const YELLOW = `${ESC}33m`;
const RED = `${ESC}31m`;
const CYAN = `${ESC}36m`;
const GREEN = `${ESC}32m`;

/** The tasks in table order. */
export function sortedTasks(m: TuiModel): TaskRow[] {
  const rows = m.state === null ? [] : m.state.tasks.slice();
  const col = TUI_COLUMNS[m.sortCol] ?? TUI_COLUMNS[0]!;
  const dir = m.sortDesc ? -1 : 1;
  rows.sort((a, b) => {
    const x = a[col.key];
    const y = b[col.key];
    const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : Number(x) - Number(y);
    return dir * c || a.id - b.id;
  });
  return rows;
}

function fit(s: string, w: number, right = false): string {
  if (w <= 0) return s;
  if (s.length > w) return w <= 1 ? s.slice(0, w) : `${s.slice(0, w - 1)}…`;
  return right ? s.padStart(w) : s.padEnd(w);
}

function cell(t: TaskRow, c: TuiColumn): string {
  const v = t[c.key];
  if (c.dur === true) return formatDuration(Number(v));
  if (c.key === 'location') {
    const s = String(v);
    const i = s.lastIndexOf('/');
    return i >= 0 ? s.slice(i + 1) : s;
  }
  return String(v);
}

function clip(line: string, width: number): string {
  // Cuts a line with ANSI codes to `width` visible characters.
  let out = '';
  let vis = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const m = /^\x1b\[[0-9;]*m/.exec(line.slice(i));
      if (m !== null) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (vis >= width) break;
    out += line[i];
    vis++;
  }
  return out + RESET;
}

function tabs(m: TuiModel): string {
  const names: [TuiView, string][] = [
    ['tasks', '1 tasks'],
    ['resources', '2 resources'],
    ['lints', `3 lints (${m.state?.lints.length ?? 0})`],
    ['workers', '4 workers'],
  ];
  return names.map(([v, n]) => (m.view === v || (m.view === 'detail' && v === 'tasks') ? `${INV} ${n} ${RESET}` : ` ${n} `)).join(' ');
}

/** The whole screen: `height` lines at most, each cut to `width`. */
export function renderScreen(m: TuiModel, width: number, height: number): string[] {
  const lines: string[] = [];
  const s = m.state;
  const status = m.connected ? `${GREEN}connected${RESET}` : `${RED}${m.error || 'connecting…'}${RESET}`;
  const head = s === null ? '' : `  runtime ${s.runtime}  tasks ${s.totalTasks}  polls ${String(s.metrics['workerPollCount'])}  poll p99 ${formatDuration(s.histograms.poll.p99)}`;
  lines.push(`${BOLD}${CYAN}kyoto-console${RESET} ${m.addr}  ${status}${head}`);
  lines.push(tabs(m));
  const body = height - 3;
  if (s === null) lines.push('', `waiting for ${m.addr} …`);
  else if (m.view === 'tasks') lines.push(...taskTable(m, width, body));
  else if (m.view === 'detail') lines.push(...detailView(m, width));
  else if (m.view === 'resources') lines.push(...resourceView(s));
  else if (m.view === 'lints') lines.push(...lintView(s, width));
  else lines.push(...workerView(s));
  while (lines.length < height - 1) lines.push('');
  lines.length = height - 1;
  const help =
    m.view === 'detail'
      ? 'esc/backspace/← back  q quit'
      : `↑↓/j k select  enter details  s sort (${TUI_COLUMNS[m.sortCol]!.title} ${m.sortDesc ? '▼' : '▲'})  r reverse  tab/1-4 views  q quit`;
  lines.push(`${DIM}${help}${RESET}`);
  return lines.map((l) => clip(l, width));
}

function taskTable(m: TuiModel, width: number, body: number): string[] {
  const out: string[] = [];
  const rows = sortedTasks(m);
  const cols = TUI_COLUMNS;
  const fixed = cols.reduce((a, c) => a + (c.width > 0 ? c.width + 1 : 0), 0) + 2;
  const chainW = Math.max(10, width - fixed);
  const hdr = cols.map((c, i) => {
    const t = i === m.sortCol ? `${c.title}${m.sortDesc ? '▼' : '▲'}` : c.title;
    return fit(t, c.width > 0 ? c.width : chainW, c.num);
  });
  out.push(`${BOLD}  ${hdr.join(' ')}${RESET}`);
  const visible = Math.max(1, body - 1);
  const sel = Math.min(m.selected, Math.max(0, rows.length - 1));
  const start = Math.max(0, Math.min(sel - Math.floor(visible / 2), rows.length - visible));
  for (let i = start; i < Math.min(rows.length, start + visible); i++) {
    const t = rows[i]!;
    const mark = t.lints.length === 0 ? ' ' : t.lints.some((k) => k === 'lost-waker' || k === 'unawaited-failure') ? `${RED}!${RESET}` : `${YELLOW}!${RESET}`;
    const text = cols.map((c) => fit(cell(t, c), c.width > 0 ? c.width : chainW, c.num)).join(' ');
    out.push(i === sel ? `${mark} ${INV}${text}${RESET}` : `${mark} ${text}`);
  }
  if (rows.length === 0) out.push('  (no live tasks)');
  return out;
}

function hist(title: string, h: HistogramView | null, width: number): string[] {
  if (h === null || h.count === 0) return [`${BOLD}${title}${RESET}: no samples`];
  const out = [`${BOLD}${title}${RESET}: n=${h.count} min ${formatDuration(h.min)} p50 ${formatDuration(h.p50)} p90 ${formatDuration(h.p90)} p99 ${formatDuration(h.p99)} max ${formatDuration(h.max)}`];
  // One row per power of two (the 8 sub-buckets of an octave merged), at most 12 rows.
  const rows = new Map<number, [number, number, number]>();
  for (const [lo, hi, n] of h.buckets) {
    const e = lo <= 0 ? -1 : Math.floor(Math.log2(lo * 1000 + 1e-9));
    const r = rows.get(e);
    if (r === undefined) rows.set(e, [lo, hi, n]);
    else {
      r[1] = hi;
      r[2] += n;
    }
  }
  const list = [...rows.entries()].sort((a, b) => a[0] - b[0]).map((x) => x[1]).slice(-12);
  const max = list.reduce((a, b) => Math.max(a, b[2]), 0);
  const barW = Math.max(10, Math.min(50, width - 30));
  for (const [lo, hi, n] of list) {
    const w = Math.max(1, Math.round((n / max) * barW));
    out.push(`  ${fit(`${formatDuration(lo)}–${formatDuration(hi)}`, 20, true)} ${CYAN}${'█'.repeat(w)}${RESET} ${n}`);
  }
  return out;
}

function chainLines(node: AwaitNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth + 1);
  for (const f of node.frames) out.push(`${pad}${f.fn} ${DIM}at ${f.location}${RESET}`);
  if (node.children.length === 0) {
    const wait = node.waitingMs >= 0 ? ` — waiting ${formatDuration(node.waitingMs)}` : '';
    out.push(`${pad}${YELLOW}${node.label}${wait}${node.reason ? ` for ${node.reason}` : ''}${RESET}`);
  } else if (!node.generator) out.push(`${pad}${node.label}`);
  for (const c of node.children) chainLines(c, node.children.length > 1 ? depth + 1 : depth, out);
}

function detailView(m: TuiModel, width: number): string[] {
  const d = m.detail;
  if (d === null) return ['', `loading task ${m.detailId} …`];
  if ((d as unknown as { gone?: boolean }).gone === true) return ['', `task ${m.detailId} has finished.`];
  const t = d.task;
  const out = [
    `${BOLD}task ${t.name} (id ${t.id})${RESET}  ${t.kind}, parent ${t.parent || '-'}, spawned at ${t.location || '-'}`,
    `state ${t.state}  polls ${t.polls}  busy ${formatDuration(t.busyMs)}  scheduled ${formatDuration(t.scheduledMs)}  idle ${formatDuration(t.idleMs)}  age ${formatDuration(t.ageMs)}`,
    `wakes ${t.wakes}  self-wakes ${t.selfWakes}  last wake ${t.sinceWakeMs < 0 ? 'never' : `${formatDuration(t.sinceWakeMs)} ago`}`,
    '',
    `${BOLD}await chain${RESET}: ${t.chain || '(awaiting nothing)'}`,
  ];
  if (d.chain !== null) chainLines(d.chain, 0, out);
  for (const l of d.lints) out.push(`${l.severity === 'error' ? RED : YELLOW}lint ${l.kind}${RESET}: ${l.message}`);
  out.push('');
  out.push(...hist('poll time', d.poll, width));
  out.push(...hist('scheduled latency', d.scheduled, width));
  return out;
}

function resourceView(s: ConsoleState): string[] {
  if (s.resources.length === 0) return ['', '  (no tracked resources: timers, sockets, channels and locks appear here)'];
  const out = [`${BOLD}  ${fit('KIND', 12)} ${fit('LABEL', 30)} ${fit('WAITERS', 8, true)} DETAILS${RESET}`];
  for (const r of s.resources) {
    const det = r.details === undefined ? '' : Object.entries(r.details).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    out.push(`  ${fit(r.kind, 12)} ${fit(r.label, 30)} ${fit(String(r.waiters), 8, true)} ${det}`);
  }
  return out;
}

function lintView(s: ConsoleState, width: number): string[] {
  if (s.lints.length === 0) return ['', '  no lints: nothing suspicious seen.'];
  const out: string[] = [];
  for (const l of s.lints) {
    const text = `${l.kind}: ${l.message}${l.count > 1 ? ` (x${l.count})` : ''}`;
    const colour = l.severity === 'error' ? RED : YELLOW;
    for (let i = 0; i < text.length; i += width - 4) out.push(`${i === 0 ? `${colour}!${RESET} ` : '  '}${text.slice(i, i + width - 4)}`);
  }
  return out;
}

function workerView(s: ConsoleState): string[] {
  const out = [`${BOLD}  ${fit('WORKER', 7)} ${fit('POLLS', 10, true)} ${fit('STEALS', 8, true)} ${fit('PARKS', 8, true)} ${fit('QUEUE', 6, true)} ${fit('BUSY', 10, true)} ${fit('MEAN POLL', 10, true)}${RESET}`];
  s.workers.forEach((w, i) => {
    out.push(`  ${fit(String(i), 7)} ${fit(String(w.pollCount), 10, true)} ${fit(String(w.stealCount), 8, true)} ${fit(String(w.parkCount), 8, true)} ${fit(String(w.localQueueDepth), 6, true)} ${fit(formatDuration(w.totalBusyDuration), 10, true)} ${fit(formatDuration(w.meanPollTime), 10, true)}`);
  });
  out.push('', `  blocking threads ${s.blocking.threads} (idle ${s.blocking.idle}), queue ${s.blocking.queueDepth}`);
  return out;
}
