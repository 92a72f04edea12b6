#!/usr/bin/env node
// A fake Outreach, Salesloft, HubSpot or Dataverse (Dynamics 365) on
// 127.0.0.1 for the tests of `cadence apply`: it checks the bearer token,
// validates every body it is sent against the operation of the platform's
// published OpenAPI description (with the documented overlay; for HubSpot,
// whose description may not be redistributed, against
// docs/export/hubspot.schema.json, written from it; for Dataverse, against
// the facts of Microsoft's entity and action references kept in
// tests/fixtures/dataverse/sales-deploy.json), assigns ids, keeps the
// records, and can answer 429 or 500 on purpose.
//
//   node fake_platform.mjs --token T --port-file F --log F [--records F]
//                          [--target outreach|salesloft|hubspot|dynamics]
//                          [--throttle-once] [--fail-write N[xTIMES]]
//
// --target     the platform (default outreach). Outreach: JSON:API records
//              under /api/v2 (POST, PATCH, DELETE, GET). Salesloft: POST
//              /v2/cadence_imports creates a cadence (answer: data.cadence.id),
//              GET /v2/cadences/{id}.json reads one; nothing updates one.
//              HubSpot: POST and PATCH of email templates, POST and PUT
//              (a whole replacement) of sequences, whose templateIds must
//              name templates it holds. Dynamics: GET msdyn_sequences
//              by name and state (sequences are built by hand: the records
//              file holds them), POST and PATCH of msdyn_segments, POST
//              msdyn_ConnectSequence (a record is connected once).
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
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { loadTarget, validateRequest } from "./oas.mjs";

