"""Which details an audit event may publish, with the label the public log shows for each.

`audit_record` refuses a public detail that is not listed here, so that nothing reaches
the public log by accident: a new public detail is a decision (and a label), anything
else belongs in `private`. None of these names a person in a way the public may not
know (a mandate's holder is public by design) or says how anyone voted.
"""

from django.utils.translation import gettext_lazy as _

PUBLIC_FIELDS = {
    # membership
    "member_group": _("member group"),
    # rules and motions
    "document": _("rule document"),
    "version": _("version"),
    "in_force_from": _("in force from"),
    "motion": _("motion"),
    "amends": _("amendment to"),
    "amendment": _("amendment"),
    "title": _("title"),
    "supporters": _("supporting members"),
    "text_sha256": _("SHA-256 of the text"),
    # ballots
    "ballot": _("ballot"),
    "state": _("state"),
    "from": _("from state"),
    "to": _("to state"),
    "opens_at": _("opens"),
    "closes_at": _("closes"),
    "majority": _("majority"),
    "quorum_percent": _("quorum (%)"),
    "majority_in_every_group": _("majority in every member group"),
    "secret": _("secret ballot"),
    "eligible": _("eligible members"),
    "participants": _("participants"),
    "adopted": _("adopted"),
    "quorum_met": _("quorum reached"),
    "majority_met": _("majority reached"),
    "total": _("votes"),
    "groups": _("votes per member group"),
    "groups_met": _("majority per member group"),
    "groups_withheld": _("results per member group withheld"),
    "every_group_met": _("majority reached in every member group"),
    # mandates
    "holder": _("holder"),
    "holder_kind": _("kind of holder"),
    "scope": _("scope"),
    "scope_organisation": _("organisation"),
    "scope_tag": _("topic tag"),
    "valid_from": _("valid from"),
    "valid_until": _("valid until"),
    # moderation (participation/moderation)
    "puid": _("decision"),
    "decision": _("decision"),
    "target": _("kind of content"),
    "ground": _("ground"),
    "ground_type": _("kind of ground"),
    "clause": _("clause"),
    "legal_ground": _("legal ground"),
    "rule_version": _("rule version"),
    "source": _("source"),
    "automated": _("automated"),
    "outcome": _("outcome"),
    # calm mode (participation/guard)
    "consultation": _("consultation"),
    "automatic": _("automatic"),
    "slow_mode_minutes": _("slow mode (minutes)"),
    "young_account_days": _("young accounts (days)"),
    "surge_alert": _("surge alert"),
    # the log itself
    "previous_head": _("last hash of the earlier chain"),
    "previous_chain_intact": _("earlier chain intact"),
    "previous_chain_broken_at": _("earlier chain broken at event"),
    "events": _("events"),
}


# How some public values read on the page (the stored value stays as it is, in the chain).
PUBLIC_VALUES = {
    ("ground", "rule"): _("a rule (netiquette)"),
    ("ground", "legal"): _("the law"),
    ("ground_type", "rule"): _("a rule (netiquette)"),
    ("ground_type", "legal"): _("the law"),
    ("target", "beitrag"): _("contribution"),
    ("target", "vorschlag"): _("proposal"),
    ("target", "option"): _("poll option"),
    ("target", "anzeigename"): _("display name"),
    ("target", "beteiligung"): _("consultation"),
    ("source", "notice"): _("a notice"),
    ("source", "own_initiative"): _("own initiative"),
    ("source", "appeal"): _("an appeal"),
    ("source", "automated"): _("automated detection"),
    ("automated", "not"): _("no"),
    ("automated", "partially"): _("partially"),
    ("automated", "fully"): _("fully"),
}
