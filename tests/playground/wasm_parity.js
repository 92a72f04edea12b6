// The playground's WebAssembly module answers as the `cadence` command does:
// for each example that needs no file beside it, `check` gives the
// diagnostics of `cadence check --format json`, `fmt` the text of
// `cadence fmt`, `build` the plan of `cadence build` (paths aside), `graph`
// the DOT of `cadence graph`; and hostile input (binary, deep nesting, a
// huge file) gets an answer, never a hang or a crash.
//
// Usage: node wasm_parity.js PLAYGROUND_JS CADENCE EXAMPLES_DIR
"use strict";
const assert = require("assert");
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { comparable, PLAYGROUND_URI } = require("./compare.js");

const [modulePath, cadenceArg, examples] = process.argv.slice(2);
const cadence = path.resolve(cadenceArg);

function native(args, cwd) {
  try {
    return execFileSync(cadence, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    if (error.status === 1) return error.stdout;  // findings: still an answer
    throw error;
  }
}

/// A plan without the file names it records.
function pathless(value) {
  if (Array.isArray(value)) return value.map(pathless);
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, member] of Object.entries(value)) {
      if (key === "source" || key === "file") continue;
      out[key] = pathless(member);
    }
    return out;
  }
  return value;
}

(async () => {
  const createCadence = require(path.resolve(modulePath));
  // Under Node the module's bytes are handed over: the loader would fetch()
  // a plain path, which Node's fetch does not take.
  const wasmBinary = fs.readFileSync(path.join(path.dirname(path.resolve(modulePath)), "cadence.wasm"));
  const module = await createCadence({ wasmBinary });
  const run = (command, text) => JSON.parse(module.ccall("cadence_run", "string", ["string", "string"], [command, text]));

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "cadence-playground-"));
  const file = path.join(work, "sequence.cadence");
  let compared = 0;
  for (const name of fs.readdirSync(examples).filter((n) => n.endsWith(".cadence")).sort()) {
    const text = fs.readFileSync(path.join(examples, name), "utf8");
    if (/import\s+"\.\.?\//.test(text)) continue;  // needs a file beside it
    fs.writeFileSync(file, text);

    const checked = run("check", text);
    assert.ok(checked.ok, `${name}: ${checked.error}`);
    const expected = JSON.parse(native(["check", "--format", "json", "--no-project", "sequence.cadence"], work));
    assert.deepStrictEqual(comparable(checked.report, PLAYGROUND_URI),
                           comparable(expected, `file://${file}`), `${name}: check differs`);

    const formatted = run("fmt", text);
    assert.ok(formatted.ok, `${name}: ${formatted.error}`);
    fs.writeFileSync(file, text);
    assert.strictEqual(formatted.text, native(["fmt", "sequence.cadence"], work), `${name}: fmt differs`);

    const built = run("build", text);
    assert.ok(built.ok, `${name}: ${built.error}`);
    const plan = JSON.parse(native(["build", "sequence.cadence"], work));
    assert.deepStrictEqual(pathless(built.plan), pathless(plan), `${name}: plan differs`);

    const graph = run("graph", text);
    assert.ok(graph.ok, `${name}: ${graph.error}`);
    assert.strictEqual(graph.dot, native(["graph", "sequence.cadence"], work), `${name}: graph differs`);

    const simulated = run("simulate", text);
    assert.ok(simulated.ok, `${name}: ${simulated.error}`);
    assert.match(simulated.svg, /^<svg/);
    compared += 1;
    console.log(`${name}: check, fmt, build, graph and simulate agree with the cadence command`);
  }
  assert.ok(compared >= 3, `only ${compared} examples compared`);

  // Export through the module: the same document as `cadence export`.
  const trial = fs.readFileSync(path.join(examples, "trial_followup.cadence"), "utf8");
  fs.writeFileSync(file, trial);
  const exported = run("export:hubspot", trial);
  assert.ok(exported.ok, exported.error);
  const exportedNative = JSON.parse(execFileSync(cadence, ["export", "--target", "hubspot", "sequence.cadence"],
                                                { cwd: work, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  assert.deepStrictEqual(pathless(exported.export), pathless(exportedNative));
  console.log("export:hubspot agrees with cadence export");

  // The language server in the module answers hover and completion as
  // `cadence lsp` does.
  const uri = "file:///playground/sequence.cadence";
  const lspIn = (messages) => JSON.parse(module.ccall("cadence_lsp", "string", ["string"], [JSON.stringify(messages)]));
  const requests = [];
  const lines = trial.split("\n");
  const at = (needle, offset) => {
    const line = lines.findIndex((text) => text.includes(needle));
    return { line, character: lines[line].indexOf(needle) + offset };
  };
  for (const [method, position] of [
    ["textDocument/hover", at("template trial_checkin mode auto", 12)],
    ["textDocument/hover", at("call setup_call", 7)],
    ["textDocument/completion", at("template trial_checkin mode auto", 12)],
    ["textDocument/completion", at("{{lead.firstname", 7)],
  ]) {
    requests.push({ method, position });
  }
  const session = (send) => {
    const answers = [];
    let id = 1;
    send([{ jsonrpc: "2.0", id: id++, method: "initialize", params: { capabilities: {} } },
      { jsonrpc: "2.0", method: "initialized", params: {} },
      { jsonrpc: "2.0", method: "textDocument/didOpen",
        params: { textDocument: { uri, languageId: "cadence", version: 1, text: trial } } }]);
    for (const request of requests) {
      const replies = send([{ jsonrpc: "2.0", id, method: request.method,
        params: { textDocument: { uri }, position: request.position } }]);
      answers.push(replies.find((reply) => reply.id === id).result);
      id += 1;
    }
    return answers;
  };
  const wasmAnswers = session(lspIn);
  const framed = (messages) => messages.map((message) => {
    const body = JSON.stringify(message);
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  }).join("");
  const all = [{ jsonrpc: "2.0", id: 1, method: "initialize", params: { capabilities: {} } },
    { jsonrpc: "2.0", method: "initialized", params: {} },
    { jsonrpc: "2.0", method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "cadence", version: 1, text: trial } } },
    ...requests.map((request, i) => ({ jsonrpc: "2.0", id: i + 2, method: request.method,
      params: { textDocument: { uri }, position: request.position } })),
    { jsonrpc: "2.0", id: 99, method: "shutdown" }, { jsonrpc: "2.0", method: "exit" }];
  const output = execFileSync(cadence, ["lsp"], { input: framed(all), encoding: "utf8", cwd: work });
  const replies = [];
  for (const part of output.split(/Content-Length: \d+\r\n\r\n/).filter(Boolean)) replies.push(JSON.parse(part));
  const nativeAnswers = requests.map((_, i) => replies.find((reply) => reply.id === i + 2).result);
  assert.deepStrictEqual(wasmAnswers, nativeAnswers);
  assert.ok(wasmAnswers[0] && wasmAnswers[0].contents.value.includes("trial_checkin"));
  assert.ok(wasmAnswers[3].length > 0 || (wasmAnswers[3].items || []).length > 0);
  console.log(`hover and completion agree with cadence lsp (${requests.length} requests)`);

  // Hostile input: an answer every time, quickly.
  const hostile = {
    binary: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)).toString("latin1"),
    "deep nesting": "sequence s { target lead " + "branch replied { yes { ".repeat(3000) + "}",
    "huge file": "// filler\n".repeat(200000) + 'sequence s { target lead task t { note "x" } }\n',
    "invalid UTF-8": "sequence s { title \"\udc80\" }",
  };
  for (const [what, text] of Object.entries(hostile)) {
    const start = Date.now();
    for (const command of ["check", "fmt", "build", "graph", "simulate"]) {
      const answer = run(command, text);
      assert.strictEqual(typeof answer.ok, "boolean", `${what}: ${command} gave no answer`);
    }
    const checked = run("check", text);
    assert.ok(checked.ok && checked.report.summary.errors > 0, `${what}: expected errors`);
    console.log(`${what}: answered in ${Date.now() - start} ms, ${checked.report.summary.errors} error(s)`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`playground module: ${compared} examples agree`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
