// End to end: a real LSP client (vscode-languageserver-protocol, the library
// VS Code's client is built on) drives `cadence lsp` over stdio.
//
// Usage: node client_e2e.js CADENCE_BINARY TOOLS_NODE_MODULES
'use strict';
const assert = require('assert');
const path = require('path');
const { spawn } = require('child_process');

const [cadence, modules] = process.argv.slice(2);
const rpc = require(path.join(path.resolve(modules), 'vscode-languageserver-protocol', 'node'));

const uri = 'file:///e2e/outreach.cadence';
// Emoji before the error on its line: positions must be counted in UTF-16
// code units, which is exactly how JavaScript strings index.
const lines = [
  'import "std/lead"',
  'template intro for lead { subject "Hi {{lead.firstname | "there"}}" body "b" }',
  'sequence s {',
  '  target lead',
  '  email first { template intro }',
  '  wait 2d',
  '  sms hi { text "🎉🎉 big news" } wait 0d',
  '  branch opened(frist) { yes { call c { script "x" } } }',
  '}',
  '',
];
let text = lines.join('\n');

function offsetAt(source, position) {
  const all = source.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; ++i) offset += all[i].length + 1;
  return offset + position.character;
}

function applyEdits(source, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(source, b.range.start) - offsetAt(source, a.range.start));
  for (const edit of sorted) {
    source = source.slice(0, offsetAt(source, edit.range.start)) + edit.newText + source.slice(offsetAt(source, edit.range.end));
  }
  return source;
}

async function main() {
  const server = spawn(cadence, ['lsp', '--debounce', '30'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  const connection = rpc.createProtocolConnection(
    new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const published = [];
  let notifyPublished = null;
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    if (notifyPublished) notifyPublished();
  });
  connection.listen();
  const nextDiagnostics = (version) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version}`)), 10000);
    const check = () => {
      const found = published.find((p) => p.uri === uri && p.version === version);
      if (found) { clearTimeout(timer); notifyPublished = null; resolve(found); }
    };
    notifyPublished = check;
    check();
  });

  const init = await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid, rootUri: null, capabilities: { general: { positionEncodings: ['utf-16'] } },
  });
  assert.strictEqual(init.capabilities.positionEncoding, 'utf-16');
  assert.ok(init.capabilities.hoverProvider);
  await connection.sendNotification(rpc.InitializedNotification.type, {});

  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'cadence', version: 1, text },
  });
  let diagnostics = (await nextDiagnostics(1)).diagnostics;
  const wait = diagnostics.find((d) => d.data.name === 'wait-out-of-range');
  assert.ok(wait, 'the zero wait is reported');
  assert.deepStrictEqual(wait.range.start, { line: 6, character: lines[6].indexOf('0d') });
  assert.deepStrictEqual(wait.range.end, { line: 6, character: lines[6].indexOf('0d') + 2 });
  const typo = diagnostics.find((d) => d.data.name === 'unknown-name');
  assert.strictEqual(typo.message, "unknown step 'frist'; did you mean 'first'?");
  assert.strictEqual(typo.range.start.character, lines[7].indexOf('frist'));
  assert.ok(typo.codeDescription.href.endsWith('/rules/unknown-name.md'));
  console.log('diagnostics at UTF-16 positions: ok');

  const hover = await connection.sendRequest(rpc.HoverRequest.type, {
    textDocument: { uri }, position: { line: 4, character: lines[4].indexOf('first') + 1 },
  });
  assert.match(hover.contents.value, /^\*\*email\*\* `first` in sequence `s`/);
  console.log('hover: ok');

  const definition = await connection.sendRequest(rpc.DefinitionRequest.type, {
    textDocument: { uri }, position: { line: 4, character: lines[4].indexOf('intro') + 2 },
  });
  assert.strictEqual(definition.uri, uri);
  assert.deepStrictEqual(definition.range.start, { line: 1, character: lines[1].indexOf('intro') });
  console.log('definition: ok');

  const actions = await connection.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] },
  });
  const quickFix = actions.find((a) => a.title === "replace 'frist' with 'first'");
  assert.ok(quickFix, 'a quick fix for the typo');
  text = applyEdits(text, quickFix.edit.changes[uri]);
  const zeroWait = text.indexOf('wait 0d');
  text = text.slice(0, zeroWait) + 'wait 1d' + text.slice(zeroWait + 'wait 0d'.length);
  await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 }, contentChanges: [{ text }],
  });
  diagnostics = (await nextDiagnostics(2)).diagnostics;
  assert.ok(!diagnostics.some((d) => d.severity === 1), 'no errors after the fix');
  assert.ok(diagnostics.some((d) => d.data.name === 'missing-reply-exit'), 'lints run once the errors are gone');
  console.log('quick fix applied, diagnostics updated: ok');

  const rename = await connection.sendRequest(rpc.RenameRequest.type, {
    textDocument: { uri }, position: { line: 4, character: lines[4].indexOf('first') }, newName: 'opener',
  });
  const edits = rename.changes[uri];
  assert.strictEqual(edits.length, 2, 'the label and its use in the branch');
  text = applyEdits(text, edits);
  assert.ok(text.includes('email opener {') && text.includes('opened(opener)'));
  await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 }, contentChanges: [{ text }],
  });
  diagnostics = (await nextDiagnostics(3)).diagnostics;
  assert.ok(!diagnostics.some((d) => d.severity === 1), 'the rename keeps the file compiling');
  console.log('rename: ok');

  await connection.sendRequest(rpc.ShutdownRequest.type);
  await connection.sendNotification(rpc.ExitNotification.type);
  const code = await exited;
  assert.strictEqual(code, 0);
  console.log('shutdown and exit: ok');
  connection.dispose();
}

main().then(() => { console.log('1 passed, 0 failed'); process.exit(0); })
  .catch((error) => { console.error(error); console.log('0 passed, 1 failed'); process.exit(1); });
