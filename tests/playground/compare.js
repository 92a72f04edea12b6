// What the playground's tests compare: diagnostics as `cadence check
// --format json` gives them, without what depends on where each build
// lives (documentation links) or on the file's name (related locations).
"use strict";
const assert = require("assert");

function comparable(report, uri) {
  const files = report.files.map((file) =>
    file.diagnostics.map((d) => {
      const copy = JSON.parse(JSON.stringify(d).split(uri).join("file:///SEQUENCE"));
      if (copy.codeDescription) {
        assert.match(copy.codeDescription.href, new RegExp(`/${copy.data.name}\\.md$`));
        delete copy.codeDescription;
      }
      return copy;
    })
  );
  return { files, summary: report.summary };
}

module.exports = { comparable, PLAYGROUND_URI: "file:///playground/sequence.cadence" };
