#!/usr/bin/env node
// Validates every request of Cadence export documents against the platform's
// own published OpenAPI description: Outreach's and Salesloft's, as the npm
// packages @opensdks/sdk-outreach and @opensdks/sdk-salesloft publish them.
//
//   node validate.mjs EXPORT.json...
//   node validate.mjs --read outreach READ.json...
//
// Each request is matched to the operation it is sent to (method and path,
// after the server's base path) and its body is validated against that
// operation's request body schema, with the documented overlay of
// overlay.mjs applied first. One line per request: `valid` or `invalid`,
// the operation and the document; then the reasons. Exit status 1 when any
// request is invalid or matches no operation, 2 on unusable input.
// With --read, the files are what the platform answers to reads (the
// fixtures `cadence import` is tested with): every resource of a JSON:API
// document's `data` and `included` is validated against the description's
// schema of its type's response (`sequenceStepResponse`...), with the
// overlay's items for reads (read-only attributes allowed, nothing required).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { overlays } from "./overlay.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "package.json"));
const Ajv2019 = require("ajv/dist/2019").default;
const addFormats = require("ajv-formats");

const documents = {
  outreach: "@opensdks/sdk-outreach/outreach.oas.json",
  salesloft: "@opensdks/sdk-salesloft/salesloft.oas.json",
};

/// The JSON pointer of a path's members, escaped.
function pointer(...parts) {
  return "#/" + parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

function resolve(doc, ref) {
  let node = doc;
  for (const raw of ref.replace(/^#\//, "").split("/")) {
    node = node?.[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

/// No member the description does not declare may be sent: every object in a
/// value position (a request body, a property's value, an array's items)
/// gets unevaluatedProperties: false, which sees through allOf, oneOf and
/// $ref, so the members of a combinator's branches still count.
function closeObjects(doc, node, isValue, seen) {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return;
  const key = isValue ? "v" : "m";
  if (seen.get(node)?.has(key)) return;
  if (!seen.has(node)) seen.set(node, new Set());
  seen.get(node).add(key);
  const objectLike =
    node.type === "object" || node.properties || node.allOf || node.oneOf || node.anyOf || node.$ref;
  if (isValue && objectLike && node.unevaluatedProperties === undefined && node.additionalProperties === undefined) {
    node.unevaluatedProperties = false;
  }
  for (const child of Object.values(node.properties ?? {})) closeObjects(doc, child, true, seen);
  if (node.items) closeObjects(doc, node.items, true, seen);
  for (const group of ["allOf", "oneOf", "anyOf"]) {
    for (const member of node[group] ?? []) closeObjects(doc, member, false, seen);
  }
  if (typeof node.$ref === "string") closeObjects(doc, resolve(doc, node.$ref), false, seen);
}

/// OpenAPI 3.0's `nullable` beside a combinator (no `type` of its own) in
/// JSON Schema terms: the schema, or null.
function translateNullable(node) {
  if (node === null || typeof node !== "object") return;
  for (const child of Object.values(node)) translateNullable(child);
  if (!Array.isArray(node) && node.nullable === true && node.type === undefined) {
    const alternatives = { ...node };
    delete alternatives.nullable;
    for (const key of Object.keys(node)) delete node[key];
    node.anyOf = [alternatives, { type: "null" }];
  }
}

function loadTarget(target, read = false) {
  const path = require.resolve(documents[target]);
  const doc = JSON.parse(readFileSync(path, "utf8"));
  translateNullable(doc);
  const overlay = overlays[target];
  overlay.apply(doc, { read });
  if (read) {
    const seen = new Map();
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      if (name.endsWith("Response")) closeObjects(doc, schema, true, seen);
    }
  }
  const base = new URL(doc.servers?.[0]?.url ?? "https://example.invalid").pathname.replace(/\/$/, "");
  const operations = [];
  const seen = new Map();
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const content = operation?.requestBody?.content;
      if (!content) continue;
      const [mediaType] = Object.keys(content);
      closeObjects(doc, content[mediaType].schema, true, seen);
      const pattern = new RegExp(
        "^" + base + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "(\\.json)?$",
      );
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern,
        schemaRef: "oas" + pointer("paths", template, method, "requestBody", "content", mediaType, "schema"),
        name: operation.operationId ? `${operation.operationId} (${method.toUpperCase()} ${template})` : `${method.toUpperCase()} ${template}`,
      });
    }
  }
  const ajv = new Ajv2019({ strict: false, allErrors: true, verbose: true, discriminator: false });
  addFormats(ajv);
  for (const format of ["int32", "int64", "float", "double", "binary", "byte", "password"]) ajv.addFormat(format, true);
  ajv.addSchema(doc, "oas");
  return { ajv, operations, title: basename(path), overlay };
}

