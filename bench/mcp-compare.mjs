#!/usr/bin/env node
// mcp-compare.mjs — the MCP client side of bench/compare.sh, on the official TypeScript SDK
// (@modelcontextprotocol/sdk). Prints one JSON object per measurement on stdout.
//
//   node mcp-compare.mjs start --cmd JSON_ARRAY [--call TOOL] [--args JSON] [--think MS] [--timeout MS]
//     Spawns the command (argv as a JSON array, no shell), times spawn -> `initialize` answered (init_ms), then
//     after `notifications/initialized` and --think ms (a client's model deciding what to do; default 0) times
//     the first tools/call of TOOL (call_ms; its isError text, if any, in call_error). Closes stdin, then the
//     SDK stops the process (SIGTERM, then SIGKILL after 2 s).
//   node mcp-compare.mjs load --url URL --tool TOOL [--args JSON] --clients C --calls N [--warmup W] --pid PID
//     C streamable-HTTP sessions, W untimed calls each, then N calls shared by the sessions (closed loops).
//     server_cpu_us: the server's utime+stime from /proc/PID/stat over the N calls, per call; rss_peak_kb: its
//     VmRSS sampled every 50 ms during them; errors: exceptions plus isError results.
//   node mcp-compare.mjs rss --pid PID        {"rss_kb": VmRSS}
//   node mcp-compare.mjs summary --in FILE.jsonl [--fast-label TEXT]   medians per label and the ops/peer ratios (see
//     compare.sh); TEXT names the fast start in its rows (default startup-cache.sh)
//
// The SDK comes from $MCP_SDK_DIR (a node_modules/@modelcontextprotocol/sdk folder; compare.sh installs a pinned one).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const die = (m) => { process.stderr.write(`mcp-compare: ${m}\n`); process.exit(2); };
const argv = process.argv.slice(2);
const mode = argv.shift();
const opt = {};
for (let i = 0; i < argv.length; i += 2) {
  if (!argv[i].startsWith('--') || argv[i + 1] === undefined) die(`bad argument ${argv[i]}`);
  opt[argv[i].slice(2)] = argv[i + 1];
}
const now = () => Number(process.hrtime.bigint()) / 1e6;
const round = (x) => Math.round(x * 100) / 100;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function rssKb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
    return m ? Number(m[1]) : null;
  } catch { return null; }
}
function cpuMs(pid) { // utime + stime (fields 14, 15) in clock ticks of 10 ms
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
async function sdk() {
  const dir = process.env.MCP_SDK_DIR || die('MCP_SDK_DIR is not set');
  const imp = (p) => import(pathToFileURL(path.join(dir, 'dist/esm', p)).href);
  const [{ Client }, { StdioClientTransport }, { StreamableHTTPClientTransport }] = await Promise.all([
    imp('client/index.js'), imp('client/stdio.js'), imp('client/streamableHttp.js')]);
  return { Client, StdioClientTransport, StreamableHTTPClientTransport };
}
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};

