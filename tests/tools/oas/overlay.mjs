// The overlay applied to the published OpenAPI descriptions before they
// validate Cadence's exports. Each item corrects a known defect of the
// published document, says which, and is kept as small as the defect;
// docs/export.md lists them for users. Everything else is the published
// document as it is.

const READ_ONLY_BADGE = "badges/readonly.svg";

/// The quoted values of a description's "must be ..." sentence: Outreach
/// states its enumerations only in prose ("must be \"finish\", ...").
function enumFromProse(description) {
  const sentence = /must be[^.]*?(("[^"]+"[,\s]*(or\s+|and\s+)?)+)/i.exec(description ?? "");
  if (!sentence) return null;
  const values = [...sentence[1].matchAll(/"([^"]+)"/g)].map((m) => m[1].replace(/,$/, ""));
  return values.length > 1 ? values : null;
}

/// A relationship as a request may send it: the `data` branch alone, with
/// its type and id required. A relationship to one of several kinds nests a
/// oneOf per kind; each is reduced the same way and the kinds become anyOf.
function dataBranch(relationship) {
  const data = relationship.oneOf.find((branch) => branch.properties?.data);
  if (!data) return { description: relationship.description, anyOf: relationship.oneOf.map(dataBranch) };
  const shape = structuredClone(data.properties.data);
  shape.required = ["type", "id"];
  shape.additionalProperties = false;
  return {
    description: relationship.description,
    type: "object",
    properties: { data: shape },
    required: ["data"],
    additionalProperties: false,
  };
}

export const overlays = {
  outreach: {
    items: [
      "O1 primaryReplyAction and secondaryReplyAction: the published maxLength 4 is dropped (their legal values are 6 to 8 characters long)",
      "O2 relationships: the published oneOf of a {data} and a {links} branch is matched twice by any {data}; the data branch alone is kept, with data.type and data.id required",
      "O3 read-only attributes, marked only by a badge in the description text, must not be sent",
      "O4 enumerations stated only in the description text (stepType, sequenceType, scheduleIntervalType, shareType, reply actions) are enforced",
      "O5 the relationships an object cannot be created without are required: a sequenceStep's sequence, a sequenceTemplate's sequenceStep and template",
    ],
    /// With `read`, for what the platform answers rather than what is sent:
    /// read-only attributes are allowed (O3) and nothing is required (O5).
    apply(doc, { read = false } = {}) {
      const schemas = doc.components.schemas;
      for (const action of ["primaryReplyAction", "secondaryReplyAction"]) {
        delete schemas.sequence.properties[action].maxLength;
      }
      for (const [name, schema] of Object.entries(schemas)) {
        for (const [member, property] of Object.entries(schema.properties ?? {})) {
          if (name.endsWith("Relationships") && Array.isArray(property.oneOf)) {
            schema.properties[member] = dataBranch(property);
            continue;
          }
          if (!read && (property.description ?? "").includes(READ_ONLY_BADGE)) {
            schema.properties[member] = { not: {}, "x-cadence-read-only": true, description: property.description };
            continue;
          }
          const values = enumFromProse(property.description);
          if (values && property.type === "string") property.enum = values;
        }
      }
      if (read) return;
      schemas.sequenceStepRelationships.required = ["sequence"];
      schemas.sequenceTemplateRelationships.required = ["sequenceStep", "template"];
      for (const path of ["/sequenceSteps", "/sequenceTemplates"]) {
        const body = doc.paths[path].post.requestBody.content["application/vnd.api+json"].schema;
        body.required = ["data"];
        body.properties.data.required = ["type", "relationships"];
      }
    },
  },
  salesloft: {
    items: [
      "S1 cadence settings: reschedule_from_pause_enabled, which Salesloft's cadence import documentation lists among the settings, is declared (the typed description omits it)",
    ],
    apply(doc, { read = false } = {}) {
      doc.components.schemas.CadenceSettings.properties.reschedule_from_pause_enabled = { type: "boolean" };
    },
  },
};
