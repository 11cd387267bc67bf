#!/usr/bin/env node
// session.mjs — one MCP session with the official TypeScript SDK client, driven line by line: the test writes one
// JSON command per line on stdin and reads one JSON answer per line on stdout, so it can act between requests
// (post a webhook, approve out of band) while the session and its resource subscriptions stay open.
//
// Usage: node session.mjs [--header 'Name: value']... --http URL
// Commands (answers):
//   {"op": "subscribe", "uri": U}                  resources/subscribe              ({"ok": true})
//   {"op": "read", "uri": U}                       resources/read                   ({"result": ReadResourceResult})
//   {"op": "call", "name": T, "arguments": {...}}  tools/call                       ({"result": CallToolResult})
//   {"op": "prompt", "name": P, "arguments": {...}} prompts/get                     ({"result": GetPromptResult})
//   {"op": "wait", "uri": U, "timeout_ms": N}      until a notifications/resources/updated for U arrives that was
//                                                  not yet consumed ({"updated": U} or {"timeout": true})
//   {"op": "close"}                                ends the session and the script
// A failed request answers {"error": {code, message}}. Exit: 0 after close, 2 when the session cannot start.

import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const headers = {};
let url;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--header' && i + 1 < argv.length) {
    const h = argv[++i];
    const colon = h.indexOf(':');
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  } else if (argv[i] === '--http' && i + 1 < argv.length) {
    url = argv[++i];
  } else {
    process.stderr.write(`session: unknown argument ${argv[i]}\n`);
    process.exit(2);
  }
}
if (!url) {
  process.stderr.write('session: --http URL is required\n');
  process.exit(2);
}

const updates = []; // URIs of notifications not yet consumed by a wait
const waiters = [];
const client = new Client({ name: 'ops-mcp-e2e-session', version: '0.1.0' }, { capabilities: {} });
client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
  updates.push(n.params.uri);
  for (const w of waiters.splice(0)) w();
});
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }), { timeout: 60000 });
} catch (e) {
  process.stderr.write(`session: cannot connect: ${e?.message ?? e}\n`);
  process.exit(2);
}

async function waitFor(uri, timeoutMs) {
  const deadline = Date.now() + Math.min(Math.max(timeoutMs ?? 10000, 0), 60000);
  for (;;) {
    const i = updates.indexOf(uri);
    if (i >= 0) {
      updates.splice(i, 1);
      return { updated: uri };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { timeout: true };
    await new Promise((resolve) => {
      const t = setTimeout(resolve, left);
      waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch {
    say({ error: { code: null, message: 'not JSON' } });
    continue;
  }
  try {
    switch (cmd.op) {
      case 'subscribe':
        await client.subscribeResource({ uri: cmd.uri });
        say({ ok: true });
        break;
      case 'read':
        say({ result: await client.readResource({ uri: cmd.uri }) });
        break;
      case 'call':
        say({ result: await client.callTool({ name: cmd.name, arguments: cmd.arguments ?? {} }, undefined, { timeout: 120000 }) });
        break;
      case 'prompt':
        say({ result: await client.getPrompt({ name: cmd.name, arguments: cmd.arguments ?? {} }) });
        break;
      case 'wait':
        say(await waitFor(cmd.uri, cmd.timeout_ms));
        break;
      case 'close':
        await client.close().catch(() => {});
        process.exit(0);
      default:
        say({ error: { code: null, message: `unknown op ${cmd.op}` } });
    }
  } catch (e) {
    say({ error: { code: e?.code ?? null, message: String(e?.message ?? e) } });
  }
}
await client.close().catch(() => {});
process.exit(0);
