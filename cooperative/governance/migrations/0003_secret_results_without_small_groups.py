"""Stored results of secret ballots lose their per-group counts where one of the groups
is too small or too uniform for a vote to stay secret (the rule of
`cooperative.governance.majority.group_count_disclosable`, copied here as it was when
this migration was written). The counts can still be worked out from the choice rows."""

from django.conf import settings
from django.db import migrations


def _disclosable(count: dict, min_voters: int) -> bool:
    votes = [int(count.get(choice, 0)) for choice in ("yes", "no", "abstain")]
    if sum(votes) == 0:
        return True
    if sum(votes) < min_voters:
        return False
    with_votes = [n for n in votes if n > 0]
    return len(with_votes) == 3 or (len(with_votes) == 2 and min(with_votes) >= 2)


def groups_disclosable(groups: dict, min_voters: int) -> bool:
    return all(_disclosable(count, min_voters) for count in groups.values())


def without_groups(result: dict) -> dict:
    kept = {k: v for k, v in result.items() if k not in ("groups", "groups_met")}
    kept["groups_withheld"] = True
    if result.get("groups_met"):
        kept["every_group_met"] = all(result["groups_met"].values())
    return kept


def withhold(apps, schema_editor):
    Ballot = apps.get_model("cooperative_governance", "Ballot")
    min_voters = int(getattr(settings, "GOVERNANCE_SECRET_GROUP_MIN_VOTERS", 5))
    for ballot in Ballot.objects.filter(secret=True, result__isnull=False):
        result = ballot.result
        if "groups" in result and not groups_disclosable(result["groups"] or {}, min_voters):
            ballot.result = without_groups(result)
            ballot.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperative_governance", "0002_rule_documents"),
    ]

    # Not reversible: the withheld counts are not kept anywhere but in the choice rows.
    operations = [migrations.RunPython(withhold, elidable=False)]
