// Read an iCalendar file with Mozilla's ical.js (the parser of Thunderbird and many web calendars)
// and print every occurrence that starts in [from, to) as one JSON line:
// {"uid": ..., "start": <UTC ISO>, "end": <UTC ISO>}.
// Usage: node occurrences.mjs FILE.ics FROM-ISO TO-ISO   (instants, e.g. 2026-03-01T00:00:00Z)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, fromArg, toArg] = process.argv.slice(2);
if (!file || !fromArg || !toArg) {
  console.error("usage: node occurrences.mjs FILE.ics FROM-ISO TO-ISO");
  process.exit(2);
}
const from = Date.parse(fromArg);
const to = Date.parse(toArg);

const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
// A client uses the VTIMEZONE the feed brings along, as Thunderbird does for unknown zones.
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}

const masters = new Map();
const overrides = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  if (event.isRecurrenceException()) overrides.push(event);
  else masters.set(event.uid, event);
}
for (const exception of overrides) masters.get(exception.uid).relateException(exception);

const instant = (time) => time.toJSDate().getTime();
const lines = [];
for (const event of masters.values()) {
  const emit = (start, end) => {
    const at = instant(start);
    if (at >= from && at < to) {
      lines.push({ uid: event.uid, start: new Date(at).toISOString(), end: new Date(instant(end)).toISOString() });
    }
  };
  if (!event.isRecurring()) {
    emit(event.startDate, event.endDate);
    continue;
  }
  // Iterate the rule, with a year's margin before the window for overrides that moved into it.
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    if (instant(next) >= to + 366 * 24 * 3600 * 1000) break;
    emit(details.startDate, details.endDate);
  }
}
lines.sort((a, b) => (a.start + a.uid).localeCompare(b.start + b.uid));
for (const line of lines) console.log(JSON.stringify(line));
