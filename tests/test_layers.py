"""The app layers as an executable rule: the contracts of `.importlinter`, run with the suite.

Each app imports only the apps below it (lib < conf < jobs, audit < accounts < taxonomy < stories
< search < community < collections < news < moderation < importers < formats < legacy), `lib`
imports no app, and nothing imports `legacy`. import-linter reads every import, those inside
functions too, so a function-local import cannot hide an arrow running back up.

The second half proves the check can fail: the same contracts, run over a copy of the tree with
one upward import planted in it, must report that import.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*, cwd: Path, cache: bool = True) -> subprocess.CompletedProcess:
    """Run import-linter with the project's contracts over the `fabula` package found from cwd."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", *([] if cache else ["--no-cache"]), str(CONTRACTS)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_import_contract_is_kept():
    result = lint_imports(cwd=ROOT)
    assert result.returncode == 0, f"An import breaks the layers:\n{result.stdout}{result.stderr}"


def test_every_app_has_its_place_in_the_layers():
    """A new app must be placed among the layers, or the contract would not see it."""
    contracts = configparser.ConfigParser()
    contracts.read(CONTRACTS)
    layers = contracts["importlinter:contract:layers"]["layers"]
    placed = set(re.findall(r"fabula\.(\w+)", layers))
    apps = {path.parent.name for path in (ROOT / "fabula").glob("*/apps.py")}
    assert apps - placed == set(), "Apps missing from the layers of .importlinter"


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """The `fabula` package copied without what import-linter does not read."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "fabula",
        root / "fabula",
        ignore=shutil.ignore_patterns("templates", "static", "__pycache__", "*.pyc"),
    )
    return root


PLANTED = [
    pytest.param(
        "fabula/lib/words.py",
        "from fabula.stories.models import Story",
        ["fabula.lib is not allowed to import fabula.stories", "fabula.lib.words"],
        id="lib imports an app, inside a function",
    ),
    pytest.param(
        "fabula/accounts/models.py",
        "from fabula.community.models import Favourite",
        ["fabula.accounts is not allowed to import fabula.community", "fabula.accounts.models"],
        id="a lower app imports a higher one",
    ),
    pytest.param(
        "fabula/formats/registry.py",
        "from fabula.legacy import views",
        ["fabula.formats is not allowed to import fabula.legacy", "fabula.formats.registry"],
        id="an app imports legacy",
    ),
]


@pytest.mark.parametrize(("module", "statement", "reported"), PLANTED)
def test_an_upward_import_breaks_the_contracts(tree_copy, module, statement, reported):
    path = tree_copy / module
    kept = path.read_text()
    # Inside a function, where the habit of hiding imports puts them.
    path.write_text(f"{kept}\n\ndef _planted():\n    {statement}\n")
    try:
        result = lint_imports(cwd=tree_copy, cache=False)
    finally:
        path.write_text(kept)
    assert result.returncode == 1, result.stdout + result.stderr
    for text in reported:
        assert text in result.stdout, result.stdout
