"""The results as open data: JSON (everything) and CSV (one row per figure). Pseudonyms
only; nothing hidden or pending."""

from __future__ import annotations

import io

from django.utils.html import strip_tags

from cooperative.exports import CsvWriter
from participation.results.selectors import ConsultationResults


def results_json(results: ConsultationResults, *, url: str) -> dict:
    page = results.consultation
    return {
        "consultation": {
            "id": page.pk,
            "title": page.title,
            "url": url,
            "organisation": page.organisation.name if page.organisation else None,
            "final_statement": strip_tags(page.results_summary or "").strip(),
        },
        "polls": [
            {
                "id": poll.pk,
                "question": poll.question,
                "kind": poll.kind,
                **{k: v for k, v in result.as_dict().items() if k not in ("poll", "kind")},
            }
            for poll, result in results.polls
        ],
        "proposals": [
            {
                "id": proposal.pk,
                "title": proposal.title,
                "status": proposal.status,
                "supports": proposal.support_count,
                "author": proposal.author.display_name if proposal.author else None,
                "submitted": proposal.created_at.isoformat(),
                "feedback": [
                    {
                        "status": feedback.status,
                        "organisation": feedback.organisation.name,
                        "text": feedback.text,
                        "given": feedback.created_at.isoformat(),
                    }
                    for feedback in proposal.feedback.all()
                ],
            }
            for proposal in results.proposals
        ],
    }


CSV_HEADER = ["section", "item_id", "item", "option_id", "option", "figure", "value"]


def results_csv(results: ConsultationResults) -> str:
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(CSV_HEADER)
    for poll, result in results.polls:
        writer.writerow(
            ["poll", poll.pk, poll.question, "", "", "participants", result.participants]
        )
        for option in result.options:
            base = ["poll", poll.pk, poll.question, option.choice_id, option.text]
            if result.kind == "ranking":
                writer.writerow([*base, "points", option.points])
            elif result.kind == "rating":
                writer.writerow(
                    [*base, "average_rating", option.average if option.average is not None else ""]
                )
                writer.writerow([*base, "ratings", option.votes])
            else:
                writer.writerow([*base, "votes", option.votes])
        if result.other:
            writer.writerow(["poll", poll.pk, poll.question, "", "other", "votes", result.other])
    for proposal in results.proposals:
        base = ["proposal", proposal.pk, proposal.title, "", ""]
        writer.writerow([*base, "status", proposal.status])
        writer.writerow([*base, "supports", proposal.support_count])
    return out.getvalue()
