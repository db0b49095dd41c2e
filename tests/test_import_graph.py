"""The direction of imports between apps (tests/import_graph.py, also run by `make lint`)."""

from pathlib import Path

from tests import import_graph


def test_every_import_between_apps_goes_down_the_layers():
    assert import_graph.problems(import_graph.edges()) == []


def _tree(root: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            if str(parent) != ".":
                (root / parent / "__init__.py").touch()
        path.write_text(text)
        paths.append(path)
    return paths


def test_a_cycle_and_an_import_against_the_layers_are_refused(tmp_path):
    files = _tree(
        tmp_path,
        {
            # two kinds importing each other, one of them inside a function
            "participation/comments/views.py": "from participation.proposals import models\n",
            "participation/proposals/models.py": (
                "def f():\n    from participation.comments.views import x\n"
            ),
            # the base importing a kind above it
            "participation/consultations/models.py": "import participation.polls.models\n",
            # cooperative importing participation
            "cooperative/audit/models.py": "from participation.live import hub\n",
            # downwards: fine
            "participation/polls/models.py": "from participation.consultations import models\n",
        },
    )
    found = import_graph.edges(tmp_path, files)
    messages = import_graph.problems(found)

    assert any("import cycle between apps: participation.comments" in m for m in messages)
    assert any(
        "participation/proposals/models.py:2: participation.proposals imports "
        "participation.comments, an app of its own layer" in m
        for m in messages
    )
    assert any(
        "participation.consultations imports participation.polls, an app of a layer above" in m
        for m in messages
    )
    assert any("cooperative.audit imports participation.live" in m for m in messages)
    assert not any("participation/polls/models.py" in m for m in messages)
    assert import_graph.function_level_count(found) == 1


def test_an_app_outside_the_layers_is_named(tmp_path):
    files = _tree(
        tmp_path, {"participation/federation/inbox.py": "from participation.live import hub\n"}
    )
    messages = import_graph.problems(import_graph.edges(tmp_path, files))
    assert messages == [
        "participation.federation: in no layer of tests/import_graph.py (add it where it sits)"
    ]
