// The Cadence playground: an editor whose every change is checked by the
// compiler itself (WebAssembly, in a Web Worker), with the diagnostics as
// squiggles and quick fixes, and panes for the flow graph, the daily load,
// the plan, the segments' FetchXML and the exports.
import { EditorView, basicSetup } from "codemirror";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { autocompletion, completionStatus } from "@codemirror/autocomplete";
import { keymap, hoverTooltip } from "@codemirror/view";
import { instance as vizInstance } from "@viz-js/viz";
import { cadenceLanguage, KEYWORDS } from "./language.js";

// ---------------------------------------------------------------- compiler
const worker = new Worker("worker.js");
let nextId = 1;
const pending = new Map();
worker.onmessage = (event) => {
  const { id, answer, ms } = event.data;
  const resolve = pending.get(id);
  pending.delete(id);
  if (resolve) resolve({ answer, ms });
};
function run(command, text, position) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, command, text, position });
  });
}

// ----------------------------------------------------------- shared state
const state = { lastReport: null, lastCheckMs: null, checks: 0, explanations: new Map(), clean: false };

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromBase64Url(encoded) {
  const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
function textFromUrl() {
  const match = /(?:^#|&)code=([^&]*)/.exec(location.hash);
  if (!match) return null;
  try {
    return fromBase64Url(match[1]);
  } catch {
    return null;
  }
}

/// A Language Server Protocol position (0-based line, UTF-16 character) as
/// a CodeMirror offset (CodeMirror counts UTF-16 code units too).
function offsetOf(doc, position) {
  const lineNumber = Math.min(Math.max(position.line + 1, 1), doc.lines);
  const line = doc.line(lineNumber);
  return Math.min(line.from + position.character, line.to);
}

const SEVERITY = { 1: "error", 2: "warning", 3: "info", 4: "hint" };

async function explanation(name) {
  if (!state.explanations.has(name)) {
    state.explanations.set(name, run(`explain:${name}`, "").then(({ answer }) => (answer.ok ? answer.text : "")));
  }
  return state.explanations.get(name);
}

// ------------------------------------------------------------------ lint
const cadenceLinter = linter(
  async (view) => {
    const text = view.state.doc.toString();
    const { answer, ms } = await run("check", text);
    if (view.state.doc.toString() !== text) return [];  // stale: a newer check follows
    state.checks += 1;
    state.lastCheckMs = ms;
    if (!answer.ok) {
      setStatus(`error: ${answer.error}`);
      return [];
    }
    state.lastReport = answer.report;
    const summary = answer.report.summary;
    state.clean = summary.errors === 0;
    setStatus(`${summary.errors} errors, ${summary.warnings} warnings, ${summary.infos} infos · checked in ${ms.toFixed(1)} ms`);
    const doc = view.state.doc;
    const names = new Set();
    const found = [];
    for (const file of answer.report.files) {
      for (const d of file.diagnostics) {
        names.add(d.data.name);
        const from = offsetOf(doc, d.range.start);
        const to = Math.max(offsetOf(doc, d.range.end), from);
        const actions = (d.data.fixes || []).map((fix) => ({
          name: fix.title,
          apply(target) {
            const changes = fix.edits.map((edit) => ({
              from: offsetOf(target.state.doc, edit.range.start),
              to: offsetOf(target.state.doc, edit.range.end),
              insert: edit.newText,
            }));
            target.dispatch({ changes });
          },
        }));
        found.push({
          from,
          to,
          severity: SEVERITY[d.severity] || "info",
          source: d.data.name,
          message: d.message,
          actions,
          renderMessage: () => renderMessage(d),
        });
      }
    }
    await Promise.all([...names].map(explanation));
    refreshPane();
    return found;
  },
  { delay: 150 }
);

function renderMessage(d) {
  const box = document.createElement("div");
  box.className = "diagnostic";
  const message = document.createElement("div");
  message.className = "diagnostic-message";
  message.textContent = `${d.message} [${d.data.name}]`;
  box.appendChild(message);
  if (d.data.help) {
    const help = document.createElement("div");
    help.className = "diagnostic-help";
    help.textContent = `help: ${d.data.help}`;
    box.appendChild(help);
  }
  const promise = state.explanations.get(d.data.name);
  const explain = document.createElement("div");
  explain.className = "diagnostic-explain";
  box.appendChild(explain);
  if (promise) {
    promise.then((text) => {
      explain.textContent = (text || "").split("\n\n").slice(0, 2).join("\n\n");
    });
  }
  return box;
}

// ------------------------------------------------- hover and completion
/// A CodeMirror offset as a Language Server Protocol position.
function positionOf(doc, offset) {
  const line = doc.lineAt(offset);
  return { line: line.number - 1, character: offset - line.from };
}

/// The server's Markdown (bold, code) as elements; everything else as text.
function markdown(text) {
  const box = document.createElement("div");
  box.className = "hover";
  for (const paragraph of text.split("\n\n")) {
    const p = document.createElement("p");
    for (const part of paragraph.split(/(\*\*[^*]+\*\*|`[^`]+`)/)) {
      if (part.startsWith("**") && part.endsWith("**") && part.length > 4) {
        const strong = document.createElement("strong");
        strong.textContent = part.slice(2, -2);
        p.appendChild(strong);
      } else if (part.startsWith("`") && part.endsWith("`") && part.length > 2) {
        const code = document.createElement("code");
        code.textContent = part.slice(1, -1);
        p.appendChild(code);
      } else if (part) {
        p.appendChild(document.createTextNode(part));
      }
    }
    box.appendChild(p);
  }
  return box;
}

const serverHover = hoverTooltip(async (view, pos) => {
  const text = view.state.doc.toString();
  const { answer } = await run("lsp:hover", text, positionOf(view.state.doc, pos));
  if (!answer.ok || !answer.result || view.state.doc.toString() !== text) return null;
  const contents = answer.result.contents;
  const value = typeof contents === "string" ? contents : contents.value;
  return { pos, create: () => ({ dom: markdown(value) }) };
});

const KIND = { 3: "function", 5: "property", 6: "variable", 7: "class", 10: "property", 13: "enum", 14: "keyword", 20: "enum" };
async function serverCompletion(context) {
  const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
  if (!word && !context.explicit) return null;
  const text = context.state.doc.toString();
  const { answer } = await run("lsp:completion", text, positionOf(context.state.doc, context.pos));
  const items = answer.ok && answer.result ? (Array.isArray(answer.result) ? answer.result : answer.result.items) : [];
  const options = items.map((item) => ({ label: item.label, detail: item.detail, type: KIND[item.kind] || "text",
    apply: item.insertText || item.label }));
  const known = new Set(options.map((option) => option.label));
  for (const label of KEYWORDS) if (!known.has(label)) options.push({ label, type: "keyword", boost: -1 });
  return { from: word ? word.from : context.pos, options, validFor: /^[A-Za-z0-9_]*$/ };
}

// ----------------------------------------------------------------- panes
const viz = vizInstance();
let activePane = "graph";
let paneTimer = null;

function refreshPane() {
  clearTimeout(paneTimer);
  paneTimer = setTimeout(renderPane, 100);
}

async function renderPane() {
  const host = document.getElementById("pane-body");
  const text = view.state.doc.toString();
  if (!state.clean) {
    host.replaceChildren(note("Fix the errors to see this pane."));
    return;
  }
  if (activePane === "graph") {
    const { answer } = await run("graph", text);
    if (!answer.ok) return host.replaceChildren(note(answer.error));
    const svg = (await viz).renderSVGElement(answer.dot);
    svg.setAttribute("data-testid", "graph");
    // Scale to the pane: keep the drawing's proportions, drop its fixed size.
    svg.removeAttribute("height");
    svg.setAttribute("width", "100%");
    host.replaceChildren(svg);
  } else if (activePane === "load") {
    const { answer } = await run("simulate", text);
    if (!answer.ok) return host.replaceChildren(note(answer.error));
    const figure = document.createElement("div");
    figure.innerHTML = answer.svg;  // the simulator's own SVG chart
    figure.firstElementChild?.setAttribute("data-testid", "chart");
    const table = document.createElement("pre");
    table.textContent = answer.table;
    host.replaceChildren(figure, table);
  } else if (activePane === "plan") {
    const { answer } = await run("build", text);
    host.replaceChildren(pre(answer.ok ? JSON.stringify(answer.plan, null, 2) : answer.error));
  } else if (activePane === "fetchxml") {
    const { answer } = await run("build", text);
    if (!answer.ok) return host.replaceChildren(note(answer.error));
    const parts = [];
    for (const sequence of answer.plan.sequences) {
      const xml = sequence.segment ? sequence.segment.fetchxml : "(no segment)";
      parts.push(`<!-- sequence ${sequence.name} -->\n${xml}`);
    }
    host.replaceChildren(pre(parts.join("\n") || "(no sequence)"));
  } else if (activePane.startsWith("export:")) {
    const { answer } = await run(activePane, text);
    host.replaceChildren(pre(JSON.stringify(answer.ok ? answer.export : answer, null, 2)));
  }
}

function note(text) {
  const p = document.createElement("p");
  p.className = "note";
  p.textContent = text;
  return p;
}
function pre(text) {
  const element = document.createElement("pre");
  element.textContent = text;
  return element;
}
function setStatus(text) {
  document.getElementById("status").textContent = text;
}

// ---------------------------------------------------------------- editor
let urlTimer = null;
const view = new EditorView({
  parent: document.getElementById("editor"),
  doc: "",
  extensions: [
    basicSetup,
    cadenceLanguage,
    lintGutter(),
    cadenceLinter,
    autocompletion({ override: [serverCompletion] }),
    serverHover,
    keymap.of([{ key: "Shift-Alt-f", run: () => (formatDocument(), true) }]),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      clearTimeout(urlTimer);
      urlTimer = setTimeout(() => {
        history.replaceState(null, "", `#code=${toBase64Url(update.state.doc.toString())}`);
      }, 300);
    }),
  ],
});

