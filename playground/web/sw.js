// Keeps the playground working offline once it has loaded: every asset is
// served from the cache, refreshed from the network when it answers.
const CACHE = "cadence-playground-v1";
const ASSETS = ["./", "index.html", "style.css", "main.js", "worker.js", "cadence.js", "examples.json"];
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
});
self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        return response;
      })
      .catch(() => caches.match(event.request))
  );
});
