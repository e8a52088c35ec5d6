/**
 * The terminal UI (`kyoto-console [addr]`): subscribes to a console server's event stream and
 * draws the task table and task details, with tokio-console's keys: ↑/↓ or j/k select, enter
 * opens a task, esc/backspace/← goes back, s cycles the sort column (←/→ too), r reverses it,
 * tab or 1-4 switch views, q or Ctrl-C quits.
 * @module
 */
import { get, type ClientRequest } from 'node:http';
import { parseConsoleAddress } from '../config.js';
import type { ConsoleState, TaskDetail } from '../state.js';
import { TUI_COLUMNS, renderScreen, sortedTasks, type TuiModel, type TuiView } from './render.js';

/** Parses SSE text into events; returns what is left of an incomplete frame. */
export function parseSse(buffer: string, onEvent: (event: string, data: string) => void): string {
  let i: number;
  while ((i = buffer.indexOf('\n\n')) >= 0) {
    const frame = buffer.slice(0, i);
    buffer = buffer.slice(i + 2);
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) onEvent(event, data.join('\n'));
  }
  return buffer;
}

/**
 * Splits terminal input into keys: escape sequences (`\x1b[A`, `\x1b[5~`, `\x1bOA`) stay whole,
 * everything else is one character per key (input may bring several keys at once).
 */
export function splitKeys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === '\x1b' && (data[i + 1] === '[' || data[i + 1] === 'O')) {
      let j = i + 2;
      while (j < data.length && /[0-9;]/.test(data[j]!)) j++;
      out.push(data.slice(i, j + 1));
      i = j + 1;
    } else {
      out.push(data[i]!);
      i++;
    }
  }
  return out;
}

/** Options of `runTui`. */
export interface TuiOptions {
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

/** Runs the terminal UI against the console at `addr` until the user quits. */
export function runTui(addr: string, opts: TuiOptions = {}): Promise<void> {
  const { host, port } = parseConsoleAddress(addr);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const base = `http://${hostPart}:${port}`;
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const model: TuiModel = {
    addr: `${hostPart}:${port}`,
    connected: false,
    error: '',
    state: null,
    view: 'tasks',
    selected: 0,
    sortCol: 0,
    sortDesc: false,
    detail: null,
    detailId: 0,
  };
  let req: ClientRequest | null = null;
  let retry: NodeJS.Timeout | null = null;
  let detailTimer: NodeJS.Timeout | null = null;
  let done = false;

  const draw = (): void => {
    if (done) return;
    const w = output.columns || 120;
    const h = output.rows || 30;
    const lines = renderScreen(model, w, h);
    output.write(`\x1b[H${lines.join('\x1b[K\r\n')}\x1b[K\x1b[J`);
  };

  const connect = (): void => {
    if (done) return;
    let buf = '';
    req = get(`${base}/api/events`, (res) => {
      if (res.statusCode !== 200) {
        model.connected = false;
        model.error = `HTTP ${res.statusCode ?? '?'} from ${base}`;
        res.resume();
        draw();
        scheduleRetry();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf = parseSse(buf + chunk, (event, data) => {
          if (event !== 'state') return;
          try {
            model.state = JSON.parse(data) as ConsoleState;
          } catch {
            return;
          }
          model.connected = true;
          model.error = '';
          const n = model.state.tasks.length;
          if (model.selected >= n) model.selected = Math.max(0, n - 1);
          draw();
        });
      });
      res.on('end', () => {
        model.connected = false;
        model.error = 'disconnected (retrying)';
        draw();
        scheduleRetry();
      });
    });
    req.on('error', (e) => {
      model.connected = false;
      model.error = `cannot reach ${base}: ${e.message} (retrying)`;
      draw();
      scheduleRetry();
    });
  };

  const scheduleRetry = (): void => {
    if (done || retry !== null) return;
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, 1000);
  };

  const loadDetail = (): void => {
    const id = model.detailId;
    get(`${base}/api/tasks/${id}`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (model.detailId !== id || model.view !== 'detail') return;
        try {
          model.detail = res.statusCode === 404 ? ({ gone: true } as unknown as TaskDetail) : (JSON.parse(body) as TaskDetail);
        } catch {
          return;
        }
        draw();
      });
    }).on('error', () => {});
  };

  const openDetail = (): void => {
    const t = sortedTasks(model)[model.selected];
    if (t === undefined) return;
    model.view = 'detail';
    model.detailId = t.id;
    model.detail = null;
    loadDetail();
    detailTimer = setInterval(loadDetail, 1000);
  };

  const setView = (v: TuiView): void => {
    if (detailTimer !== null) clearInterval(detailTimer);
    detailTimer = null;
    model.view = v;
  };

  return new Promise<void>((resolve) => {
    const quit = (): void => {
      if (done) return;
      done = true;
      if (retry !== null) clearTimeout(retry);
      if (detailTimer !== null) clearInterval(detailTimer);
      req?.destroy();
      input.off('data', onData);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      output.write('\x1b[?25h\x1b[?1049l');
      resolve();
    };
    const views: TuiView[] = ['tasks', 'resources', 'lints', 'workers'];
    const onData = (data: Buffer | string): void => {
      for (const k of splitKeys(data.toString())) {
        if (done) return;
        onKey(k === '\x1bOA' ? '\x1b[A' : k === '\x1bOB' ? '\x1b[B' : k === '\x1bOC' ? '\x1b[C' : k === '\x1bOD' ? '\x1b[D' : k);
      }
      draw();
    };
    const onKey = (k: string): void => {
      const n = model.state?.tasks.length ?? 0;
      if (k === 'q' || k === '\x03') return quit();
      if (model.view === 'detail') {
        if (k === '\x1b' || k === '\x7f' || k === '\b' || k === '\x1b[D' || k === 'h') setView('tasks');
      } else if (k === '\t') {
        setView(views[(views.indexOf(model.view) + 1) % views.length]!);
      } else if (k >= '1' && k <= '4') {
        setView(views[Number(k) - 1]!);
      } else if (model.view === 'tasks') {
        if (k === '\x1b[A' || k === 'k') model.selected = Math.max(0, model.selected - 1);
        else if (k === '\x1b[B' || k === 'j') model.selected = Math.min(Math.max(0, n - 1), model.selected + 1);
        else if (k === '\x1b[5~') model.selected = Math.max(0, model.selected - 10);
        else if (k === '\x1b[6~') model.selected = Math.min(Math.max(0, n - 1), model.selected + 10);
        else if (k === 'g' || k === '\x1b[H') model.selected = 0;
        else if (k === 'G' || k === '\x1b[F') model.selected = Math.max(0, n - 1);
        else if (k === '\r' || k === '\n') openDetail();
        else if (k === 's' || k === '\x1b[C' || k === 'l') model.sortCol = (model.sortCol + 1) % TUI_COLUMNS.length;
        else if (k === '\x1b[D' || k === 'h') model.sortCol = (model.sortCol + TUI_COLUMNS.length - 1) % TUI_COLUMNS.length;
        else if (k === 'r' || k === 'i') model.sortDesc = !model.sortDesc;
      }
    };
    if (input.isTTY) input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
    output.write('\x1b[?1049h\x1b[?25l');
    output.on('resize', draw);
    draw();
    connect();
  });
}
