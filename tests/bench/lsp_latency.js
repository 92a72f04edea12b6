// Benchmark: time from didChange to the publishDiagnostics of that version,
// through the real `cadence lsp` over stdio, on a 5,000-line file.
// The server runs with --debounce 0, so the figure is the work itself.
//
// Then the same on a project: PROJECT_FILES files of 5 sequences of one team
// below a cadence.toml, one of them open and edited, so that every check
// reads the team's load over the whole project.
//
// Then a project of owners handing off: OWNERS teams of CHAIN files, one
// sequence each, every sequence handing off to the next of its team through
// the project (no imports). A file in the middle of a chain is edited; the
// figures are set beside `cadence check DIR` of the same project from
// scratch (the median of 11 runs), and the diagnostics published for the
// last version (the text on disk again) must equal the command's.
//
// Usage: node lsp_latency.js CADENCE TOOLS_NODE_MODULES [EDITS] [PROJECT_FILES] [OWNERS] [CHAIN]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const [cadence, modules, editsArg, projectArg, ownersArg, chainArg] = process.argv.slice(2);
const rpc = require(path.join(path.resolve(modules), 'vscode-languageserver-protocol', 'node'));
const edits = Number(editsArg || 200);
const projectFiles = Number(projectArg || 200);
const owners = Number(ownersArg || 10);
const chain = Number(chainArg || 20);

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

async function measure(label, uri, text, editLine, spread = 40) {
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
  let last = first;
  for (let version = 2; version < edits + 2; ++version) {
    // Type one character, then take it back.
    const line = editLine + (version % spread);
    const change = version % 2 === 0
      ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }
      : { range: { start: { line, character: 0 }, end: { line, character: 1 } }, text: '' };
    ready = published(version);
    const start = process.hrtime.bigint();
    await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
    last = await ready;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`${label}: first diagnostics after ${openMs.toFixed(1)} ms (${first.diagnostics.length} diagnostics)`);
  console.log(`${label}: didChange -> publishDiagnostics over ${times.length} edits: p50 ${pick(0.5).toFixed(2)} ms, p90 ${pick(0.9).toFixed(2)} ms, p99 ${pick(0.99).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
  await connection.sendRequest(rpc.ShutdownRequest.type);
  await connection.sendNotification(rpc.ExitNotification.type);
  connection.dispose();
  first.p99 = pick(0.99);
  first.lastDiagnostics = last.diagnostics;
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

// One file of a chain: the sequence o{owner}_s{index} of the team "owner{owner}",
// handing off to the next of the chain (found through the project).
function makeChainFile(owner, index) {
  const lines = ['import "std/lead"', 'template t for lead { subject "Hi {{lead.firstname | \"there\"}}" body "b" }',
                 `sequence o${owner}_s${index} {`, '  target lead', `  team "owner${owner}"`, '  enroll 2/day',
                 '  on replied exit "replied"', '  on bounced exit "bounced"', '  on unsubscribed exit "opted-out"',
                 '  on out_of_office pause 7d', '  email e0 { template t }'];
  for (let i = 1; i <= 4; ++i) {
    lines.push('  wait 1d', '  branch opened(e0) within 1d {', `    yes { call c${i} { script "x" } }`,
               `    no { linkedin message m${i} { note "x" } }`, '  }', '  wait 1d', `  email f${i} { template t }`, '');
  }
  lines.push('  wait 1d');
  lines.push(index + 1 < chain ? `  exit "no reply" then handoff o${owner}_s${index + 1}` : '  task done { note "wrap up" }');
  lines.push('}');
  return lines.join('\n') + '\n';
}

// The median wall time of `cadence check PATH` from scratch, and its
// diagnostics of one file.
function checkDirectory(dir, file, runs = 11) {
  const { spawnSync } = require('child_process');
  const times = [];
  let report = null;
  for (let run = 0; run < runs; ++run) {
    const start = process.hrtime.bigint();
    const result = spawnSync(cadence, ['check', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (!result.stdout) throw new Error(`cadence check ${dir} printed nothing: ${result.stderr}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status === 2 || result.error) throw new Error(`cadence check ${dir} failed: ${result.stderr}`);
    report = JSON.parse(result.stdout);
  }
  times.sort((a, b) => a - b);
  const entry = report.files.find((f) => path.resolve(dir, f.path) === file || path.resolve(f.path) === file);
  return { median: times[Math.floor(times.length / 2)], diagnostics: entry ? entry.diagnostics : [] };
}

async function handoffProject() {
  if (edits % 2 !== 0) throw new Error('EDITS must be even: each second edit takes the first one back');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-lsp-handoffs-'));
  try {
    fs.writeFileSync(path.join(dir, 'cadence.toml'), '');
    let bytes = 0;
    for (let owner = 0; owner < owners; ++owner) {
      for (let index = 0; index < chain; ++index) {
        const text = makeChainFile(owner, index);
        bytes += text.length;
        fs.writeFileSync(path.join(dir, `o${owner}_s${index}.cadence`), text);
      }
    }
    const open = path.join(dir, `o0_s${Math.floor(chain / 2)}.cadence`);
    const label = `${owners} owners x ${chain} files handing off (${bytes} bytes), one open`;
    // One line, typed into and taken back: after an even number of edits the
    // buffer is the file on disk.
    const served = await measure(label, `file://${open}`, fs.readFileSync(open, 'utf8'), 14, 1);
    const command = checkDirectory(dir, open);
    console.log(`${label}: cadence check DIR from scratch: median ${command.median.toFixed(2)} ms; ` +
                `p99 of an edit / check DIR = ${(served.p99 / command.median).toFixed(2)}`);
    // The last edit took the character back: the buffer is the file on disk.
    // `cadence check FILE` reads the file's project as the server does
    // (with DIR, a team's finding goes to the team's first file instead).
    const single = checkDirectory(open, open, 1);
    const key = (d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`;
    const published = served.lastDiagnostics.map(key).sort();
    const expected = single.diagnostics.map(key).sort();
    if (JSON.stringify(published) !== JSON.stringify(expected)) {
      throw new Error(`the server published other diagnostics than the command:\n${published.join('\n')}\n---\n${expected.join('\n')}`);
    }
    console.log(`${label}: the published diagnostics equal the command's (${published.length})`);
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
  if (owners > 0 && chain > 0) await handoffProject();
}

main().catch((error) => { console.error(error); process.exit(1); });
