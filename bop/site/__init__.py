"""What every page shares: error pages, template filters, request arguments, the CLI and the demo.

- `errors`: calm error pages, JSON errors under /api/
- `templating`: Jinja filters and globals, the staff menu, the `isodate` URL converter
- `args`: a location by slug, a week, the query to carry over a redirect
- `ratelimit`: the public pages' rate limits
- `cli`: `flask bop ...`; `demo`: the demo BOP
"""
