/* The koffietafel kiosk: camera, USB/Bluetooth scanner or typed code in; big calm feedback out.
 *
 * Nothing lost (DESIGN.md principle 4): every check-in is written to an outbox in localStorage
 * *before* it is sent, with its own nonce, and removed only once the server has answered. A request
 * that fails on the network stays there and is shown as "opgeslagen"; the outbox is flushed when
 * the browser comes back online, every few seconds, and after a reload. The server answers a retried
 * nonce with its stored answer, so a request that did arrive but whose answer got lost is never
 * counted twice. A service worker (kiosk-sw.js) keeps the page itself, so it opens offline too.
 *
 * All visible text comes from the server-rendered #k-config blob, so it is translated with the rest.
 * Activity titles come from the API in the kiosk's language where staff translated them (else in
 * Dutch, and then marked lang="nl"); a card holder is greeted in the language of their record.
 *
 * Keyboard: the card field has focus whenever nothing else has, so a USB scanner (a keyboard that
 * types the code and Enter) always lands there; but focus that a person moved to a control with
 * Tab stays there. Letters typed while a button has focus are a scanner's and go to the card field.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("k-config").textContent);
  var T = config.strings;
  var KEY_TOKEN = "bop.kiosk.token";
  var KEY_OUTBOX = "bop.kiosk.outbox";
  var KEY_CHOICE = "bop.kiosk.choice";
  var KEY_TODAY = "bop.kiosk.today";   // the last programme, for a start without network
  var REQUEST_TIMEOUT = 8000;      // a hanging Wi-Fi counts as offline
  var FLUSH_EVERY = 10000;
  var TODAY_EVERY = 60000;
  var SAME_CARD_GAP = 2000;        // a card held in view is read once; take it away to read it again
  var FEEDBACK_MS = {ok: 3500, headcount: 1500, already: 4500, saved: 3500, bad: 5000};

  var $ = function (id) { return document.getElementById(id); };
  var state = {
    token: localStorage.getItem(KEY_TOKEN),
    today: null,            // the last /kiosk/today answer
    inFlight: {},           // nonces being sent right now
    online: navigator.onLine,
    feedbackTimer: null,
    guestTimer: null,
    lastCode: null,
    lastCodeSeen: 0,
    audio: null,
    guestByKeyboard: false
  };

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }

  // -- outbox ------------------------------------------------------------------------------------

  function outbox() {
    try { return JSON.parse(localStorage.getItem(KEY_OUTBOX)) || []; } catch (e) { return []; }
  }
  function saveOutbox(items) { localStorage.setItem(KEY_OUTBOX, JSON.stringify(items)); }
  function enqueue(item) { var items = outbox(); items.push(item); saveOutbox(items); }
  function dequeue(nonce) { saveOutbox(outbox().filter(function (i) { return i.nonce !== nonce; })); }

  function newNonce() {
    // crypto.getRandomValues works on plain http too (randomUUID needs a secure context).
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // -- talking to the server -------------------------------------------------------------------------

  function api(method, url, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT);
    var headers = {"Accept": "application/json"};
    if (state.token) headers["Authorization"] = "Bearer " + state.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {method: method, headers: headers, signal: controller.signal, cache: "no-store",
                       body: body === undefined ? undefined : JSON.stringify(body)})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return {network: false, status: response.status, json: json};
        });
      }, function () { return {network: true}; })
      .finally(function () { clearTimeout(timer); });
  }

  function setOnline(online) {
    state.online = online;
    renderNet();
  }

  // Send one outbox item. Resolves to the server's answer, or to {network: true} if it stays queued.
  function send(item) {
    if (state.inFlight[item.nonce]) return Promise.resolve({network: true, busy: true});
    state.inFlight[item.nonce] = true;
    return api("POST", config.urls.checkins, item.body).then(function (result) {
      delete state.inFlight[item.nonce];
      if (result.network) { setOnline(false); return result; }
      setOnline(true);
      if (result.status === 401 || result.status === 403) { unpaired(); return {network: true, auth: true}; }
      if (result.status === 429 || result.status >= 500) return {network: true, server: true};
      dequeue(item.nonce);   // the server answered: done, whatever the answer was
      return result;
    });
  }

  function flush() {
    var items = outbox();
    renderNet();
    if (!items.length || !state.token) return Promise.resolve();
    // One by one, oldest first; stop at the first network failure and try again later.
    return items.reduce(function (chain, item) {
      return chain.then(function (stop) {
        if (stop) return true;
        return send(item).then(function (result) { return !!(result.network && !result.server && !result.busy); });
      });
    }, Promise.resolve(false)).then(function () { renderNet(); refreshTodaySoon(); });
  }

  function submit(fields) {
    var nonce = newNonce();
    var body = Object.assign({activity: currentActivity(), nonce: nonce, scanned_at: new Date().toISOString()}, fields);
    var item = {nonce: nonce, body: body};
    enqueue(item);           // write-ahead: from here on a reload cannot lose it
    renderNet();
    return send(item).then(function (result) {
      if (result.network) { if (!result.auth) showSaved(); }
      else showAnswer(result, fields);
      renderNet();
      refreshTodaySoon();
    });
  }

  // -- today's activities ------------------------------------------------------------------------

  function loadToday() {
    return api("GET", config.urls.today).then(function (result) {
      if (result.network) { setOnline(false); useRememberedToday(); return; }
      setOnline(true);
      if (result.status === 401 || result.status === 403) { unpaired(); return; }
      if (result.status !== 200) return;
      localStorage.setItem(KEY_TODAY, JSON.stringify(result.json));
      showToday(result.json);
    });
  }

  function showToday(today) {
    state.today = today;
    $("k-place").textContent = today.location.name;
    renderTiles();
  }

  function localDay() {
    var now = new Date();
    return now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
  }

  // Without network (a kiosk reloaded offline): today's programme as last heard, so a scan still
  // goes to the activity that is on, not to the drop-in. Which one is on moves with the clock, by
  // the server's rule: started (or starting within RUNNING_LEAD minutes) and not ended; of several,
  // the one that started last. Another day's programme is not used.
  function useRememberedToday() {
    var today;
    try { today = JSON.parse(localStorage.getItem(KEY_TODAY)); } catch (e) { return; }
    if (!today || today.day !== localDay()) return;
    var now = Date.now(), lead = config.runningLeadMinutes * 60000, running = null, latest = -Infinity;
    today.activities.forEach(function (a) {
      var start = Date.parse(a.start);
      if (start - lead <= now && now < Date.parse(a.end) && start > latest) { latest = start; running = a.id; }
    });
    today.activities.forEach(function (a) { a.running = a.id === running; });
    today.running = running;
    showToday(today);
  }

  var todayTimer = null;
  function refreshTodaySoon() {
    clearTimeout(todayTimer);
    todayTimer = setTimeout(loadToday, 800);
  }

  function choice() {
    try { return JSON.parse(localStorage.getItem(KEY_CHOICE)); } catch (e) { return null; }
  }

  // The running activity is preselected. A tile tapped by hand wins until the programme moves on
  // (another activity starts running, or the day changes).
  function currentActivity() {
    var today = state.today;
    if (!today) { var saved = choice(); return saved ? saved.id : null; }
    var manual = choice();
    if (manual && manual.day === today.day && manual.runningAtChoice === today.running &&
        (manual.id === null || today.activities.some(function (a) { return a.id === manual.id; }))) {
      return manual.id;
    }
    return today.running;
  }

  // A tap hands focus back to the card field; a keyboard user stays on the tile they chose.
  function choose(id, byPointer) {
    localStorage.setItem(KEY_CHOICE, JSON.stringify({id: id, day: state.today && state.today.day,
                                                     runningAtChoice: state.today && state.today.running}));
    renderTiles();
    if (byPointer) focusInput();
  }

  function isRightToLeft(lang) { return config.rightToLeft.indexOf(lang) >= 0; }

  // Text in another language than the page (a Dutch title on an Arabic kiosk) says so.
  function setLanguage(element, lang) {
    if (lang && lang !== document.documentElement.lang) {
      element.lang = lang;
      element.dir = isRightToLeft(lang) ? "rtl" : "ltr";
    } else {
      element.removeAttribute("lang");
      element.removeAttribute("dir");
    }
  }

  function titleOf(id) {
    var found = state.today && state.today.activities.filter(function (a) { return a.id === id; })[0];
    return found ? {text: found.title, lang: found.lang} : null;
  }

  function tile(id, title, time, pictogram, running, count, lang) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "k-tile" + (running ? " is-running" : "");
    button.setAttribute("aria-pressed", String(currentActivity() === id));
    button.dataset.activity = id === null ? "" : String(id);
    var img = document.createElement("img");
    img.src = pictogram; img.alt = ""; img.width = 56; img.height = 56;
    var label = document.createElement("span");
    label.className = "k-tile-title"; label.textContent = title;
    setLanguage(label, lang);
    button.appendChild(img);
    button.appendChild(label);
    if (time) {
      var when = document.createElement("span");
      when.className = "k-tile-time";
      var range = document.createElement("bdi");   // "10:00–11:00" reads left to right in Arabic too
      range.dir = "ltr"; range.textContent = time;
      when.appendChild(range);
      button.appendChild(when);
    }
    if (running) {
      var now = document.createElement("span");
      now.className = "k-tile-now"; now.textContent = T.now;
      button.appendChild(now);
    }
    button.addEventListener("click", function (event) { choose(id, event.detail > 0); });
    return button;
  }

  function renderTiles() {
    var today = state.today;
    var nav = $("k-tiles");
    // Redrawing must not drop the focus of someone who tabbed to a tile.
    var focused = nav.contains(document.activeElement) ? document.activeElement.dataset.activity : null;
    nav.textContent = "";
    if (!today) return;
    nav.appendChild(tile(null, T.dropIn, "", config.dropInPictogram, false, today.drop_in.count));
    today.activities.forEach(function (a) {
      nav.appendChild(tile(a.id, a.title, a.start.slice(11, 16) + "–" + a.end.slice(11, 16), a.pictogram, a.running, a.count,
                           a.lang));
    });
    if (focused !== null) {
      var again = nav.querySelector('[data-activity="' + focused + '"]');
      if (again) again.focus({preventScroll: true});
    }
    var pressed = nav.querySelector('[aria-pressed="true"]');
    if (pressed && pressed.scrollIntoView) pressed.scrollIntoView({block: "nearest", inline: "nearest"});
    var total = today.drop_in.count + today.activities.reduce(function (sum, a) { return sum + a.count; }, 0);
    $("k-count").textContent = fill(total === 1 ? T.visitorsOne : T.visitors, {count: total});
  }

  // -- feedback ---------------------------------------------------------------------------------------

  // One screen per answer: colour, a large pictogram and words. `title` and `detail` are a string
  // (in the kiosk's language) or {text, lang} for words in another language.
  function feedback(kind, title, detail, ms) {
    var box = $("k-feedback");
    box.className = "k-feedback is-" + kind;
    $("k-feedback-icon").src = config.feedbackPictograms[kind];
    [["k-feedback-title", title], ["k-feedback-detail", detail]].forEach(function (pair) {
      var element = $(pair[0]), value = pair[1] || "";
      element.textContent = typeof value === "string" ? value : value.text;
      setLanguage(element, typeof value === "string" ? null : value.lang);
    });
    box.hidden = false;
    clearTimeout(state.feedbackTimer);
    state.feedbackTimer = setTimeout(hideFeedback, ms);
  }
  function hideFeedback() { $("k-feedback").hidden = true; focusIfIdle(); }

  function showAnswer(result, fields) {
    var json = result.json || {};
    var activity = json.activity ? (titleOf(json.activity.id) || json.activity.title) : "";
    var activityText = typeof activity === "string" ? activity : activity.text;
    // A card holder's greeting comes from the server, in the language of their record.
    var greeting = json.message ? {text: json.message, lang: json.language} : null;
    if (result.status >= 400 && !json.status) {   // a validation error (bad time, activity gone)
      feedback("bad", (json.error && json.error.message) || T.serverError, "", FEEDBACK_MS.bad);
      return;
    }
    switch (json.status) {
      case "ok":
        if (fields.kind === "headcount") { feedback("ok", T.headcount, activity, FEEDBACK_MS.headcount); break; }
        if (fields.kind === "guest") { feedback("ok", T.guestCounted, activity, FEEDBACK_MS.ok); chime(); break; }
        feedback("ok", greeting || (json.name ? fill(T.welcome, {name: json.name}) : T.welcomeAnonymous), activity,
                 FEEDBACK_MS.ok);
        chime();
        break;
      case "already":
        feedback("already", greeting || fill(T.already, {time: (json.checked_in_at || "").slice(11, 16)}),
                 json.name ? json.name + (activityText ? " · " + activityText : "") : activity, FEEDBACK_MS.already);
        break;
      case "unknown": feedback("bad", T.unknown, "", FEEDBACK_MS.bad); break;
      case "revoked": feedback("bad", T.revoked, "", FEEDBACK_MS.bad); break;
      default: feedback("bad", T.invalid, "", FEEDBACK_MS.bad);
    }
  }

  function showSaved() { feedback("saved", T.saved, T.savedDetail, FEEDBACK_MS.saved); }

  // A soft two-note chime; the AudioContext may only start after a first tap on the screen.
  function chime() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    if (!state.audio) state.audio = new Ctx();
    var ctx = state.audio;
    if (ctx.state === "suspended") ctx.resume();
    [[659.25, 0], [880, 0.18]].forEach(function (note) {
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      var at = ctx.currentTime + note[1];
      osc.type = "sine";
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.18, at + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.5);
    });
  }

  function renderNet() {
    var net = $("k-net");
    var waiting = outbox().length;
    var text = state.online ? T.online : T.offline;
    if (waiting) text += " · " + fill(T.queued, {count: waiting});
    net.textContent = text;
    net.className = "k-net" + (state.online ? "" : " is-offline") + (waiting ? " has-queue" : "");
  }

  // -- input: scanner, typing, camera ---------------------------------------------------------------

  function overlayOpen() { return !$("k-source").hidden || !$("k-app") || $("k-app").hidden; }

  function focusInput() {
    if (overlayOpen()) return;
    var input = $("k-code");
    if (document.activeElement !== input) input.focus({preventScroll: true});
  }

  // Focus on nothing (the page itself): back to the card field. Never away from a control.
  function focusIfIdle() {
    var active = document.activeElement;
    if (!active || active === document.body || active === document.documentElement) focusInput();
  }

  function isTextField(element) {
    return !!element && (element.tagName === "INPUT" || element.tagName === "TEXTAREA" || element.isContentEditable);
  }

  // A modal dialog keeps Tab inside itself.
  function keepTabIn(container, event) {
    var items = Array.prototype.filter.call(container.querySelectorAll("button, a[href], input"),
                                            function (el) { return !el.disabled && el.offsetParent !== null; });
    if (!items.length) return;
    var first = items[0], last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
    else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
    else if (!container.contains(document.activeElement)) { first.focus(); event.preventDefault(); }
  }

  function handleCode(raw) {
    var code = (raw || "").trim();
    if (!code) return;
    submit({code: code});
  }

  function setupInput() {
    var input = $("k-code");
    $("k-code-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var value = input.value;
      input.value = "";
      input.setAttribute("inputmode", "none");   // hide the on-screen keyboard again
      handleCode(value);
    });
    $("k-type").addEventListener("click", function () {
      input.setAttribute("inputmode", "text");
      input.blur();
      input.focus();
    });
    // A keyboard-wedge scanner types into whatever has focus. When focus went nowhere (a tap on
    // the background, a redrawn element), it returns to the card field; a control keeps it.
    input.addEventListener("blur", function () { setTimeout(focusIfIdle, 250); });
    setInterval(focusIfIdle, 1000);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        if (!$("k-source").hidden) { answerSource(""); event.preventDefault(); return; }
        if (!$("k-feedback").hidden) { hideFeedback(); event.preventDefault(); return; }
      }
      if (!$("k-source").hidden) { if (event.key === "Tab") keepTabIn($("k-source"), event); return; }
      if (overlayOpen() || event.target === input || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTextField(event.target)) return;
      // Space and Enter operate the focused control; a letter or digit on a button is a scanner's.
      if (event.key.length === 1 && event.key !== " ") { input.value += event.key; input.focus(); event.preventDefault(); }
    });
    document.addEventListener("pointerdown", function () {
      if (state.audio && state.audio.state === "suspended") state.audio.resume();
    });
    $("k-feedback").addEventListener("click", hideFeedback);
  }

  function seen(code) {
    // One read per presentation of a card: the same code is ignored while it stays in view.
    var now = Date.now();
    var again = code === state.lastCode && now - state.lastCodeSeen < SAME_CARD_GAP;
    state.lastCode = code;
    state.lastCodeSeen = now;
    if (!again) handleCode(code);
  }

  function startCamera() {
    var video = $("k-video");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { cameraOff(); return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "user", width: {ideal: 1280}, height: {ideal: 720}}, audio: false})
      .then(function (stream) {
        video.srcObject = stream;
        return video.play().catch(function () {});
      })
      .then(makeDetector)
      .then(function (detect) { scanLoop(video, detect); })
      .catch(cameraOff);
  }

  function cameraOff() {
    $("k-camera").classList.add("is-off");
    $("k-camera-off").hidden = false;
  }

  // One code path, two engines: the browser's own BarcodeDetector where it reads QR codes (Android,
  // ChromeOS, macOS), else the same interface from the vendored barcode-detector ponyfill (ZXing-C++
  // in WebAssembly, static/vendor/barcode-detector/), its .wasm from our own server, never a CDN.
  // Which one runs is written on the camera box (data-decoder), for support and for the tests.
  function detectorClass() {
    var ponyfill = window.BarcodeDetectionAPI;
    function useVendored() {
      if (!ponyfill) return Promise.reject(new Error("no QR decoder"));
      ponyfill.prepareZXingModule({overrides: {locateFile: function (path, prefix) {
        return /\.wasm$/.test(path) ? config.urls.zxingWasm : prefix + path;
      }}});
      return Promise.resolve({Detector: ponyfill.BarcodeDetector, name: "zxing-wasm"});
    }
    if (!("BarcodeDetector" in window)) return useVendored();
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? {Detector: window.BarcodeDetector, name: "native"} : useVendored();
    }, useVendored);
  }

  function makeDetector() {
    return detectorClass().then(function (found) {
      var detector = new found.Detector({formats: ["qr_code"]});
      $("k-camera").dataset.decoder = found.name;
      return function (video) {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      };
    });
  }

  function scanLoop(video, detect) {
    function tick() {
      if (document.hidden || video.readyState < 2) { setTimeout(tick, 400); return; }
      detect(video).then(function (code) {
        if (code) seen(code);
        setTimeout(tick, 150);
      }, function () { setTimeout(tick, 400); });
    }
    tick();
  }

  // -- guest and headcount buttons ----------------------------------------------------------------

  function setupButtons() {
    $("k-plus").addEventListener("click", function () { submit({kind: "headcount", count: 1}); });
    $("k-guest").addEventListener("click", function (event) {
      state.guestByKeyboard = event.detail === 0;
      $("k-source").hidden = false;
      $("k-source").querySelector("[data-source]").focus();
      // Nobody answered: the guest still counts, without an answer.
      clearTimeout(state.guestTimer);
      state.guestTimer = setTimeout(function () { answerSource(""); }, 20000);
    });
    Array.prototype.forEach.call(document.querySelectorAll("#k-source [data-source]"), function (button) {
      button.addEventListener("click", function () { answerSource(button.dataset.source); });
    });
    $("k-fullscreen").addEventListener("click", function () {
      var root = document.documentElement;
      if (document.fullscreenElement) document.exitFullscreen();
      else if (root.requestFullscreen) root.requestFullscreen().catch(function () {});
    });
  }

  function answerSource(source) {
    clearTimeout(state.guestTimer);
    if ($("k-source").hidden) return;
    $("k-source").hidden = true;
    submit(source ? {kind: "guest", source: source} : {kind: "guest"});
    // Back where the keyboard user was; a tap goes back to the card field.
    if (state.guestByKeyboard) $("k-guest").focus(); else focusInput();
  }

  // -- pairing ----------------------------------------------------------------------------------

  function unpaired() {
    state.token = null;
    localStorage.removeItem(KEY_TOKEN);
    localStorage.removeItem(KEY_TODAY);
    showPairing(T.unpaired);
  }

  function showPairing(message) {
    $("k-app").hidden = true;
    $("k-pair").hidden = false;
    var error = $("k-pair-error");
    error.hidden = !message;
    error.textContent = message || "";
    $("k-pair-code").focus();
  }

  function pair(code) {
    var error = $("k-pair-error");
    error.hidden = false;
    error.textContent = T.pairing;
    return api("POST", config.urls.pair, {code: code}).then(function (result) {
      if (result.network) { error.textContent = T.offline; return; }
      if (result.status !== 201) {
        error.textContent = (result.json.error && result.json.error.message) || T.pairFailed;
        return;
      }
      state.token = result.json.token;
      localStorage.setItem(KEY_TOKEN, state.token);
      start();
    });
  }

  function setupPairing() {
    $("k-pair-form").addEventListener("submit", function (event) {
      event.preventDefault();
      pair($("k-pair-code").value);
    });
  }

  // -- start ----------------------------------------------------------------------------------

  var started = false;
  function start() {
    $("k-pair").hidden = true;
    $("k-app").hidden = false;
    focusInput();
    renderNet();
    loadToday().then(flush);
    if (started) return;
    started = true;
    startCamera();
    setInterval(flush, FLUSH_EVERY);
    setInterval(loadToday, TODAY_EVERY);
    var clock = function () {
      var now = new Date();
      $("k-clock").textContent = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
    };
    clock();
    setInterval(clock, 1000);
    window.addEventListener("online", function () { setOnline(true); flush(); });
    window.addEventListener("offline", function () { setOnline(false); });
  }

  // -- offline -------------------------------------------------------------------------------------

  // The service worker (static/js/kiosk-sw.js) keeps this page and its files, so a kiosk reloaded
  // without a network still opens; the check-ins themselves wait in the outbox above.
  function registerServiceWorker() {
    if (!("serviceWorker" in navigator)) return;   // needs https (or localhost)
    navigator.serviceWorker.register(config.urls.serviceWorker, {scope: config.urls.serviceWorkerScope})
      .catch(function () {});                      // without it the kiosk works as before, online
  }

  function init() {
    registerServiceWorker();
    setupPairing();
    setupInput();
    setupButtons();
    // /kiosk#pair=CODE (the QR on the staff screen) or /kiosk#token=TOKEN (flask bop pair-kiosk).
    var hash = new URLSearchParams(location.hash.slice(1));
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    if (hash.get("token")) {
      state.token = hash.get("token");
      localStorage.setItem(KEY_TOKEN, state.token);
    }
    if (state.token) { start(); return; }
    showPairing("");
    if (hash.get("pair")) {
      $("k-pair-code").value = hash.get("pair");
      pair(hash.get("pair"));
    }
  }

  init();
})();
