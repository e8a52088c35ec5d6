/**
 * The web UI's page: markup and styles (the script is `app.ts`). Served at `/`.
 * @module
 */

/** @internal */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kyoto console</title>
<style>
:root { --bg:#101418; --panel:#171d23; --line:#26303a; --fg:#d8dee6; --dim:#8a96a3; --acc:#6cb6ff;
  --warn:#e3b341; --err:#f47067; --ok:#57ab5a; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg); }
header { display:flex; gap:16px; align-items:center; padding:8px 14px; background:var(--panel); border-bottom:1px solid var(--line); }
header h1 { font-size:15px; margin:0; color:var(--acc); }
header .stat { color:var(--dim); } header .stat b { color:var(--fg); font-weight:600; }
#conn { margin-left:auto; } #conn.live { color:var(--ok); } #conn.down { color:var(--err); }
nav { display:flex; gap:2px; padding:6px 14px 0; border-bottom:1px solid var(--line); }
nav a { padding:6px 12px; color:var(--dim); text-decoration:none; border:1px solid transparent; border-bottom:none; border-radius:4px 4px 0 0; }
nav a.active { color:var(--fg); background:var(--panel); border-color:var(--line); }
nav .badge { background:var(--warn); color:#000; border-radius:8px; padding:0 6px; margin-left:4px; font-size:11px; }
nav .badge.err { background:var(--err); }
main { padding:10px 14px; }
.toolbar { display:flex; gap:10px; align-items:center; margin-bottom:8px; color:var(--dim); }
input[type=search] { background:var(--panel); color:var(--fg); border:1px solid var(--line); padding:5px 8px; width:320px; border-radius:4px; font:inherit; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:3px 8px; border-bottom:1px solid var(--line); white-space:nowrap; }
th { color:var(--dim); font-weight:600; cursor:pointer; user-select:none; position:sticky; top:0; background:var(--bg); }
th.sorted { color:var(--acc); }
td.num, th.num { text-align:right; }
td.chain { white-space:normal; color:var(--dim); max-width:520px; }
td.loc { color:var(--dim); max-width:260px; overflow:hidden; text-overflow:ellipsis; }
tbody tr { cursor:pointer; } tbody tr:hover { background:#1c252e; }
tr.lint-warning td:first-child { box-shadow: inset 3px 0 0 var(--warn); } tr.lint-error td:first-child { box-shadow: inset 3px 0 0 var(--err); }
tr.lint-warning { background:rgba(227,179,65,0.08); } tr.lint-error { background:rgba(244,112,103,0.10); }
.lintmark { color:var(--warn); } .lint-error .lintmark { color:var(--err); }
.state-running { color:var(--ok); } .state-scheduled { color:var(--acc); } .state-idle { color:var(--dim); } .state-cancelling { color:var(--warn); }
.panel { background:var(--panel); border:1px solid var(--line); border-radius:6px; padding:10px 12px; margin-bottom:10px; }
.panel h2 { font-size:13px; margin:0 0 8px; color:var(--acc); }
.grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap:6px 16px; }
.grid div span { color:var(--dim); display:block; font-size:11px; }
.hists { display:flex; gap:10px; flex-wrap:wrap; } .hists .panel { flex:1 1 420px; }
canvas { width:100%; height:160px; display:block; }
.pct { color:var(--dim); margin-top:4px; }
ol.chain { margin:0; padding-left:20px; } ol.chain li { margin:3px 0; } ol.chain .at { color:var(--dim); }
ol.chain .leaf { color:var(--warn); }
.lint { border-left:3px solid var(--warn); padding:6px 10px; margin:6px 0; background:rgba(227,179,65,0.07); }
.lint.error { border-color:var(--err); background:rgba(244,112,103,0.08); }
.lint .kind { font-weight:600; color:var(--warn); } .lint.error .kind { color:var(--err); }
a { color:var(--acc); }
.empty { color:var(--dim); padding:10px 0; }
</style>
</head>
<body>
<header>
  <h1>kyoto console</h1>
  <span class="stat">runtime <b id="rt-name">-</b></span>
  <span class="stat">tasks <b id="m-tasks">0</b></span>
  <span class="stat">polls <b id="m-polls">0</b></span>
  <span class="stat">busy <b id="m-busy">0</b></span>
  <span class="stat">poll p99 <b id="m-p99">0</b></span>
  <span id="conn" class="down">connecting…</span>
</header>
<nav>
  <a href="#/tasks" id="tab-tasks">Tasks</a>
  <a href="#/resources" id="tab-resources">Resources</a>
  <a href="#/workers" id="tab-workers">Workers</a>
  <a href="#/lints" id="tab-lints">Lints<span id="lint-count"></span></a>
</nav>
<main id="view"></main>
<script src="/app.js"></script>
</body>
</html>
`;
