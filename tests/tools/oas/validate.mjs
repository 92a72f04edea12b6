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
// fixtures `cadence import` is tested with), validated with the overlay's
// items for reads (read-only attributes allowed, nothing required): on
// Outreach every resource of a JSON:API document's `data` and `included`
// against the description's schema of its type's response
// (`sequenceStepResponse`...); on Salesloft the whole document against the
// answer of GET /v2/cadence_exports/{id}.

import { readFileSync } from "node:fs";
import { basename } from "node:path";

import { closeObjects, documents, loadTarget, pointer, reasonsOf, validateRequest } from "./oas.mjs";

/// --read TARGET FILE...: every resource of the reads against its response schema.
function validateReads(target, files) {
  if (!documents[target]) {
    console.error(`--read: no published description of '${target}' here`);
    process.exit(2);
  }
  const loaded = loadTarget(target, true);
  const { ajv, title } = loaded;
  let failed = false;
  if (target === "salesloft") {
    const path = ["paths", "/v2/cadence_exports/{id}", "get", "responses", "200", "content", "application/json", "schema"];
    let schema = loaded.document;
    for (const part of path) schema = schema[part];
    closeObjects(loaded.document, schema, true, new Map());
    const validate = ajv.compile({ $ref: "oas" + pointer(...path) });
    for (const file of files) {
      const document = JSON.parse(readFileSync(file, "utf8"));
      if (validate(document)) {
        console.log(`valid   ${basename(file)}: GET /v2/cadence_exports/{id} in ${title}`);
      } else {
        failed = true;
        console.log(`invalid ${basename(file)}: GET /v2/cadence_exports/{id} in ${title}`);
        for (const reason of reasonsOf(validate.errors)) console.log(`  ${reason}`);
      }
    }
    process.exit(failed ? 1 : 0);
  }
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
        for (const reason of reasonsOf(validate.errors)) console.log(`  ${reason}`);
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
  const { title } = loaded[target];
  for (const sequence of exported.sequences ?? []) {
    for (const request of sequence.requests ?? []) {
      const label = `${basename(file)} ${sequence.name} ${request.id}`;
      const { operation, valid, reasons } = validateRequest(loaded[target], request.method, request.path, request.body);
      if (!operation) {
        console.log(`invalid ${label}: ${reasons[0]}`);
        failed = true;
      } else if (valid) {
        console.log(`valid   ${label}: ${operation.name} in ${title}`);
      } else {
        failed = true;
        console.log(`invalid ${label}: ${operation.name} in ${title}`);
        for (const reason of reasons) console.log(`  ${reason}`);
      }
    }
  }
}
process.exit(failed ? 1 : 0);
