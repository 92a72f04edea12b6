// The platforms' published OpenAPI descriptions, loaded for validation:
// the documented overlay applied, every object closed to the members the
// description declares, and each operation with a request body matched by
// method and path. Used by validate.mjs and by the fake platform of the
// `cadence apply` tests (fake_platform.mjs).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { overlays } from "./overlay.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "package.json"));
const Ajv2019 = require("ajv/dist/2019").default;
const addFormats = require("ajv-formats");

export const documents = {
  outreach: "@opensdks/sdk-outreach/outreach.oas.json",
  salesloft: "@opensdks/sdk-salesloft/salesloft.oas.json",
};

/// The JSON pointer of a path's members, escaped.
export function pointer(...parts) {
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
export function closeObjects(doc, node, isValue, seen) {
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

export function loadTarget(target, read = false) {
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
  return { ajv, operations, title: basename(path), overlay, document: doc };
}

export function explain(error) {
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

/// Why a validation failed, each reason once (a oneOf or anyOf that failed
/// is explained by its branches' errors).
export function reasonsOf(errors) {
  return [...new Set(errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf").map(explain))];
}

/// The operation a request is sent to, and whether its body is valid there:
/// {operation, valid, reasons}; operation is null when none matches.
export function validateRequest(loaded, method, path, body) {
  const { ajv, operations } = loaded;
  const operation = operations.find((op) => op.method === method && op.pattern.test(path));
  if (!operation) return { operation: null, valid: false, reasons: [`${method} ${path} is no operation of ${loaded.title}`] };
  const validate = ajv.getSchema(operation.schemaRef) ?? ajv.compile({ $ref: operation.schemaRef });
  if (validate(body)) return { operation, valid: true, reasons: [] };
  return { operation, valid: false, reasons: reasonsOf(validate.errors) };
}