function setText(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

async function formatDocument() {
  const { answer } = await run("fmt", view.state.doc.toString());
  if (answer.ok) setText(answer.text);
  else setStatus(answer.error);
}

// ---------------------------------------------------------------- chrome
async function start() {
  const examples = await (await fetch("examples.json")).json();
  const picker = document.getElementById("examples");
  for (const example of examples) {
    const option = document.createElement("option");
    option.value = example.name;
    option.textContent = example.name;
    picker.appendChild(option);
  }
  picker.addEventListener("change", () => {
    const example = examples.find((e) => e.name === picker.value);
    if (example) setText(example.text);
  });
  document.getElementById("format").addEventListener("click", formatDocument);
  for (const tab of document.querySelectorAll("[data-pane]")) {
    tab.addEventListener("click", () => {
      activePane = tab.dataset.pane;
      for (const other of document.querySelectorAll("[data-pane]")) other.classList.toggle("active", other === tab);
      renderPane();
    });
  }
  const fromUrl = textFromUrl();
  setText(fromUrl ?? examples[0].text);
  if (fromUrl === null) picker.value = examples[0].name;
  forceLinting(view);
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
}

window.cadencePlayground = {
  view,
  state,
  run,
  setText,
  completionStatus: () => completionStatus(view.state),
  ready: start(),
};
