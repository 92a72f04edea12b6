#!/usr/bin/env node
// A fake Outreach on 127.0.0.1 for the tests of `cadence apply`: it checks the
// bearer token, validates every body it is sent against the operation of
// Outreach's published OpenAPI description (with the documented overlay),
// assigns ids, keeps the records, and can answer 429 or 500 on purpose.
//
//   node fake_platform.mjs --token T --port-file F --log F [--records F]
//                          [--throttle-once] [--fail-write N[xTIMES]]
//
// --port-file  where the chosen port is written once the server listens
// --log        one JSON line per request: method, path, status, and the body
// --records    where every record is kept (JSON): read at start when it
//              exists, so that the platform outlives one run; written after
//              each change
// --throttle-once  the first request is answered 429 with Retry-After: 1
// --fail-write N[xT]  the Nth write (POST, PATCH, DELETE) is answered 500,
//                  T times (default 1) before it succeeds
// --drop-write N   the Nth write is carried out, but the connection is
//                  closed without an answer (the answer is lost on the way)
// It stops on SIGTERM or when its parent's stdin closes.

import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";

import { loadTarget, validateRequest } from "./oas.mjs";

const options = { throttleOnce: false, failWrite: 0, failTimes: 1, dropWrite: 0 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; ++i) {
  const arg = args[i];
  if (arg === "--token") options.token = args[++i];
  else if (arg === "--port-file") options.portFile = args[++i];
  else if (arg === "--log") options.log = args[++i];
  else if (arg === "--records") options.records = args[++i];
  else if (arg === "--throttle-once") options.throttleOnce = true;
  else if (arg === "--fail-write") {
    const [n, times] = args[++i].split("x");
    options.failWrite = Number(n);
    options.failTimes = Number(times ?? 1);
  } else if (arg === "--drop-write") {
    options.dropWrite = Number(args[++i]);
  } else {
    console.error(`fake_platform: unknown option ${arg}`);
    process.exit(2);
  }
}

const loaded = loadTarget("outreach");
const records = new Map(); // "type/id" -> resource
let nextId = 1000;
if (options.records && existsSync(options.records)) {
  for (const record of JSON.parse(readFileSync(options.records, "utf8"))) {
    records.set(`${record.type}/${record.id}`, record);
    nextId = Math.max(nextId, record.id + 1);
  }
}
let writes = 0;
let failuresLeft = options.failTimes;
let throttled = false;

function log(entry) {
  if (options.log) appendFileSync(options.log, JSON.stringify(entry) + "\n");
}

function saveRecords() {
  if (!options.records) return;
  writeFileSync(options.records, JSON.stringify([...records.values()], null, 2));
}

let dropping = false;

function answer(response, status, body, headers = {}) {
  if (dropping) {
    dropping = false;
    response.socket.destroy();
    return "dropped";
  }
  response.writeHead(status, { "content-type": "application/vnd.api+json", ...headers });
  response.end(body === undefined ? "" : JSON.stringify(body));
  return status;
}

function error(response, status, title, detail) {
  return answer(response, status, { errors: [{ status: String(status), title, detail }] });
}

/// "sequenceSteps" -> "sequenceStep"
function typeOf(collection) {
  return collection.replace(/s$/, "");
}

function handle(request, response, text) {
  if (!throttled && options.throttleOnce) {
    throttled = true;
    return answer(response, 429, { errors: [{ title: "Too Many Requests" }] }, { "retry-after": "1" });
  }
  if (request.headers.authorization !== `Bearer ${options.token}`) {
    return error(response, 401, "Unauthorized", "the bearer token is missing or wrong");
  }
  const match = /^\/api\/v2\/([A-Za-z]+)(?:\/(\d+))?$/.exec(request.url);
  if (!match) return error(response, 404, "Not Found", request.url);
  const [, collection, id] = match;
  const method = request.method;
  const writing = method === "POST" || method === "PATCH" || method === "DELETE";
  if (writing) {
    writes += 1;
    if (writes === options.failWrite && failuresLeft > 0) {
      failuresLeft -= 1;
      writes -= 1; // the same write comes again
      return error(response, 500, "Internal Server Error", "failed on purpose");
    }
    if (writes === options.dropWrite) dropping = true;
  }
  let body;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      return error(response, 400, "Bad Request", "the body is not JSON");
    }
  }
  if (method === "GET") {
    const record = records.get(`${typeOf(collection)}/${id}`);
    return record ? answer(response, 200, { data: record }) : error(response, 404, "Not Found", request.url);
  }
  const { operation, valid, reasons } = validateRequest(loaded, method, request.url, body ?? {});
  if (method === "DELETE") {
    // The description declares DELETE without a body: only its existence counts.
    const declared = loaded.document.paths[`/${collection}/{id}`]?.delete;
    if (!declared) return error(response, 405, "Method Not Allowed", `no DELETE /${collection}/{id} in the description`);
    if (!records.delete(`${typeOf(collection)}/${id}`)) return error(response, 404, "Not Found", request.url);
    saveRecords();
    return answer(response, 204);
  }
  if (!operation) return error(response, 405, "Method Not Allowed", reasons[0]);
  if (!valid) return error(response, 422, "Unprocessable Entity", reasons.join("; "));
  if (method === "POST") {
    const resource = { type: body.data.type, id: nextId++, attributes: body.data.attributes ?? {} };
    if (body.data.relationships) resource.relationships = body.data.relationships;
    records.set(`${resource.type}/${resource.id}`, resource);
    saveRecords();
    return answer(response, 201, { data: resource });
  }
  const key = `${typeOf(collection)}/${id}`;
  const record = records.get(key);
  if (!record) return error(response, 404, "Not Found", request.url);
  if (String(body.data.id) !== id) return error(response, 409, "Conflict", "data.id differs from the path's id");
  Object.assign(record.attributes, body.data.attributes ?? {});
  saveRecords();
  return answer(response, 200, { data: record });
}

const server = createServer((request, response) => {
  let text = "";
  request.setEncoding("utf8");
  request.on("data", (chunk) => (text += chunk));
  request.on("end", () => {
    let status;
    try {
      status = handle(request, response, text);
    } catch (failure) {
      status = error(response, 500, "Internal Server Error", String(failure));
    }
    let logged = null;
    try {
      logged = text ? JSON.parse(text) : null;
    } catch {
      logged = text;
    }
    log({ method: request.method, path: request.url, status, authorized: request.headers.authorization === `Bearer ${options.token}`, body: logged });
  });
});
server.listen(0, "127.0.0.1", () => {
  writeFileSync(options.portFile, String(server.address().port));
});
process.on("SIGTERM", () => process.exit(0));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