function explain(error) {
  const where = error.instancePath || "/";
  if (error.keyword === "unevaluatedProperties") {
    return `${where}: member '${error.params.unevaluatedProperty}' is not declared by the operation`;
  }
  if (error.keyword === "not" && error.parentSchema?.["x-cadence-read-only"]) {
    return `${where}: read-only attribute, must not be sent`;
  }
  if (error.keyword === "enum") return `${where}: ${JSON.stringify(error.data)} is not one of ${JSON.stringify(error.params.allowedValues)}`;
  return `${where}: ${error.message}`;
}

/// --read TARGET FILE...: every resource of the reads against its response schema.
function validateReads(target, files) {
  if (!documents[target]) {
    console.error(`--read: no published description of '${target}' here`);
    process.exit(2);
  }
  const { ajv, title } = loadTarget(target, true);
  let failed = false;
  for (const file of files) {
    let document;
    try {
      document = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      console.error(`${file}: cannot read: ${error.message}`);
      process.exit(2);
    }
    const resources = [];
    const data = document.data;
    if (Array.isArray(data)) data.forEach((r, i) => resources.push([`/data/${i}`, r]));
    else if (data) resources.push(["/data", data]);
    (document.included ?? []).forEach((r, i) => resources.push([`/included/${i}`, r]));
    for (const [where, resource] of resources) {
      const ref = "oas" + pointer("components", "schemas", `${resource.type}Response`);
      const label = `${basename(file)}#${where} ${resource.type} ${resource.id}`;
      let validate;
      try {
        validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
      } catch {
        console.log(`invalid ${label}: ${title} has no ${resource.type}Response`);
        failed = true;
        continue;
      }
      if (validate(resource)) {
        console.log(`valid   ${label}: ${resource.type}Response in ${title}`);
      } else {
        failed = true;
        console.log(`invalid ${label}: ${resource.type}Response in ${title}`);
        const reasons = new Set(validate.errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf").map(explain));
        for (const reason of reasons) console.log(`  ${reason}`);
      }
    }
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[2] === "--read") validateReads(process.argv[3], process.argv.slice(4));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: validate.mjs EXPORT.json...");
  process.exit(2);
}
const loaded = {};
let failed = false;
for (const file of files) {
  let exported;
  try {
    exported = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`${file}: cannot read: ${error.message}`);
    process.exit(2);
  }
  const target = exported.target;
  if (!documents[target]) {
    console.error(`${file}: target '${target}' has no published description here`);
    process.exit(2);
  }
  loaded[target] ??= loadTarget(target);
  const { ajv, operations, title } = loaded[target];
  for (const sequence of exported.sequences ?? []) {
    for (const request of sequence.requests ?? []) {
      const label = `${basename(file)} ${sequence.name} ${request.id}`;
      const operation = operations.find((op) => op.method === request.method && op.pattern.test(request.path));
      if (!operation) {
        console.log(`invalid ${label}: ${request.method} ${request.path} is no operation of ${title}`);
        failed = true;
        continue;
      }
      const validate = ajv.getSchema(operation.schemaRef) ?? ajv.compile({ $ref: operation.schemaRef });
      if (validate(request.body)) {
        console.log(`valid   ${label}: ${operation.name} in ${title}`);
      } else {
        failed = true;
        console.log(`invalid ${label}: ${operation.name} in ${title}`);
        const reasons = new Set(validate.errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf").map(explain));
        for (const reason of reasons) console.log(`  ${reason}`);
      }
    }
  }
}
process.exit(failed ? 1 : 0);
