"""What every page shares: error pages, template filters, request arguments, the CLI and the demo.

- `errors`: calm error pages, JSON errors under /api/
- `templating`: Jinja filters and globals, the staff menu, the `isodate` URL converter
- `args`: a location by slug, a week, the query to carry over a redirect
- `ratelimit`: rate limits (Flask-Limiter) on login, self check-in, pairing and the API
- `secret_key`: no start without a real secret key
- `headers`: security headers (CSP, frame, referrer, no-store) on every response
- `urls`: the one public URL (BOP_PUBLIC_URL) and the trusted proxies (BOP_PROXY_HOPS)
- `cli`: `flask bop ...`; `demo`, `demo_history`: the demo BOPs and their months of visits;
  `demo_city`, `demo_city_words`, `demo_visits`: the demo grown into a city (`flask bop demo
  --city`), whose bulk generator also makes the benchmark's data sets
"""
