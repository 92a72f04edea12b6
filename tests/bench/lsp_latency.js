// Benchmark: time from didChange to the publishDiagnostics of that version,
// through the real `cadence lsp` over stdio, on a 5,000-line file.
// The server runs with --debounce 0, so the figure is the work itself.
//
// Then the same on a project: PROJECT_FILES files of 5 sequences of one team
// below a cadence.toml, one of them open and edited, so that every check
// reads the team's load over the whole project.
//
// Usage: node lsp_latency.js CADENCE TOOLS_NODE_MODULES [EDITS] [PROJECT_FILES]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const [cadence, modules, editsArg, projectArg] = process.argv.slice(2);
const rpc = require(path.join(path.resolve(modules), 'vscode-languageserver-protocol', 'node'));
const edits = Number(editsArg || 200);
const projectFiles = Number(projectArg || 200);

// About 5,000 lines of realistic sequences: 100 sequences of 50 lines, with
// handlers, engagement branches and varied channels (the kind of file a team
// keeps clean), plus one lint per sequence for the server to report.
function makeFile() {
  const lines = ['import "std/lead"', 'template t for lead { subject "Hi {{lead.firstname | \"there\"}}" body "b" }'];
  for (let s = 0; s < 100; ++s) {
    lines.push(`sequence s${s} {`, '  target lead', '  team "bench"', '  enroll 1/day', '  on replied exit "replied"',
               '  on bounced exit "bounced"', '  on unsubscribed exit "opted-out"', '  on out_of_office pause 7d');
    lines.push('  email e0 { template t }');
    for (let i = 1; i <= 4; ++i) {
      lines.push('  wait 1d', `  branch opened(e0) within 1d {`, `    yes { call c${i} { script "x" } }`,
                 `    no { linkedin message m${i} { note "x" } }`, '  }', '  wait 1d', `  email f${i} { template t }`,
                 `  // step ${i}: keep the channels varied`, '');
    }
    lines.push('  wait 1d', '  task done { note "wrap up" }', '}');
  }
  while (lines.length < 5000) lines.push('// padding');
  return lines.join('\n') + '\n';
}

// One file of the project: 5 sequences of the team "bench" (about 250 lines).
function makeProjectFile(index) {
  const lines = ['import "std/lead"', 'template t for lead { subject "Hi {{lead.firstname | \"there\"}}" body "b" }'];
  for (let s = 0; s < 5; ++s) {
    lines.push(`sequence f${index}_s${s} {`, '  target lead', '  team "bench"', '  enroll 1/day', '  on replied exit "replied"',
               '  on bounced exit "bounced"', '  on unsubscribed exit "opted-out"', '  on out_of_office pause 7d',
               '  email e0 { template t }');
    for (let i = 1; i <= 4; ++i) {
      lines.push('  wait 1d', '  branch opened(e0) within 1d {', `    yes { call c${i} { script "x" } }`,
                 `    no { linkedin message m${i} { note "x" } }`, '  }', '  wait 1d', `  email f${i} { template t }`, '');
    }
    lines.push('  wait 1d', '  task done { note "wrap up" }', '}');
  }
  return lines.join('\n') + '\n';
}

async function measure(label, uri, text, editLine) {
  const server = spawn(cadence, ['lsp', '--debounce', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const waiting = new Map();
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    if (params.uri !== uri) return;
    const resolve = waiting.get(params.version);
    if (resolve) { waiting.delete(params.version); resolve(params); }
  });
  connection.listen();
  await connection.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));
  let ready = published(1);
  const openStart = process.hrtime.bigint();
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'cadence', version: 1, text } });
  const first = await ready;
  const openMs = Number(process.hrtime.bigint() - openStart) / 1e6;
  const times = [];
  for (let version = 2; version < edits + 2; ++version) {
    // Type one character, then take it back.
    const line = editLine + (version % 40);
    const change = version % 2 === 0
      ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }
      : { range: { start: { line, character: 0 }, end: { line, character: 1 } }, text: '' };
    ready = published(version);
    const start = process.hrtime.bigint();
    await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
    await ready;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`${label}: first diagnostics after ${openMs.toFixed(1)} ms (${first.diagnostics.length} diagnostics)`);
  console.log(`${label}: didChange -> publishDiagnostics over ${times.length} edits: p50 ${pick(0.5).toFixed(2)} ms, p90 ${pick(0.9).toFixed(2)} ms, p99 ${pick(0.99).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
  await connection.sendRequest(rpc.ShutdownRequest.type);
  await connection.sendNotification(rpc.ExitNotification.type);
  connection.dispose();
  return first;
}

async function project() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-lsp-project-'));
  try {
    fs.writeFileSync(path.join(dir, 'cadence.toml'), '');
    let bytes = 0;
    for (let i = 0; i < projectFiles; ++i) {
      const text = makeProjectFile(i);
      bytes += text.length;
      fs.writeFileSync(path.join(dir, `f${i}.cadence`), text);
    }
    const open = path.join(dir, 'f0.cadence');
    const first = await measure(`project of ${projectFiles} files (${bytes} bytes), one open`, `file://${open}`,
                                fs.readFileSync(open, 'utf8'), 100);
    // 5 sequences x 5 emails x 1/day per file: the team overrun must be seen.
    if (projectFiles * 25 > 200 && !first.diagnostics.some((d) => d.code === 'CAD104')) {
      throw new Error('the team overrun across the project was not reported');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const text = makeFile();
  const lineCount = text.split('\n').length - 1;
  // Type one character into a note near the middle of the file, then take it back.
  await measure(`file of ${lineCount} lines (${text.length} bytes)`, 'file:///bench/big.cadence', text, 2500);
  if (projectFiles > 0) await project();
}

main().catch((error) => { console.error(error); process.exit(1); });
