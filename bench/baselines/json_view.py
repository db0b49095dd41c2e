"""Baseline for bench/api_read.py: a minimal Django JSON view (one small query, JsonResponse).

Served by daphne with Allmende's own settings (same database, same middleware) and this
module as the URLconf, so the comparison isolates what the API does beyond one query:
`DJANGO_SETTINGS_MODULE=bench.baselines.json_view daphne ... config.asgi:application`.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baselines.json_view_urls"
