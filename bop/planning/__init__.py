"""Planning: activities, their dates, and everything that shows the programme.

- `models`: Activity, its translations and per-date changes; Closure
- `schedule` (pure): RFC 5545 recurrence expansion in Europe/Amsterdam, changes, closures, ISO weeks
- `ical` (pure): the iCalendar feed
- `prices` (pure): euro amounts as people read them
- `programme`: database to `schedule`, the one place that says what is on at a location
- `forms`, `views`: the staff week planner (blueprint `planning`)
- `versioning`: every change of a location's programme moves its version on (ETags)
- `agenda`: the public agenda `/bop/<slug>`, its feed and `/healthz` (blueprint `agenda`)
"""

from . import versioning  # noqa: E402,F401  (registers the session listener)
