// The playground in a real browser: Debian's Chromium, headless, driven by
// puppeteer-core. Measures a first visit with a cold cache (time to the
// first diagnostics, bytes before them); loads the page from
// scripts/serve_playground.py, types a typo into an example, waits for the
// squiggle and its message, sees the panes marked out of date, applies the
// quick fix, fits, zooms and pans the flow graph, sees the load chart and a
// refused export's findings, checks that the page's diagnostics equal
// `cadence check --format json` for the same text, that the link keeps the
// text, that a 5,000-line file re-checks quickly (the figure is printed),
// that hostile input never hangs the page, that a file: address says what
// to run, and that the page reloads with the server gone (service worker).
// Screenshots go to OUT/screenshots.
//
// Usage: node browser_test.js SITE_DIR CADENCE [CHROMIUM]
"use strict";
const assert = require("assert");
const { execFileSync, spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { comparable, PLAYGROUND_URI } = require("./compare.js");

const [site, cadenceArg, chromium = "/usr/bin/chromium"] = process.argv.slice(2);
const cadence = path.resolve(cadenceArg);
const puppeteer = require(path.join(__dirname, "../../playground/web/node_modules/puppeteer-core"));
const scale = Number(process.env.CADENCE_TIMEOUT_SCALE || "1");

// The page is served as `scripts/playground.sh --serve` serves it.
function serve(root) {
  const server = spawn("python3", [path.join(__dirname, "../../scripts/serve_playground.py"), root, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"] });
  // Every answer the server sent: {at (ms since the epoch), path, bytes}.
  const served = [];
  let log = "";
  server.stderr.on("data", (chunk) => {
    log += chunk;
    const lines = log.split("\n");
    log = lines.pop();
    for (const line of lines) {
      const match = /\[([^\]]+)\] "GET (\S+) [^"]*" (\d+) (\d+)/.exec(line);
      if (match) served.push({ at: Date.parse(match[1]), path: match[2], code: Number(match[3]), bytes: Number(match[4]) });
    }
  });
  return new Promise((resolve, reject) => {
    let seen = "";
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const port = /127\.0\.0\.1:(\d+)/.exec(seen);
      if (port) resolve({ port: Number(port[1]), served, close: () => server.kill() });
    });
    server.on("exit", (code) => reject(new Error(`serve_playground.py ended with ${code}`)));
  });
}

function nativeCheck(text) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "cadence-browser-"));
  const file = path.join(work, "sequence.cadence");
  fs.writeFileSync(file, text);
  let output;
  try {
    output = execFileSync(cadence, ["check", "--format", "json", "--no-project", "sequence.cadence"], {
      cwd: work, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    output = error.stdout;
  }
  fs.rmSync(work, { recursive: true, force: true });
  return { report: JSON.parse(output), uri: `file://${file}` };
}

/// A first visit with an empty cache: the time from navigation to the first
/// diagnostics, and the bytes the server sent before them, file by file.
async function coldLoad(browser, url, server) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const from = server.served.length;
    await page.goto(url);
    await page.waitForFunction(() => window.cadencePlayground && window.cadencePlayground.state.checks > 0,
      { polling: 5 });
    const seen = Date.now();
    const ms = await page.evaluate(() => window.cadencePlayground.state.firstCheckAt ?? performance.now());
    // Answers logged up to the first diagnostics (the log may trail by a moment).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = server.served.slice(from).filter((answer) => answer.at <= seen);
    const bytes = before.reduce((sum, answer) => sum + answer.bytes, 0);
    const files = before.map((answer) => `${answer.path} ${(answer.bytes / 1024).toFixed(0)} KiB`).join(", ");
    return { ms, bytes, files };
  } finally {
    await context.close();
  }
}

