"""The transparency report's bar charts: readable HTML labels and bars in proportion (they
had turned into black blocks once the polls' chart, whose styles they share, became HTML)."""

from bs4 import BeautifulSoup
from django.template.loader import render_to_string


def test_bars_are_in_proportion_with_html_labels():
    chart = {
        "bars": [
            {"label": "Ausblenden", "length": 300, "value": "6"},
            {"label": "Entfernen", "length": 150, "value": "3"},
        ],
        "bar_width": 300,
        "description": "Ausblenden: 6, Entfernen: 3",
    }

    soup = BeautifulSoup(
        render_to_string(
            "participation_moderation/transparency_chart.html",
            {"chart": chart, "chart_id": "chart-action", "caption": "Entscheidungen"},
        ),
        "html.parser",
    )

    rows = soup.select(".poll-chart__row")
    assert [row.select_one(".poll-chart__label").get_text(strip=True) for row in rows] == [
        "Ausblenden",
        "Entfernen",
    ]
    assert [row.select_one(".poll-chart__fill")["width"] for row in rows] == ["100", "50"]
    assert [row.select_one(".poll-chart__value").get_text(strip=True) for row in rows] == ["6", "3"]
    assert soup.select_one("text") is None  # no text inside the scaled SVG
    labelled_by = soup.select_one("[role=img]")["aria-labelledby"]
    assert labelled_by == "chart-action-caption chart-action-desc"
