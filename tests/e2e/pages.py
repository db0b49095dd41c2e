"""The public pages the browser tests visit."""

OPEN_CONSULTATION = "/musterstadt/radverkehr-2030/"
FINISHED_CONSULTATION = "/musterstadt/spielplatz-lindenpark/"
# Only the presence test opens this one, so nobody else is counted as a reader.
PRESENCE_CONSULTATION = "/gruener-ring/baumpatenschaften/"

PUBLIC_PAGES = [
    "/",
    "/beteiligungen/",
    OPEN_CONSULTATION,
    FINISHED_CONSULTATION,
    "/konto/login/",
    "/konto/signup/",
    "/en/",
    "/en/beteiligungen/",
    f"/en{OPEN_CONSULTATION}",
    "/en/konto/login/",
    "/en/konto/signup/",
    "/leichte-sprache/",
    "/gebaerdensprache/",
    "/barrierefreiheit/",
    "/en/leichte-sprache/",
    "/en/barrierefreiheit/",
    "/offene-daten/",
]
