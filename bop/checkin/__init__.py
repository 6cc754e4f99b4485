"""Check-in at the koffietafel: cards scanned at a kiosk, a visitor's own phone, staff by hand.

- `models`: KioskDevice, CheckIn, Scan; how a check-in was recorded (Method) and how a newcomer
  heard of the BOP (Source), each with its labels
- `redeem`: what a check-in attempt means, modelled on pretix (idempotent, nonces, failed scans)
- `attendance`: who came on a day, per activity
- `api`: `/api/v1`, the kiosk's JSON API (blueprint `api`) — a kiosk scan is `api.create_checkin`
- `answers`: what the API says back (a scan's answer in the card holder's language)
- `kiosk`: pairing tablets, the tablet list and the kiosk page (blueprint `kiosk`)
- `selfcheckin`: `/bop/<slug>/in`, one tap on the visitor's own phone (blueprint `selfcheckin`)
- `past_visits`: the past-visits version of a location, moved by every change of an earlier day
- `today`: the staff list "Wie is er vandaag?" with corrections by hand (blueprint `checkin`)
"""

from . import past_visits  # noqa: E402,F401  (registers the session listener)
