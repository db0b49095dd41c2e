from django_tasks import task

from cooperative.governance import services


@task()
def ballot_tally_task(*, ballot_id: int) -> str:
    """Count a closed ballot, publish its result and minutes, enact what was adopted."""
    return services.ballot_tally(ballot=ballot_id).state


@task()
def rule_versions_activate_task() -> int:
    return services.rule_versions_activate()


@task()
def governance_advance_task() -> dict[str, int]:
    return services.governance_advance()
