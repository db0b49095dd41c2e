"""Baseline for bench/vote_throughput.py: a bare Django view doing one insert.

Served by daphne with Allmende's own settings (same database, same middleware) and this
module as the URLconf, so the comparison isolates what a vote does beyond one insert:
`DJANGO_SETTINGS_MODULE=bench.baselines.bare_insert daphne ... config.asgi:application`.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baselines.bare_insert_urls"
