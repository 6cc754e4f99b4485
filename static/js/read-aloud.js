/* "Lees voor": reads the page's programme aloud, for visitors who read little.
 *
 * The browser's own speech synthesis, in the page's language (<html lang>), and only where the
 * device has a voice for that language: without one the button stays hidden, rather than read
 * Arabic with a Dutch voice. Voices arrive asynchronously (Chrome fills getVoices() later and fires
 * `voiceschanged`), so the button appears when they do. What is read: every [data-speak] element,
 * in page order, one utterance each (its data-speak value, else its text). Pressing the button
 * again stops. Nothing is sent anywhere; no voice, no button, and the page is as before.
 */
(function () {
  "use strict";

  var button = document.getElementById("read-aloud");
  var synth = window.speechSynthesis;
  if (!button || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  var strings = JSON.parse(document.getElementById("read-aloud-config").textContent);
  var label = button.querySelector("[data-label]");
  var lang = (document.documentElement.lang || "nl").toLowerCase();
  var run = 0;          // which reading is current; events of a stopped one are ignored
  var reading = false;

  function base(tag) { return String(tag || "").toLowerCase().replace("_", "-").split("-")[0]; }

  // A voice for the page's language: an exact match (nl-nl for nl-NL) first, else the same language
  // in another region (nl-BE for nl), preferring the device's default and its offline voices.
  function voice() {
    var matches = (synth.getVoices() || []).filter(function (v) { return base(v.lang) === base(lang); });
    function score(v) {
      return (String(v.lang).toLowerCase().replace("_", "-") === lang ? 4 : 0) + (v.default ? 2 : 0) + (v.localService ? 1 : 0);
    }
    matches.sort(function (a, b) { return score(b) - score(a); });
    return matches[0] || null;
  }

  function setReading(on) {
    reading = on;
    label.textContent = on ? strings.stop : strings.start;
  }

  function stop() {
    run += 1;
    synth.cancel();
    setReading(false);
  }

  function texts() {
    return Array.prototype.map.call(document.querySelectorAll("[data-speak]"), function (element) {
      return (element.getAttribute("data-speak") || element.textContent).replace(/\s+/g, " ").trim();
    }).filter(Boolean);
  }

  function start() {
    var chosen = voice(), parts = texts();
    if (!chosen || !parts.length) return;
    stop();
    var mine = run;
    setReading(true);
    parts.forEach(function (text, index) {
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.voice = chosen;
      utterance.lang = chosen.lang;
      utterance.rate = 0.9;                 // a little slower than usual
      if (index === parts.length - 1) {
        utterance.onend = utterance.onerror = function () { if (run === mine) setReading(false); };
      }
      synth.speak(utterance);
    });
  }

  function showIfVoice() {
    var available = !!voice();
    button.hidden = !available;
    if (!available && reading) stop();
  }

  button.addEventListener("click", function () { if (reading) stop(); else start(); });
  if (synth.addEventListener) synth.addEventListener("voiceschanged", showIfVoice);
  else synth.onvoiceschanged = showIfVoice;
  window.addEventListener("pagehide", function () { if (reading) stop(); });
  showIfVoice();
})();