(async () => {
  const server = await serve(path.resolve(site));
  const url = `http://127.0.0.1:${server.port}/`;
  const shots = path.join(site, "screenshots");
  fs.mkdirSync(shots, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const timeout = 60000 * scale;
  try {
    const cold = await coldLoad(browser, url, server);
    console.log(`cold load: first diagnostics ${cold.ms.toFixed(0)} ms after navigation, ` +
      `${(cold.bytes / 1024).toFixed(0)} KiB before them (${cold.files})`);

    // Opened from the file system, the page says why it cannot run and what to run.
    const local = await browser.newPage();
    await local.goto(`file://${path.resolve(site, "index.html")}`);
    await local.waitForFunction(() => document.getElementById("status").textContent.includes("playground.sh --serve"),
      { timeout: 5000 * scale });
    console.log(`file: address: ${await local.$eval("#status", (element) => element.textContent.slice(0, 70))}…`);
    await local.close();
    const page = await browser.newPage();
    page.setDefaultTimeout(timeout);
    await page.setViewport({ width: 1400, height: 900 });
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(url);
    await page.waitForFunction(() => window.cadencePlayground && window.cadencePlayground.state.checks > 0);

    // An example, checked clean.
    await page.select("#examples", "trial_followup");
    await page.waitForFunction(() => {
      const s = window.cadencePlayground.state;
      return s.lastReport && s.lastReport.summary.errors === 0 &&
        window.cadencePlayground.view.state.doc.toString().includes("trial_followup");
    });

    assert.strictEqual(await page.$eval("#examples", (element) => element.value), "trial_followup");

    // The flow graph fits the pane: the whole drawing, its title included.
    await page.click('[data-pane="graph"]');
    await page.waitForSelector('#pane-body [data-testid="graph"]');
    const fit = await page.evaluate(() => {
      const stage = document.querySelector(".graph-stage").getBoundingClientRect();
      const inside = (box) => box.left >= stage.left - 1 && box.right <= stage.right + 1 &&
        box.top >= stage.top - 1 && box.bottom <= stage.bottom + 1;
      const texts = [...document.querySelectorAll('#pane-body [data-testid="graph"] text')];
      const drawing = document.querySelector('#pane-body [data-testid="graph"] g').getBoundingClientRect();
      return { texts: texts.length, outside: texts.filter((t) => !inside(t.getBoundingClientRect())).length,
        drawing: inside(drawing), stage: { w: stage.width, h: stage.height } };
    });
    assert.ok(fit.texts > 5 && fit.outside === 0 && fit.drawing, `the graph does not fit: ${JSON.stringify(fit)}`);
    // Zoom in with the button, pan by dragging, fit again.
    const whole = await page.evaluate(() => window.cadencePlayground.graphViewer.whole);
    await page.click('[data-graph="zoom"][title="Zoom in"]');
    const zoomed = await page.evaluate(() => window.cadencePlayground.graphViewer.viewBox);
    assert.ok(zoomed.w < whole.w * 0.9, "zoom in did not zoom");
    const stageBox = await (await page.$(".graph-stage")).boundingBox();
    await page.mouse.move(stageBox.x + stageBox.width / 2, stageBox.y + stageBox.height / 2);
    await page.mouse.down();
    await page.mouse.move(stageBox.x + stageBox.width / 2 + 80, stageBox.y + stageBox.height / 2 + 40, { steps: 4 });
    await page.mouse.up();
    const panned = await page.evaluate(() => window.cadencePlayground.graphViewer.viewBox);
    assert.ok(panned.x < zoomed.x && panned.y < zoomed.y, "dragging did not pan");
    await page.mouse.move(stageBox.x + 40, stageBox.y + 40);
    await page.mouse.wheel({ deltaY: -200 });
    const wheeled = await page.evaluate(() => window.cadencePlayground.graphViewer.viewBox);
    assert.ok(wheeled.w < panned.w, "the wheel did not zoom");
    await page.click('[data-graph="fit"]');
    assert.deepStrictEqual(await page.evaluate(() => window.cadencePlayground.graphViewer.viewBox), whole);
    console.log(`flow graph fitted to the ${fit.stage.w.toFixed(0)}x${fit.stage.h.toFixed(0)} pane ` +
      `(${fit.texts} labels inside); zoom, pan, wheel and fit work`);

    // Type a typo: delete one letter of a template's name.
    const target = "template trial_checkin mode auto";
    const at = await page.evaluate((target) => {
      const { view } = window.cadencePlayground;
      const index = view.state.doc.toString().indexOf(target) + "template trial_chec".length;
      view.focus();
      view.dispatch({ selection: { anchor: index } });
      return index;
    }, target);
    assert.ok(at > 0);
    await page.keyboard.press("Backspace");
    const squiggle = await page.waitForSelector(".cm-lintRange-error");
    await page.waitForFunction(() => window.cadencePlayground.state.lastReport.summary.errors === 1);
    await squiggle.hover();
    const tooltip = await page.waitForSelector(".cm-tooltip-lint");
    const message = await tooltip.evaluate((element) => element.textContent);
    assert.match(message, /trial_chekin/);
    assert.match(message, /unknown-name/);
    assert.match(message, /did you mean|help:/);
    console.log(`squiggle and message: ${message.slice(0, 120)}`);
    // The text is no longer the example's, and the pane says it is out of date.
    assert.strictEqual(await page.$eval("#examples", (element) => element.selectedOptions[0].textContent), "(your text)");
    const banner = await page.waitForSelector("#pane-body .stale-banner");
    const bannerText = await banner.evaluate((element) => element.textContent);
    assert.match(bannerText, /Out of date: the text has 1 error \(the first at line \d+\)/);
    assert.ok(await page.$('#pane-body [data-testid="graph"]'), "the last graph is kept while out of date");
    console.log(`picker shows "(your text)"; pane: ${bannerText}`);
    await page.screenshot({ path: path.join(shots, "typo.png") });

    // The page's diagnostics are the command's for the same text.
    const { text, report } = await page.evaluate(() => ({
      text: window.cadencePlayground.view.state.doc.toString(),
      report: window.cadencePlayground.state.lastReport,
    }));
    const native = nativeCheck(text);
    assert.deepStrictEqual(comparable(report, PLAYGROUND_URI), comparable(native.report, native.uri));
    console.log(`diagnostics equal cadence check --format json (${report.summary.errors} error, ${report.summary.warnings} warnings)`);

    // Apply the quick fix from the tooltip.
    const action = await page.waitForSelector(".cm-tooltip-lint .cm-diagnosticAction");
    const title = await action.evaluate((element) => element.textContent);
    await action.click();
    await page.waitForFunction(() => {
      const { state, view } = window.cadencePlayground;
      return view.state.doc.toString().includes("template trial_checkin mode auto") &&
        state.lastReport.summary.errors === 0;
    });
    assert.strictEqual(await page.$(".cm-lintRange-error"), null);
    await page.waitForFunction(() => !document.querySelector("#pane-body .stale-banner"));
    assert.strictEqual(await page.$eval("#examples", (element) => element.value), "trial_followup");
    console.log(`quick fix "${title}" applied: no errors, the pane is current, the picker names the example again`);

    // Hover: the language server's answer for the template's name.
    const coords = await page.evaluate((target) => {
      const { view } = window.cadencePlayground;
      const index = view.state.doc.toString().indexOf(target) + "template trial_ch".length;
      const box = view.coordsAtPos(index);
      return { x: box.left + 2, y: (box.top + box.bottom) / 2 };
    }, target);
    await page.mouse.move(coords.x, coords.y);
    const hover = await page.waitForSelector(".cm-tooltip .hover");
    const hoverText = await hover.evaluate((element) => element.textContent);
    assert.match(hoverText, /template trial_checkin for lead/);
    assert.match(hoverText, /How is the trial going\?/);
    console.log(`hover: ${hoverText.replace(/\s+/g, " ").slice(0, 80)}`);
    await page.mouse.move(5, 5);

    // Completion: the server's template names, then accepted with Enter.
    await page.evaluate((target) => {
      const { view } = window.cadencePlayground;
      const start = view.state.doc.toString().indexOf(target) + "template ".length;
      view.focus();
      view.dispatch({ selection: { anchor: start, head: start + "trial_checkin".length } });
    }, target);
    await page.keyboard.type("trial_ch");
    const menu = await page.waitForSelector(".cm-tooltip-autocomplete");
    await page.waitForFunction(() =>
      document.querySelector(".cm-tooltip-autocomplete")?.textContent.includes("trial_checkin"));
    // Accept once the list is settled (not while a query is still pending),
    await page.waitForFunction(() => window.cadencePlayground.completionStatus() === "active");
    const offered = await menu.evaluate((element) => element.textContent);
    // CodeMirror ignores Enter for a moment after the list (re)opens.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await page.keyboard.press("Enter");
    await page.waitForFunction((target) => {
      const { state, view } = window.cadencePlayground;
      return view.state.doc.toString().includes(target) && state.lastReport.summary.errors === 0;
    }, {}, target);
    console.log(`completion offered ${offered.includes("template for lead") ? "templates with their entity" : "names"}; accepted`);

    // The flow graph and the load chart.
    await page.click('[data-pane="graph"]');
    await page.waitForSelector("#pane-body svg");
    await page.screenshot({ path: path.join(shots, "playground.png") });
    await page.click('[data-pane="load"]');
    await page.waitForSelector('#pane-body [data-testid="chart"]');
    await page.screenshot({ path: path.join(shots, "load.png") });
    await page.click('[data-pane="export:hubspot"]');
    await page.waitForFunction(() => document.querySelector("#pane-body pre")?.textContent.includes("cadence-export"));
    console.log("flow graph, load chart and HubSpot export drawn");

    // An export the target refuses: its findings, as the editor shows them.
    await page.select("#examples", "engagement_branching");
    await page.click('[data-pane="export:outreach"]');
    await page.waitForSelector("#pane-body .findings li");
    const refused = await page.evaluate(() => ({
      heading: document.querySelector("#pane-body .export-refused").textContent,
      items: [...document.querySelectorAll("#pane-body .findings li")].map((li) => li.textContent),
      raw: document.querySelector("#pane-body").textContent.includes('"ok"'),
    }));
    assert.match(refused.heading, /Outreach cannot take this text/);
    assert.ok(!refused.raw, "raw JSON shown");
    assert.match(refused.items[0], /^line \d+:\d+error: outreach: a branch .*\[target-unsupported\]help: /);
    const line = Number(/^line (\d+)/.exec(refused.items[0])[1]);
    // Found and clicked in one step: the pane may draw the same findings
    // again (the example's check and its export answer one after the other),
    // which would leave a handle taken before it detached.
    await page.evaluate(() => document.querySelector("#pane-body .findings .location").click());
    const cursorLine = await page.evaluate(() => {
      const { view } = window.cadencePlayground;
      return view.state.doc.lineAt(view.state.selection.main.head).number;
    });
    assert.strictEqual(cursorLine, line);
    await page.screenshot({ path: path.join(shots, "refused-export.png") });
    console.log(`refused export: ${refused.items.length} finding(s); the first at line ${line}, where its link moves the cursor`);

    // The link keeps the text.
    const current = await page.evaluate(() => window.cadencePlayground.view.state.doc.toString());
    await page.waitForFunction((hash) => location.hash === hash, {},
      `#code=${Buffer.from(current).toString("base64url")}`);
    const link = page.url();
    const shared = await browser.newPage();
    await shared.goto(link);
    await shared.waitForFunction(() => window.cadencePlayground && window.cadencePlayground.state.checks > 0);
    const sharedText = await shared.evaluate(() => window.cadencePlayground.view.state.doc.toString());
    assert.strictEqual(sharedText, await page.evaluate(() => window.cadencePlayground.view.state.doc.toString()));
    await shared.close();
    console.log("a link opens the same text");

    // A 5,000-line file: the time the worker takes to re-check it.
    const big = ['import "std/lead"', 'template t for lead { subject "Hi" body "Hello {{lead.firstname | \\"there\\"}}" }',
      "sequence long_one {", "  target lead", "  on replied exit", "  on bounced exit", "  on unsubscribed exit",
      "  on out_of_office pause 5d"];
    for (let i = 0; big.length < 4998; i++) big.push(`  task k${i} { note "step ${i}" }`, "  wait 1d");
    big.push('  exit "done"', "}");
    const figures = await page.evaluate(async (text) => {
      const playground = window.cadencePlayground;
      const times = [];
      for (let round = 0; round < 5; round++) {
        const before = playground.state.checks;
        const start = performance.now();
        playground.setText(text + `// ${round}\n`);
        while (playground.state.checks === before) await new Promise((r) => setTimeout(r, 5));
        times.push({ wall: performance.now() - start, worker: playground.state.lastCheckMs });
      }
      return times;
    }, big.join("\n") + "\n");
    const best = Math.min(...figures.map((f) => f.worker));
    console.log(`5,000-line file: re-check in the worker ${best.toFixed(1)} ms (best of 5), ` +
      `wall ${Math.min(...figures.map((f) => f.wall)).toFixed(1)} ms including the ${await page.evaluate(() => window.cadencePlayground.lintDelay)} ms typing pause`);

    // Hostile input through the worker: an answer every time.
    const hostile = {
      binary: Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 37) % 256)).join(""),
      "deep nesting": "sequence s { target lead " + "branch replied { yes { ".repeat(3000) + "}",
      "huge file": "// filler\n".repeat(200000) + 'sequence s { target lead task t { note "x" } }\n',
    };
    for (const [what, text] of Object.entries(hostile)) {
      const errorsFound = await page.evaluate(async (text) => {
        const playground = window.cadencePlayground;
        const before = playground.state.checks;
        playground.setText(text);
        while (playground.state.checks === before) await new Promise((r) => setTimeout(r, 10));
        return playground.state.lastReport.summary.errors;
      }, text);
      assert.ok(errorsFound > 0, `${what}: expected errors`);
      console.log(`${what}: answered with ${errorsFound} error(s)`);
    }
    assert.deepStrictEqual(errors, [], "the page raised errors");
    const missing = server.served.filter((answer) => answer.code === 404).map((answer) => answer.path);
    assert.deepStrictEqual(missing, [], "the page asked for files the site does not have");
    assert.strictEqual(await page.$eval('link[rel="icon"]', (element) => element.getAttribute("href")), "favicon.svg");

    // Offline: once the service worker holds the site, a reload with the
    // server gone checks and draws as before.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, { timeout: 30000 * scale });
    await page.evaluate(() => navigator.serviceWorker.ready);
    server.close();
    await page.goto(url);
    await page.waitForFunction(() => window.cadencePlayground && window.cadencePlayground.state.checks > 0 &&
      window.cadencePlayground.state.lastReport.summary.errors === 0);
    await page.click('[data-pane="graph"]');
    await page.waitForSelector('#pane-body [data-testid="graph"]');
    console.log("offline: with the server gone, the page reloads, checks and draws the flow graph");
  } finally {
    await browser.close();
    server.close();
  }
  console.log("browser test: passed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
