"""Visitors and their cards: search, edit, merge, export and erase; print cards and posters.

A visitor is a pseudonym (DESIGN.md principle 2): a first name or nickname, a random card code,
optionally a preferred language, and a phone number only with recorded consent. Everyone on the
staff may look; coordinators and workers change things. The phone number is shown to them only:
it is there for their outreach calls, not for the volunteers at the door.

- `models`: Visitor and Card; `codes` (pure): card codes and what was typed or scanned
- `records`: issuing cards, merging, erasing and exporting visitors (no Flask request in it;
  shared by the views and the command line; the caller commits)
- `forms`, `views`: the staff pages under /staff/visitors, card PDFs and the koffietafel posters
- `commands`: `flask bop create-visitor`
"""
