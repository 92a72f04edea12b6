// The Cadence playground: an editor whose every change is checked by the
// compiler itself (WebAssembly, in a Web Worker), with the diagnostics as
// squiggles and quick fixes, and panes for the flow graph, the daily load,
// the plan, the segments' FetchXML and the exports.
import { EditorView, basicSetup } from "codemirror";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { autocompletion, completionStatus } from "@codemirror/autocomplete";
import { keymap, hoverTooltip } from "@codemirror/view";
import { cadenceLanguage, KEYWORDS } from "./language.js";

// ---------------------------------------------------------------- compiler
const worker = new Worker("worker.js");
let nextId = 1;
const pending = new Map();
worker.onerror = (event) => {
  setStatus(`the compiler could not be loaded (${event.message || "worker.js failed"}); reload the page`);
};
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
const state = {
  lastReport: null,
  lastCheckMs: null,
  checks: 0,
  explanations: new Map(),
  clean: false,
  firstCheckAt: null,  // ms from navigation to the first diagnostics
};

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
// Quiet time after a keystroke before the text is checked. A check of an
// example takes a few milliseconds in the worker (5,000 lines under 20 ms),
// so the pause only keeps a word typed in one burst from being checked for
// every letter.
const LINT_DELAY_MS = 50;
const cadenceLinter = linter(
  async (view) => {
    const text = view.state.doc.toString();
    const { answer, ms } = await run("check", text);
    if (view.state.doc.toString() !== text) return [];  // stale: a newer check follows
    state.checks += 1;
    state.lastCheckMs = ms;
    if (state.firstCheckAt === null) {
      state.firstCheckAt = performance.now();
      registerServiceWorker();
    }
    if (!answer.ok) {
      setStatus(`error: ${answer.error}`);
      return [];
    }
    state.lastReport = answer.report;
    const summary = answer.report.summary;
    state.clean = summary.errors === 0;
    setStatus(`${count(summary.errors, "error")}, ${count(summary.warnings, "warning")}, ` +
      `${count(summary.infos, "info")} · checked in ${ms.toFixed(1)} ms`);
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
  { delay: LINT_DELAY_MS }
);

/// A finding as the editor shows it: its message and name, then its help.
function diagnosticElement(message, name, help) {
  const box = document.createElement("div");
  box.className = "diagnostic";
  const line = document.createElement("div");
  line.className = "diagnostic-message";
  line.textContent = `${message} [${name}]`;
  box.appendChild(line);
  if (help) {
    const helpLine = document.createElement("div");
    helpLine.className = "diagnostic-help";
    helpLine.textContent = `help: ${help}`;
    box.appendChild(helpLine);
  }
  return box;
}

function renderMessage(d) {
  const box = diagnosticElement(d.message, d.data.name, d.data.help);
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
let graphviz = null;  // Graphviz is fetched when the Flow pane first draws
function viz() {
  graphviz ??= import("@viz-js/viz").then((module) => module.instance());
  return graphviz;
}
let activePane = "graph";
let paneTimer = null;
let paneRendering = 0;
// The pane whose drawing the pane body holds (null: none), so that it can be
// marked out of date while the text has errors.
let shownPane = null;

function refreshPane() {
  clearTimeout(paneTimer);
  paneTimer = setTimeout(renderPane, 100);
}

async function renderPane() {
  const host = document.getElementById("pane-body");
  const text = view.state.doc.toString();
  const round = ++paneRendering;
  if (!state.clean) {
    markStale(host);
    return;
  }
  let content;
  if (activePane === "graph") {
    const { answer } = await run("graph", text);
    if (!answer.ok) content = [note(answer.error)];
    else {
      const svg = (await viz()).renderSVGElement(answer.dot);
      content = [graphViewer.show(svg)];
    }
  } else if (activePane === "load") {
    const { answer } = await run("simulate", text);
    if (!answer.ok) content = [note(answer.error)];
    else {
      const figure = document.createElement("div");
      figure.innerHTML = answer.svg;  // the simulator's own SVG chart
      figure.firstElementChild?.setAttribute("data-testid", "chart");
      const table = document.createElement("pre");
      table.textContent = answer.table;
      content = [figure, table];
    }
  } else if (activePane === "plan") {
    const { answer } = await run("build", text);
    content = [pre(answer.ok ? JSON.stringify(answer.plan, null, 2) : answer.error)];
  } else if (activePane === "fetchxml") {
    const { answer } = await run("build", text);
    if (!answer.ok) content = [note(answer.error)];
    else {
      const parts = [];
      for (const sequence of answer.plan.sequences) {
        const xml = sequence.segment ? sequence.segment.fetchxml : "(no segment)";
        parts.push(`<!-- sequence ${sequence.name} -->\n${xml}`);
      }
      content = [pre(parts.join("\n") || "(no sequence)")];
    }
  } else if (activePane.startsWith("export:")) {
    const { answer } = await run(activePane, text);
    content = exportContent(activePane.slice(7), answer);
  }
  // A newer text or another pane has been asked for meanwhile.
  if (round !== paneRendering) return;
  host.classList.remove("stale");
  host.replaceChildren(...content);
  shownPane = activePane;
}

/// While the text has errors, the pane keeps what it drew for the last text
/// without errors, marked out of date; a pane never drawn says why it is empty.
function markStale(host) {
  const report = state.lastReport;
  const errors = report ? report.summary.errors : 0;
  let first = null;
  for (const file of report ? report.files : []) {
    for (const d of file.diagnostics) {
      if (d.severity === 1 && (first === null || d.range.start.line < first.range.start.line)) first = d;
    }
  }
  const where = first ? ` (the first at line ${first.range.start.line + 1})` : "";
  host.querySelector(".stale-banner")?.remove();
  if (shownPane !== activePane) {
    host.classList.remove("stale");
    host.replaceChildren(note(`Fix the ${count(errors, "error")}${where} to see this pane.`));
    shownPane = null;
    return;
  }
  const banner = document.createElement("p");
  banner.className = "stale-banner";
  banner.setAttribute("role", "status");
  banner.textContent = `Out of date: the text has ${count(errors, "error")}${where}. ` +
    "This pane shows the last version without errors.";
  host.classList.add("stale");
  host.prepend(banner);
}

/// An export document, or, when the target refuses the text, the findings
/// that stop it, shown as the editor shows diagnostics.
function exportContent(target, answer) {
  // The platform's name as its tab shows it.
  const title = document.querySelector(`[data-pane="export:${target}"]`)?.textContent || target;
  if (answer.ok) {
    const counts = { approximated: 0, dropped: 0 };
    for (const sequence of answer.export.sequences || []) {
      for (const kind of Object.keys(counts)) counts[kind] += (sequence.fidelity?.[kind] || []).length;
    }
    const summary = note(`${title}: exported; ${counts.approximated} approximated, ${counts.dropped} dropped ` +
      "(the export document lists each under fidelity).");
    return [summary, pre(JSON.stringify(answer.export, null, 2))];
  }
  const unsupported = answer.fidelity?.unsupported || [];
  if (unsupported.length === 0) return [note(answer.error)];
  const heading = document.createElement("p");
  heading.className = "export-refused";
  heading.textContent = `${title} cannot take this text: ${unsupported.length} ` +
    `${unsupported.length === 1 ? "construct" : "constructs"} it cannot express, so nothing is exported.`;
  const list = document.createElement("ul");
  list.className = "findings";
  for (const finding of unsupported) {
    const item = document.createElement("li");
    const location = finding.location;
    if (location) {
      const link = document.createElement("button");
      link.type = "button";
      link.className = "location";
      link.textContent = `line ${location.line}:${location.column}`;
      link.addEventListener("click", () => revealLine(location.line, location.column));
      item.appendChild(link);
    }
    const box = diagnosticElement(`error: ${target}: ${finding.message}`, "target-unsupported", finding.help);
    item.appendChild(box);
    list.appendChild(item);
  }
  return [heading, list];
}

function revealLine(line, column) {
  const doc = view.state.doc;
  const at = offsetOf(doc, { line: line - 1, character: Math.max(column - 1, 0) });
  view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  view.focus();
}

/// The flow graph, fitted to the pane; the wheel or the buttons zoom (about
/// the pointer), dragging pans, Fit (or 0) shows it whole again. A zoom the
/// user chose is kept while the text changes.
const graphViewer = (() => {
  const frame = document.createElement("div");
  frame.className = "graph-view";
  frame.tabIndex = 0;
  const tools = document.createElement("div");
  tools.className = "graph-tools";
  const stage = document.createElement("div");
  stage.className = "graph-stage";
  frame.append(tools, stage);
  let svg = null;
  let whole = null;  // the drawing's own viewBox
  let box = null;    // the viewBox shown
  const button = (label, title, action) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.dataset.graph = title.split(" ")[0].toLowerCase();
    b.addEventListener("click", action);
    tools.appendChild(b);
  };
  const apply = () => svg?.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
  const fit = () => {
    box = whole && { ...whole };
    apply();
  };
  // Zooms by `factor` about a point of the stage (pixels), default its centre.
  const zoom = (factor, px, py) => {
    if (!svg || !box) return;
    const rect = stage.getBoundingClientRect();
    const scale = Math.max(box.w / rect.width, box.h / rect.height);
    // The drawing's point under (px, py), with preserveAspectRatio's centring.
    const ox = box.x + (box.w - rect.width * scale) / 2;
    const oy = box.y + (box.h - rect.height * scale) / 2;
    const x = ox + (px ?? rect.width / 2) * scale;
    const y = oy + (py ?? rect.height / 2) * scale;
    const w = Math.min(Math.max(box.w / factor, whole.w / 20), whole.w * 4);
    const h = (w / box.w) * box.h;
    box = { x: x - ((x - box.x) * w) / box.w, y: y - ((y - box.y) * h) / box.h, w, h };
    apply();
  };
  button("−", "Zoom out", () => zoom(1 / 1.25));
  button("+", "Zoom in", () => zoom(1.25));
  button("Fit", "Fit the graph to the pane (0)", fit);
  stage.addEventListener("wheel", (event) => {
    event.preventDefault();
    const rect = stage.getBoundingClientRect();
    zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  let drag = null;
  stage.addEventListener("pointerdown", (event) => {
    if (!box) return;
    drag = { x: event.clientX, y: event.clientY, box: { ...box } };
    stage.setPointerCapture(event.pointerId);
    stage.classList.add("dragging");
  });
  stage.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const rect = stage.getBoundingClientRect();
    const scale = Math.max(drag.box.w / rect.width, drag.box.h / rect.height);
    box = { ...drag.box, x: drag.box.x - (event.clientX - drag.x) * scale, y: drag.box.y - (event.clientY - drag.y) * scale };
    apply();
  });
  const drop = () => {
    drag = null;
    stage.classList.remove("dragging");
  };
  stage.addEventListener("pointerup", drop);
  stage.addEventListener("pointercancel", drop);
  frame.addEventListener("keydown", (event) => {
    if (event.key === "+" || event.key === "=") zoom(1.25);
    else if (event.key === "-") zoom(1 / 1.25);
    else if (event.key === "0") fit();
  });
  return {
    show(drawing) {
      const kept = box && whole && (box.x !== whole.x || box.y !== whole.y || box.w !== whole.w) ? box : null;
      svg = drawing;
      svg.setAttribute("data-testid", "graph");
      const [x, y, w, h] = (svg.getAttribute("viewBox") || "0 0 100 100").trim().split(/[\s,]+/).map(Number);
      whole = { x, y, w, h };
      // The drawing scales to the stage; its proportions are kept.
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
      stage.replaceChildren(svg);
      box = kept || { ...whole };
      apply();
      return frame;
    },
    get viewBox() {
      return box && { ...box };
    },
    get whole() {
      return whole && { ...whole };
    },
  };
})();

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
function count(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
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
      showPickedExample(update.state.doc);
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
let examples = [];

/// The picker names an example only while the text is that example's.
function showPickedExample(doc) {
  const picker = document.getElementById("examples");
  const length = doc.length;
  let text = null;
  const same = examples.find((example) => example.text.length === length && (text ??= doc.toString()) === example.text);
  picker.value = same ? same.name : "";
}

function registerServiceWorker() {
  // After the first check, so that filling its cache does not compete with
  // what that check waits for.
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
}

async function start() {
  examples = await (await fetch("examples.json")).json();
  const picker = document.getElementById("examples");
  const edited = document.createElement("option");
  edited.value = "";
  edited.textContent = "(your text)";
  edited.disabled = true;
  picker.appendChild(edited);
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
  setText(textFromUrl() ?? examples[0].text);
  forceLinting(view);
}

window.cadencePlayground = {
  view,
  state,
  graphViewer,
  lintDelay: LINT_DELAY_MS,
  run,
  setText,
  completionStatus: () => completionStatus(view.state),
  ready: start(),
};
