// The compiler in a Web Worker, so that typing never waits for a check:
// messages {id, command, text} in, {id, answer, ms} out.
/* global importScripts, createCadence */
importScripts("cadence.js");
const ready = createCadence();
self.onmessage = async (event) => {
  const { id, command, text } = event.data;
  const cadence = await ready;
  const start = performance.now();
  let answer;
  try {
    answer = JSON.parse(cadence.ccall("cadence_run", "string", ["string", "string"], [command, text]));
  } catch (error) {
    answer = { ok: false, error: String(error) };
  }
  self.postMessage({ id, answer, ms: performance.now() - start });
};