if (mode === 'rss') {
  out({ rss_kb: rssKb(Number(opt.pid)) });
} else if (mode === 'start') {
  const { Client, StdioClientTransport } = await sdk();
  const [command, ...args] = JSON.parse(opt.cmd);
  const timeout = Number(opt.timeout ?? 120000);
  const transport = new StdioClientTransport({ command, args, stderr: 'ignore' });
  const client = new Client({ name: 'ops-mcp-bench', version: '1' }, { capabilities: {} });
  const rec = { ok: false };
  const t0 = now();
  try {
    await client.connect(transport, { timeout }); // initialize, then notifications/initialized
    rec.init_ms = round(now() - t0);
    if (opt.call) {
      if (Number(opt.think ?? 0) > 0) await new Promise((r) => setTimeout(r, Number(opt.think)));
      const t1 = now();
      const res = await client.callTool({ name: opt.call, arguments: JSON.parse(opt.args ?? '{}') }, undefined, { timeout });
      rec.call_ms = round(now() - t1);
      if (res.isError) rec.call_error = JSON.stringify(res.content).slice(0, 300);
    }
    rec.ok = !rec.call_error;
  } catch (e) {
    rec.error = String(e?.message ?? e).slice(0, 300);
  }
  try { await client.close(); } catch { /* already gone */ }
  out(rec);
  process.exit(0);
} else if (mode === 'load') {
  const { Client, StreamableHTTPClientTransport } = await sdk();
  const C = Number(opt.clients ?? 8), N = Number(opt.calls ?? 1000), W = Number(opt.warmup ?? 0), pid = Number(opt.pid);
  if (!(C >= 1 && C <= 256 && N >= C && N <= 1_000_000 && W >= 0 && W <= 100_000 && pid > 0)) die('bad --clients/--calls/--warmup/--pid');
  const args = JSON.parse(opt.args ?? '{}');
  let errors = 0, firstError = null;
  const call = async (client) => {
    try {
      const res = await client.callTool({ name: opt.tool, arguments: args }, undefined, { timeout: 30000 });
      if (res.isError) throw new Error(JSON.stringify(res.content).slice(0, 200));
    } catch (e) { errors++; firstError ??= String(e?.message ?? e).slice(0, 300); }
  };
  const sessions = [];
  for (let i = 0; i < C; i++) {
    const transport = new StreamableHTTPClientTransport(new URL(opt.url));
    const client = new Client({ name: 'ops-mcp-bench', version: '1' }, { capabilities: {} });
    client.onerror = () => {};
    await client.connect(transport, { timeout: 30000 });
    sessions.push({ client, transport });
  }
  await Promise.all(sessions.map(async (s) => { for (let i = 0; i < W; i++) await call(s.client); }));
  const warmupErrors = errors;
  errors = 0;
  let peak = rssKb(pid) ?? 0;
  const timer = setInterval(() => { peak = Math.max(peak, rssKb(pid) ?? 0); }, 50);
  const cpu0 = cpuMs(pid), t0 = now();
  await Promise.all(sessions.map(async (s, i) => {
    const n = Math.floor(N / C) + (i < N % C ? 1 : 0);
    for (let k = 0; k < n; k++) await call(s.client);
  }));
  const wall = now() - t0, cpu1 = cpuMs(pid);
  clearInterval(timer);
  peak = Math.max(peak, rssKb(pid) ?? 0);
  await Promise.all(sessions.map(async (s) => {
    try { await s.transport.terminateSession(); } catch { /* DELETE is optional */ }
    try { await s.client.close(); } catch { /* ignore */ }
  }));
  out({ calls: N, clients: C, calls_per_s: round(N / (wall / 1000)), server_cpu_us: round(((cpu1 - cpu0) * 1000) / N),
    rss_peak_kb: peak, errors, warmup_errors: warmupErrors, first_error: firstError });
  process.exit(0);
} else if (mode === 'summary') {
  // Lines: {"label": L, "metric": M, "value": V}; prints the median per (metric, label) and ops ÷ peer.
  const recs = readFileSync(opt.in, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const fast = opt['fast-label'] ?? 'startup-cache.sh';
  const rows = [
    ['stdio spawn -> initialize (ms), plain java -jar', 'init_ms', 'ops-jar', 'everything'],
    [`stdio spawn -> initialize (ms), fast start (${fast})`, 'init_ms', 'ops-fast', 'everything'],
    ['first tools/call after initialize (ms), plain jar: host_list vs echo', 'call_ms', 'ops-jar', 'everything'],
    [`first tools/call after initialize (ms), fast start (${fast}): host_list vs echo`, 'call_ms', 'ops-fast', 'everything'],
    ['server CPU per call, streamable HTTP (µs): host_list vs echo', 'server_cpu_us', 'ops', 'everything'],
    ['idle RSS (MiB)', 'idle_rss_mib', 'ops', 'everything'],
    ['peak RSS, 32 sessions (MiB)', 'peak_rss_mib', 'ops', 'everything'],
  ];
  const pick = (metric, label) => median(recs.filter((r) => r.metric === metric && r.label === label).map((r) => r.value));
  const count = (metric, label) => recs.filter((r) => r.metric === metric && r.label === label).length;
  const fmt = (x) => (x == null ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = ['| measurement | ops-mcp | server-everything | ratio ops/peer | runs |', '|---|---|---|---|---|'];
  for (const [title, metric, ops, peer] of rows) {
    const a = pick(metric, ops), b = pick(metric, peer);
    if (a == null && b == null) continue;
    lines.push(`| ${title} | ${fmt(a)} | ${fmt(b)} | ${a != null && b ? (a / b).toFixed(2) : '-'} | ${count(metric, ops)} |`);
  }
  process.stdout.write(lines.join('\n') + '\n');
} else {
  die('usage: mcp-compare.mjs start|load|rss|summary ... (see the header)');
}