const options = { target: "outreach", throttleOnce: false, failWrite: 0, failTimes: 1, dropWrite: 0 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; ++i) {
  const arg = args[i];
  if (arg === "--token") options.token = args[++i];
  else if (arg === "--port-file") options.portFile = args[++i];
  else if (arg === "--log") options.log = args[++i];
  else if (arg === "--records") options.records = args[++i];
  else if (arg === "--target") options.target = args[++i];
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

const here = dirname(fileURLToPath(import.meta.url));
const loaded = ["hubspot", "dynamics"].includes(options.target) ? null : loadTarget(options.target);
/// HubSpot's request bodies, as docs/export/hubspot.schema.json defines them.
const hubspot = (() => {
  if (options.target !== "hubspot") return null;
  const require = createRequire(join(here, "..", "package.json"));
  const Ajv = require("ajv").default;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const docs = join(here, "..", "..", "..", "docs", "export");
  ajv.addSchema(JSON.parse(readFileSync(join(docs, "export-v1.schema.json"), "utf8")));
  ajv.addSchema(JSON.parse(readFileSync(join(docs, "hubspot.schema.json"), "utf8")), "hubspot");
  return {
    template: ajv.compile({ $ref: "hubspot#/definitions/PublicTemplateInput" }),
    sequence: ajv.compile({ $ref: "hubspot#/definitions/PublicSequenceRequest" }),
  };
})();
const records = new Map(); // "type/id" -> resource
let nextId = 1000;
let nextGuid = 0x1000; // Dataverse ids are GUIDs
if (options.records && existsSync(options.records)) {
  for (const record of JSON.parse(readFileSync(options.records, "utf8"))) {
    records.set(`${record.type}/${record.id}`, record);
    if (/^\d+$/.test(String(record.id))) nextId = Math.max(nextId, Number(record.id) + 1);
    const tail = /^00000000-0000-4000-8000-([0-9a-f]{12})$/.exec(String(record.id));
    if (tail) nextGuid = Math.max(nextGuid, parseInt(tail[1], 16) + 1);
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

const mediaType = options.target === "outreach" ? "application/vnd.api+json" : "application/json";
/// Dataverse's tables and actions, as Microsoft's references describe them.
const dataverse = options.target === "dynamics"
  ? JSON.parse(readFileSync(join(here, "..", "..", "fixtures", "dataverse", "sales-deploy.json"), "utf8"))
  : null;

function answer(response, status, body, headers = {}) {
  if (dropping) {
    dropping = false;
    response.socket.destroy();
    return "dropped";
  }
  response.writeHead(status, { "content-type": mediaType, ...headers });
  response.end(body === undefined ? "" : JSON.stringify(body));
  return status;
}

/// An error answer in the platform's shape: JSON:API errors on Outreach,
/// {"error": ...} on Salesloft.
function error(response, status, title, detail) {
  if (options.target === "salesloft") return answer(response, status, { error: `${title}: ${detail}` });
  if (options.target === "hubspot") {
    return answer(response, status, { status: "error", message: `${title}: ${detail}`, category: title, correlationId: "00000000-0000-0000-0000-000000000000" });
  }
  if (options.target === "dynamics") return answer(response, status, { error: { code: "0x80040203", message: `${title}: ${detail}` } });
  return answer(response, status, { errors: [{ status: String(status), title, detail }] });
}

/// "sequenceSteps" -> "sequenceStep"
function typeOf(collection) {
  return collection.replace(/s$/, "");
}

/// Salesloft: an import creates a cadence; a cadence can be read, never
/// changed through the API.
function handleSalesloft(request, response, body) {
  const method = request.method;
  const read = /^\/v2\/cadences\/(\d+)\.json$/.exec(request.url);
  if (method === "GET" && read) {
    const record = records.get(`cadence/${read[1]}`);
    return record ? answer(response, 200, { data: { id: record.id, ...record.attributes } })
      : error(response, 404, "Not Found", request.url);
  }
  const { operation, valid, reasons } = validateRequest(loaded, method, request.url, body ?? {});
  if (!operation) return error(response, 405, "Method Not Allowed", reasons[0]);
  if (!valid) return error(response, 422, "Unprocessable Entity", reasons.join("; "));
  const resource = {
    type: "cadence",
    id: nextId++,
    attributes: { name: body.settings?.name ?? null, step_groups: body.cadence_content.step_groups.length },
  };
  records.set(`cadence/${resource.id}`, resource);
  saveRecords();
  return answer(response, 200, { data: { cadence: { id: resource.id } } });
}

/// HubSpot: templates are created and patched; a sequence is created and
/// replaced whole. Ids are strings, as in PublicTemplate and the sequence
/// answers.
function handleHubSpot(request, response, body) {
  const method = request.method;
  const templates = /^\/automation\/email-templates\/2026-09-beta(?:\/(\d+))?$/.exec(request.url);
  const sequences = /^\/automation\/sequences\/2026-09-beta\/serviceaccounts\/sequences(?:\/(\d+))?$/.exec(request.url);
  const match = templates ?? sequences;
  if (!match) return error(response, 404, "Not Found", request.url);
  const type = templates ? "template" : "sequence";
  const id = match[1];
  const allowed = id === undefined ? ["POST"] : ["GET", templates ? "PATCH" : "PUT"];
  if (!allowed.includes(method)) return error(response, 405, "Method Not Allowed", `${method} ${request.url}`);
  if (id !== undefined && !records.has(`${type}/${id}`)) return error(response, 404, "Not Found", request.url);
  if (method === "GET") return answer(response, 200, { id, ...records.get(`${type}/${id}`).attributes });
  const validate = hubspot[type];
  if (!validate(body ?? null)) {
    const reasons = validate.errors.map((e) => `${e.instancePath || "/"}: ${e.message}`);
    return error(response, 400, "VALIDATION_ERROR", reasons.join("; "));
  }
  if (type === "sequence") {
    for (const step of body.steps) {
      const templateId = step.emailPattern?.templateId ?? step.taskPattern?.templateId;
      if (templateId !== undefined && !records.has(`template/${templateId}`)) {
        return error(response, 400, "VALIDATION_ERROR", `step ${step.stepOrder}: no template ${templateId}`);
      }
    }
  }
  const recordId = id ?? String(nextId++);
  const previous = records.get(`${type}/${recordId}`)?.attributes ?? {};
  // PATCH changes what it names; PUT and POST give the whole record.
  const attributes = method === "PATCH" ? { ...previous, ...body } : body;
  records.set(`${type}/${recordId}`, { type, id: recordId, attributes });
  saveRecords();
  const status = method === "POST" ? 201 : 200;
  const record = { id: recordId, ...attributes };
  return answer(response, status, type === "sequence" && method === "POST" ? { sequence: record } : record);
}

/// The reasons a body breaks the writable columns of a Dataverse table.
function dataverseProblems(table, body, creating) {
  const problems = [];
  if (body === null || typeof body !== "object" || Array.isArray(body)) return ["the body is not an object"];
  for (const [key, value] of Object.entries(body)) {
    const bind = /^(\w+)@odata\.bind$/.exec(key);
    if (bind) {
      const lookup = table.lookups?.[bind[1]];
      if (!lookup) { problems.push(`${key}: no single-valued navigation property ${bind[1]}`); continue; }
      const target = new RegExp(`^/${lookup.targets}\\(([0-9a-f-]{36})\\)$`).exec(String(value));
      if (!target) problems.push(`${key}: expected /${lookup.targets}(GUID), got ${JSON.stringify(value)}`);
      else if (!records.has(`${lookup.targets}/${target[1]}`)) problems.push(`${key}: no record ${value}`);
      continue;
    }
    const column = table.writable[key];
    if (!column) { problems.push(`${key}: not a writable column of the table`); continue; }
    if (column.type === "String" || column.type === "Memo") {
      if (typeof value !== "string") problems.push(`${key}: expected a string`);
      else if (value.length > column.max_length) problems.push(`${key}: ${value.length} characters, more than ${column.max_length}`);
    } else if (column.choices) {
      if (!Number.isInteger(value) || !(String(value) in column.choices)) problems.push(`${key}: ${JSON.stringify(value)} is not one of its choices`);
    } else if (column.type === "Boolean" && typeof value !== "boolean") {
      problems.push(`${key}: expected true or false`);
    } else if (column.type === "Integer" && !Number.isInteger(value)) {
      problems.push(`${key}: expected an integer`);
    }
  }
  if (creating) {
    for (const [key, column] of Object.entries(table.writable)) {
      if (column.required === "ApplicationRequired" && !(key in body)) problems.push(`${key}: required`);
    }
  }
  const status = table.writable.statuscode?.state_of;
  if (status && "statuscode" in body && "statecode" in body && status[String(body.statuscode)] !== body.statecode) {
    problems.push(`statuscode ${body.statuscode} does not belong to statecode ${body.statecode}`);
  }
  return problems;
}

function guid() {
  return `00000000-0000-4000-8000-${(nextGuid++).toString(16).padStart(12, "0")}`;
}

/// Dataverse: sequences are found by name; segments are created and
/// patched; records are connected to a sequence once.
function handleDynamics(request, response, body) {
  if (request.headers["odata-version"] !== "4.0") return error(response, 400, "Bad Request", "OData-Version: 4.0 is missing");
  const url = new URL(request.url, "http://fake");
  const api = "/api/data/v9.2";
  if (request.method === "GET" && url.pathname === `${api}/msdyn_sequences`) {
    const filter = /^msdyn_name eq '((?:[^']|'')*)' and statecode eq (\d)$/.exec(url.searchParams.get("$filter") ?? "");
    if (!filter) return error(response, 400, "Bad Request", `unexpected $filter ${url.searchParams.get("$filter")}`);
    const name = filter[1].replaceAll("''", "'");
    const value = [...records.values()]
      .filter((r) => r.type === "msdyn_sequences" && r.attributes.msdyn_name === name && String(r.attributes.statecode) === filter[2])
      .map((r) => ({ msdyn_sequenceid: r.id, msdyn_name: r.attributes.msdyn_name }));
    return answer(response, 200, { "@odata.context": `${api}/$metadata#msdyn_sequences(msdyn_sequenceid,msdyn_name)`, value });
  }
  const segments = new RegExp(`^${api}/msdyn_segments(?:\\(([0-9a-f-]{36})\\))?$`).exec(url.pathname);
  if (segments) {
    const table = dataverse.tables.msdyn_segment;
    const id = segments[1];
    if ((id === undefined) !== (request.method === "POST") || !["POST", "PATCH"].includes(request.method)) {
      return error(response, 405, "Method Not Allowed", `${request.method} ${url.pathname}`);
    }
    if (id !== undefined && !records.has(`msdyn_segments/${id}`)) return error(response, 404, "Not Found", url.pathname);
    const problems = dataverseProblems(table, body ?? null, id === undefined);
    if (problems.length > 0) return error(response, 400, "Bad Request", problems.join("; "));
    const recordId = id ?? guid();
    const previous = records.get(`msdyn_segments/${recordId}`)?.attributes ?? {};
    records.set(`msdyn_segments/${recordId}`, { type: "msdyn_segments", id: recordId, attributes: { ...previous, ...body } });
    saveRecords();
    if (id !== undefined) return answer(response, 204);
    const location = { "odata-entityid": `http://fake${api}/msdyn_segments(${recordId})` };
    // Without Prefer: return=representation, a create answers 204 and the
    // record's address only.
    if (!/return=representation/.test(request.headers.prefer ?? "")) return answer(response, 204, undefined, location);
    return answer(response, 201, { [table.primary_id]: recordId, ...body }, location);
  }
  if (request.method === "POST" && url.pathname === `${api}/msdyn_ConnectSequence`) {
    const action = dataverse.actions.msdyn_ConnectSequence;
    const keys = Object.keys(body ?? {}).sort();
    if (JSON.stringify(keys) !== JSON.stringify([...action.parameters].sort())) {
      return error(response, 400, "Bad Request", `expected the parameters ${action.parameters.join(", ")}`);
    }
    if (!/^[0-9a-f-]{36}$/.test(body.RegardingEntityId)) return error(response, 400, "Bad Request", "RegardingEntityId is not a GUID");
    if (!action.regarding_entities.includes(body.RegardingEntityName)) {
      return error(response, 400, "Bad Request", `RegardingEntityName ${body.RegardingEntityName}`);
    }
    const sequence = records.get(`msdyn_sequences/${body.SequenceId}`);
    if (!sequence || sequence.attributes.statecode !== 1) return error(response, 400, "Bad Request", "no active sequence with this SequenceId");
    if (sequence.attributes.msdyn_regardingentityname !== body.RegardingEntityName) {
      return error(response, 400, "Bad Request", `the sequence enrols ${sequence.attributes.msdyn_regardingentityname} records`);
    }
    const key = `msdyn_sequencetargets/${body.SequenceId}:${body.RegardingEntityId}`;
    if (records.has(key)) return error(response, 400, "Bad Request", "the record is already connected to this sequence");
    records.set(key, { type: "msdyn_sequencetargets", id: `${body.SequenceId}:${body.RegardingEntityId}`, attributes: { ...body } });
    saveRecords();
    return answer(response, 204);
  }
  return error(response, 404, "Not Found", request.url);
}

function handle(request, response, text) {
  if (!throttled && options.throttleOnce) {
    throttled = true;
    return answer(response, 429, { errors: [{ title: "Too Many Requests" }] }, { "retry-after": "1" });
  }
  if (request.headers.authorization !== `Bearer ${options.token}`) {
    return error(response, 401, "Unauthorized", "the bearer token is missing or wrong");
  }
  const method = request.method;
  if (method !== "GET") {
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
  if (options.target === "salesloft") return handleSalesloft(request, response, body);
  if (options.target === "hubspot") return handleHubSpot(request, response, body);
  if (options.target === "dynamics") return handleDynamics(request, response, body);
  const match = /^\/api\/v2\/([A-Za-z]+)(?:\/(\d+))?$/.exec(request.url);
  if (!match) return error(response, 404, "Not Found", request.url);
  const [, collection, id] = match;
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
