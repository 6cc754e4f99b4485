/* Today's attendance: redraw the lists from today.json every few seconds, so the welfare worker
 * sees kiosk and phone check-ins arrive without reloading. Without JavaScript the page still works. */
(function () {
  "use strict";
  var root = document.getElementById("ct-sections");
  if (!root) return;
  var strings = JSON.parse(document.getElementById("ct-strings").textContent);
  var status = document.getElementById("ct-status");
  var every = Number(root.dataset.poll || 5) * 1000;
  var day = null;
  var etag = null;   // of the last answer: the server says 304 while nothing changed

  function rows(list, items, templateId) {
    var template = document.getElementById(templateId);
    list.textContent = "";
    items.forEach(function (item) {
      var li = template.content.firstElementChild.cloneNode(true);
      var name = li.querySelector("[data-name]");
      if (item.name) {
        name.textContent = item.name;
        if (item.visitor_url && name.tagName === "A") name.href = item.visitor_url;
      } else {
        name.textContent = item.method + (item.count > 1 ? " × " + item.count : "");
      }
      li.querySelector("[data-meta]").textContent = item.name ? item.time + " · " + item.method : item.time;
      var remove = li.querySelector("[data-remove]");
      if (item.remove_url) remove.href = item.remove_url; else remove.remove();
      list.appendChild(li);
    });
  }

  function render(data) {
    if (day && data.day !== day) { location.reload(); return; }   // a new day: a new programme
    day = data.day;
    data.sections.forEach(function (section) {
      var box = root.querySelector('[data-slot="' + section.slot + '"]');
      if (!box) { location.reload(); return; }                       // a slot appeared: redraw all
      box.querySelector('[data-field="total"]').textContent = section.total;
      box.querySelector('[data-field="named"]').textContent = section.named.length;
      box.querySelector('[data-field="guests"]').textContent = section.guests;
      box.querySelector('[data-field="headcount"]').textContent = section.headcount;
      rows(box.querySelector('[data-list="named"]'), section.named, "ct-named-row");
      box.querySelector("[data-empty]").hidden = section.named.length > 0;
      rows(box.querySelector('[data-list="anonymous"]'), section.anonymous, "ct-anonymous-row");
      box.querySelector(".ct-anonymous").hidden = section.anonymous.length === 0;
    });
  }

  function poll() {
    var headers = {"Accept": "application/json"};
    if (etag) headers["If-None-Match"] = etag;
    fetch(root.dataset.url, {headers: headers, cache: "no-store", credentials: "same-origin"})
      .then(function (response) {
        if (response.status === 304) return null;                    // nothing changed: nothing to redraw
        if (response.redirected || !response.ok) throw new Error("status " + response.status);
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) render(data);
        var now = new Date();
        status.textContent = strings.updated.replace("%(time)s",
          ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2));
      })
      .catch(function () { status.textContent = strings.offline; })
      .finally(function () { setTimeout(poll, every); });
  }

  // Only the lists are redrawn, never the forms: a name being typed is not lost.
  setTimeout(poll, every);
})();
