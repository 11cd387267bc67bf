#!/usr/bin/env node
// conformance.mjs — run the official MCP conformance suite (@modelcontextprotocol/conformance, server
// scenarios) against one running Streamable HTTP endpoint on loopback and summarise it.
//
// Usage: node conformance.mjs --url http://127.0.0.1:PORT/mcp [options]   a server that is already running
//        node conformance.mjs --jar app/target/ops-mcp.jar --fixtures FIXTURES [--toolsets LIST] [options]
//             starts `ops-mcp serve --transport http --port 0 --toolsets LIST` (default: conformance) from JAR
//             on 127.0.0.1, runs the suite against its /mcp and stops it. The jar does not ship the conformance
//             toolset: FIXTURES (conformance/target/ops-mcp-conformance-fixtures-VERSION.jar) is added to its
//             class path with Spring Boot's PropertiesLauncher (-Dloader.path); not needed with --toolsets hosts
// Options: [--suite active|all|pending] [--scenario NAME] [--out DIR] [--timeout SECONDS]
// Prints the suite's own output on stderr, then on stdout one line per scenario
//   ✓ NAME: N passed, N failed        (✗ when a check failed)
// and last
//   N passed, N failed
// (checks with status SUCCESS / FAILURE, summed over scenarios, as the suite's own "Total:" line counts them).
// Exit: 0 no failed check, 1 some check failed, 2 the suite could not be run or its summary not found.
// Needs node >= 22 (the suite imports fs.globSync); run it with e2e/node_modules/.bin/node.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suiteJs = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

function fail(message) {
  process.stderr.write(`conformance: ${message}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(2);
}

const opts = { suite: 'active', timeout: 900, toolsets: 'conformance' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = () => (i + 1 < argv.length ? argv[++i] : fail(`${a} needs a value`));
  switch (a) {
    case '--url': opts.url = next(); break;
    case '--jar': opts.jar = next(); break;
    case '--fixtures': opts.fixtures = next(); break;
    case '--toolsets': opts.toolsets = next(); break;
    case '--suite': opts.suite = next(); break;
    case '--scenario': opts.scenario = next(); break;
    case '--out': opts.out = next(); break;
    case '--timeout': opts.timeout = Number(next()); break;
    default: fail(`unknown argument ${a}`);
  }
}
if (!opts.url === !opts.jar) fail('give exactly one of --url URL or --jar PATH');
if (opts.jar && !opts.fixtures && opts.toolsets.split(',').map((t) => t.trim()).includes('conformance')) {
  fail('the conformance toolset is not in the jar: add --fixtures conformance/target/ops-mcp-conformance-fixtures-VERSION.jar'
    + ' (./mvnw -q -pl conformance -am package -DskipTests builds it), or run without it: --toolsets hosts');
}
if (Number(process.versions.node.split('.')[0]) < 22) fail(`node >= 22 needed, this is ${process.version}`);
const out = opts.out ?? mkdtempSync(join(tmpdir(), 'ops-mcp-conformance-'));

let server = null;
if (opts.jar) {
  const launch = opts.fixtures
    ? [`-Dloader.path=${opts.fixtures}`, '-cp', opts.jar, 'org.springframework.boot.loader.launch.PropertiesLauncher']
    : ['-jar', opts.jar];
  server = spawn('java', [...launch, 'serve', '--transport', 'http', '--bind', '127.0.0.1', '--port', '0',
    '--toolsets', opts.toolsets, '--data-dir', join(out, 'data')], { stdio: ['ignore', 'ignore', 'pipe'] });
  process.on('exit', () => server.kill('SIGTERM'));
  opts.url = await new Promise((resolve) => {
    let log = '';
    const timer = setTimeout(() => resolve(null), 90_000);
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(`${m[1]}/mcp`);
      }
    });
    server.on('exit', () => {
      clearTimeout(timer);
      process.stderr.write(log);
      resolve(null);
    });
  });
  if (!opts.url) fail(`ops-mcp did not start from ${opts.jar}`);
  server.stderr.resume();
}

const args = [suiteJs, 'server', '--url', opts.url, '-o', out];
args.push(...(opts.scenario ? ['--scenario', opts.scenario] : ['--suite', opts.suite]));
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let text = '';
child.stdout.on('data', (chunk) => {
  text += chunk;
  process.stderr.write(chunk);
});
const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeout * 1000);
const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(signal ? 128 : c)));
clearTimeout(timer);
server?.kill('SIGTERM');

// eslint-disable-next-line no-control-regex
const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
const lines = [];
const summary = plain.split('=== SUMMARY ===')[1];
if (summary !== undefined) {
  for (const m of summary.matchAll(/^([✓✗]) (\S+): (\d+) passed, (\d+) failed$/gmu)) {
    lines.push(m[0]);
    passed += Number(m[3]);
    failed += Number(m[4]);
  }
} else {
  // A single scenario prints "Passed: P/T, F failed, W warnings" instead of a summary.
  const m = plain.match(/^Passed: (\d+)\/\d+, (\d+) failed/m);
  if (!m) fail(`no results in the suite's output (exit ${code}); results in ${out}`);
  passed = Number(m[1]);
  failed = Number(m[2]);
  lines.push(`${failed === 0 ? '✓' : '✗'} ${opts.scenario}: ${passed} passed, ${failed} failed`);
}
if (lines.length === 0) fail(`no scenario results in the suite's summary (exit ${code}); results in ${out}`);
process.stdout.write(lines.join('\n') + '\n');
process.stdout.write(`results in ${out}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && code === 0 ? 0 : 1);
