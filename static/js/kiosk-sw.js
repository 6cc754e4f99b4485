/* The kiosk's service worker: a kiosk reloaded while the network is down still opens and scans.
 *
 * Served by the /kiosk-sw.js route (`service_worker` in bop/checkin/kiosk.py), which puts `self.BOP_KIOSK` in front
 * of this file: the cache version (a hash of every file below, so a release with any changed file
 * installs a new worker and replaces the old cache), the kiosk page, the files it needs (styles,
 * scripts, pictograms, feedback pictures, the QR decoder) and the API prefix.
 *
 * Network first for everything it keeps: online, the kiosk always gets the newest page and files
 * (a new release or a translation wins at once); the cache is only a fallback, when the network
 * fails, hangs, or the server answers 5xx. The API is never cached: check-ins wait in the kiosk's
 * own outbox (kiosk.js), and "today" or a revoked token must come from the server.
 */
"use strict";

var MANIFEST = self.BOP_KIOSK;
var PREFIX = "bop-kiosk-";
var CACHE = PREFIX + MANIFEST.version;
var NETWORK_TIMEOUT = 5000;   // a hanging Wi-Fi: the cached copy after 5 seconds

self.addEventListener("install", function (event) {
  var urls = [MANIFEST.page].concat(MANIFEST.files);
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // "reload": past the browser's HTTP cache, so the new cache holds this release's files.
    return cache.addAll(urls.map(function (url) { return new Request(url, {cache: "reload"}); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; })
                            .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf(MANIFEST.api) === 0) return;
  if (request.mode === "navigate") event.respondWith(networkFirst(request, true));
  else if (MANIFEST.files.indexOf(url.pathname) >= 0) event.respondWith(networkFirst(request, false));
});

// The page as asked (/kiosk?lang=ar), else the kiosk page as installed, else any language of it.
function cached(cache, request, isPage) {
  return cache.match(request, {ignoreVary: true}).then(function (hit) {
    if (hit || !isPage) return hit;
    return cache.match(MANIFEST.page, {ignoreVary: true}).then(function (page) {
      return page || cache.match(request, {ignoreVary: true, ignoreSearch: true});
    });
  });
}

function networkFirst(request, isPage) {
  return caches.open(CACHE).then(function (cache) {
    return new Promise(function (resolve, reject) {
      var settled = false;
      function settle(response) { if (!settled) { settled = true; clearTimeout(timer); resolve(response); } }
      function fallBack(error) {
        cached(cache, request, isPage).then(function (hit) {
          if (hit) settle(hit);
          else if (error instanceof Response) settle(error);
          else if (!settled) { settled = true; clearTimeout(timer); reject(error); }
        });
      }
      var timer = setTimeout(function () {
        cached(cache, request, isPage).then(function (hit) { if (hit) settle(hit); });
      }, NETWORK_TIMEOUT);
      fetch(request).then(function (response) {
        if (response.ok && response.type === "basic" && !response.redirected) {
          cache.put(request, response.clone());
          settle(response);
        } else if (response.status >= 500) {
          fallBack(response);   // the server or its proxy is down: the copy, else its answer
        } else {
          settle(response);
        }
      }, fallBack);
    });
  });
}
