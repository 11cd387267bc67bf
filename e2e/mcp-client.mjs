#!/usr/bin/env node
// mcp-client.mjs — drive an MCP server with the official TypeScript SDK client and print what happened
// as one JSON document on stdout (used by the JUnit end-to-end tests in app/src/test/java/.../e2e).
//
// Usage:
//   node mcp-client.mjs [options] --http URL          Streamable HTTP, e.g. http://127.0.0.1:8080/mcp
//   node mcp-client.mjs [options] --sse URL           legacy HTTP+SSE, e.g. http://127.0.0.1:8080/sse
//   node mcp-client.mjs [options] --stdio CMD ARG...  stdio: runs CMD ARG... directly (no shell); must be last
// Options:
//   --calls JSON     array of {"name": TOOL, "arguments": {...}} to call in order after tools/list; a call with
//                    "cancel_after_ms": N is aborted N ms after it was sent (AbortSignal: the SDK sends
//                    notifications/cancelled) and reported with "cancelled": true
//   --timeout MS     per-request timeout (default 60000)
//   --header 'Name: value'  an HTTP header on every request (repeatable; e.g. Authorization: Bearer KEY)
//   --linger MS      wait this long after the last call before closing (a late response to a cancelled request
//                    would show in "transport_errors")
// Output: {"server": {name, version}, "protocolVersion", "tools": [{name, inputSchema, annotations}],
//          "calls": [{"name", "arguments", "result": CallToolResult} | {"name", "arguments", "error": {code, message}}],
//          "log": [notifications/message params], "progress": [notifications/progress params],
//          "transport_errors": [client.onerror messages, e.g. a response for an unknown (cancelled) id]}
// Exit: 0 session ran (individual calls may still have failed: see "calls"), 1 a request other than a
//       tool call failed ("error" in the output), 2 usage error or the
//       session could not be established (message on stderr).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

function fail(message) {
  process.stderr.write(`mcp-client: ${message}\n`);
  process.exit(2);
}

const opts = { calls: [], timeout: 60000, headers: {}, linger: 0 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = () => (i + 1 < argv.length ? argv[++i] : fail(`${a} needs a value`));
  if (a === '--http' || a === '--sse') {
    opts.mode = a.slice(2);
    opts.url = next();
  } else if (a === '--stdio') {
    opts.mode = 'stdio';
    opts.command = argv.slice(i + 1);
    if (opts.command.length === 0) fail('--stdio needs a command');
    break;
  } else if (a === '--calls') {
    try {
      opts.calls = JSON.parse(next());
    } catch (e) {
      fail(`--calls is not JSON: ${e.message}`);
    }
    if (!Array.isArray(opts.calls)) fail('--calls must be a JSON array');
  } else if (a === '--header') {
    const header = next();
    const colon = header.indexOf(':');
    if (colon <= 0) fail(`--header must be 'Name: value' (got ${header})`);
    opts.headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  } else if (a === '--linger') {
    opts.linger = Number(next());
    if (!(opts.linger >= 0)) fail('--linger must be a number of milliseconds');
  } else if (a === '--timeout') {
    opts.timeout = Number(next());
    if (!(opts.timeout > 0)) fail('--timeout must be a positive number of milliseconds');
  } else {
    fail(`unknown argument ${a}`);
  }
}
if (!opts.mode) fail('give one of --http URL, --sse URL, --stdio CMD...');

function transport() {
  switch (opts.mode) {
    case 'http':
      return new StreamableHTTPClientTransport(new URL(opts.url), { requestInit: { headers: opts.headers } });
    case 'sse':
      return new SSEClientTransport(new URL(opts.url), {
        requestInit: { headers: opts.headers },
        eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...opts.headers } }) },
      });
    default:
      // The SDK passes only a small environment whitelist by default; the server needs JAVA_HOME etc.
      return new StdioClientTransport({
        command: opts.command[0],
        args: opts.command.slice(1),
        env: { ...process.env },
        stderr: 'inherit',
      });
  }
}

const client = new Client({ name: 'ops-mcp-e2e', version: '0.1.0' }, { capabilities: {} });
const out = { calls: [], log: [], progress: [], transport_errors: [] };
client.onerror = (e) => out.transport_errors.push(String(e?.message ?? e));
client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
  out.log.push(n.params);
});

try {
  await client.connect(transport(), { timeout: opts.timeout });
} catch (e) {
  fail(`cannot connect (${opts.mode}): ${e?.message ?? e}`);
}

try {
  out.server = client.getServerVersion();
  out.protocolVersion = client.transport?.protocolVersion ?? null;
  const listed = await client.listTools({}, { timeout: opts.timeout });
  out.tools = listed.tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema, annotations: t.annotations }));
  for (const call of opts.calls) {
    const entry = { name: call.name, arguments: call.arguments ?? {} };
    const abort = new AbortController();
    const timer = call.cancel_after_ms > 0 ? setTimeout(() => abort.abort('cancelled by mcp-client'), call.cancel_after_ms) : null;
    try {
      entry.result = await client.callTool({ name: call.name, arguments: entry.arguments }, undefined, {
        timeout: opts.timeout,
        signal: abort.signal,
        onprogress: (p) => out.progress.push(p),
      });
    } catch (e) {
      entry.error = { code: e?.code ?? null, message: String(e?.message ?? e) };
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (abort.signal.aborted) entry.cancelled = true;
    out.calls.push(entry);
  }
  if (opts.linger > 0) await new Promise((r) => setTimeout(r, opts.linger));
} catch (e) {
  out.error = { code: e?.code ?? null, message: String(e?.message ?? e) };
} finally {
  await client.close().catch(() => {});
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(out.error ? 1 : 0);
