// The compiler in a Web Worker, so that typing never waits for a check:
// messages {id, command, text[, position]} in, {id, answer, ms} out.
// Commands are cadence_run's (check, fmt, build, graph, simulate,
// export:T, explain:NAME), and lsp:hover and lsp:completion, which the
// language server in the module answers for the text at a position.
/* global importScripts, createCadence */
importScripts("cadence.js");
const ready = createCadence();
const URI = "file:///playground/sequence.cadence";
let lspText = null;
let lspVersion = 0;
let lspId = 0;

function lsp(cadence, messages) {
  return JSON.parse(cadence.ccall("cadence_lsp", "string", ["string"], [JSON.stringify(messages)]));
}

/// The server's answer to a request about `text` at `position`.
function ask(cadence, method, text, position) {
  const messages = [];
  if (lspText === null) {
    messages.push({ jsonrpc: "2.0", id: ++lspId, method: "initialize", params: { capabilities: {} } });
    messages.push({ jsonrpc: "2.0", method: "initialized", params: {} });
    messages.push({ jsonrpc: "2.0", method: "textDocument/didOpen",
      params: { textDocument: { uri: URI, languageId: "cadence", version: ++lspVersion, text } } });
  } else if (lspText !== text) {
    messages.push({ jsonrpc: "2.0", method: "textDocument/didChange",
      params: { textDocument: { uri: URI, version: ++lspVersion }, contentChanges: [{ text }] } });
  }
  lspText = text;
  const id = ++lspId;
  messages.push({ jsonrpc: "2.0", id, method, params: { textDocument: { uri: URI }, position } });
  const reply = lsp(cadence, messages).find((message) => message.id === id);
  return reply && "result" in reply ? { ok: true, result: reply.result } : { ok: false, error: JSON.stringify(reply) };
}

self.onmessage = async (event) => {
  const { id, command, text, position } = event.data;
  const cadence = await ready;
  const start = performance.now();
  let answer;
  try {
    if (command === "lsp:hover") answer = ask(cadence, "textDocument/hover", text, position);
    else if (command === "lsp:completion") answer = ask(cadence, "textDocument/completion", text, position);
    else answer = JSON.parse(cadence.ccall("cadence_run", "string", ["string", "string"], [command, text]));
  } catch (error) {
    answer = { ok: false, error: String(error) };
  }
  self.postMessage({ id, answer, ms: performance.now() - start });
};
