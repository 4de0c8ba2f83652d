"""The tree shows the pipeline: sides that never reach back, no cycles, small modules.

These tests read the source, not the running program, so an import hidden in
a function or behind ``TYPE_CHECKING`` counts like any other.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import click
import pytest

import packager
from packager.cli import cli
from packager.errors import ExitCode

ROOT = Path(packager.__file__).parent
README = ROOT.parent / "README.md"
# The command reference (issue 23: README is for newcomers).
CLI_DOC = ROOT.parent / "docs" / "cli.md"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    base = ROOT.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    """Module -> the packager modules it imports, anywhere in its code."""
    graph: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        name = _module_name(path)
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] != "packager":
                    continue
                subs = [f"{node.module}.{a.name}" for a in node.names]
                named_modules = [s for s in subs if _is_module(s)]
                deps.update(named_modules)
                if len(named_modules) < len(subs):  # names defined in node.module itself
                    deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.split(".")[0] == "packager")
        deps.discard(name)
        graph[name] = deps
    return graph


def test_no_import_cycle() -> None:
    """This test ensures no module imports itself through others (issue 10: api and report
    imported each other behind TYPE_CHECKING). The package facade ``packager/__init__`` only
    names the public API for type checkers and loads it lazily, so it is not a node."""
    graph = {m: deps - {"packager"} for m, deps in _graph().items() if m != "packager"}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


@pytest.mark.parametrize(
    ("side", "never"),
    [
        ("packager.read", ("packager.write", "packager.watch", "packager.api", "packager.cli")),
        ("packager.write", ("packager.watch", "packager.api", "packager.cli")),
        ("packager.messages", ("packager.read", "packager.write", "packager.watch")),
    ],
)
def test_sides_never_reach_back(side: str, never: tuple[str, ...]) -> None:
    """This test ensures the read side never imports the write side or an edge, and the write
    side no edge: ``check`` needs only the read side, and the edges call only the api."""
    offenders = {
        f"{module} -> {dep}"
        for module, deps in _graph().items()
        if module == side or module.startswith(side + ".")
        for dep in deps
        if dep.startswith(never)
    }
    assert not offenders


def test_only_edges_call_the_api() -> None:
    """This test ensures the runner is called by the edges only (cli, the watcher's child,
    the web page)."""
    callers = {m for m, deps in _graph().items() if "packager.api" in deps}
    assert callers <= {"packager", "packager.cli", "packager.watch.handler"} | {
        m for m in callers if m.startswith("packager.web.")
    }


def test_no_module_over_limit() -> None:
    """This test ensures every module stays small enough to read in one sitting."""
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in ROOT.rglob("*.py")
    }
    assert {p: n for p, n in sizes.items() if n > MAX_LINES} == {}


def test_public_api_is_all() -> None:
    """This test ensures every name in ``packager.__all__`` resolves to the real object."""
    for name in packager.__all__:
        assert getattr(packager, name) is not None
    assert packager.build_case.__module__ == "packager.api"
    assert packager.ExitCode is ExitCode


def test_reference_lists_every_command_and_option() -> None:
    """This test ensures docs/cli.md's command table names every CLI command and each of its
    options, and no command the CLI does not have."""
    text = CLI_DOC.read_text(encoding="utf-8")
    table = text[text.index("## Commands") :].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `packager ")]
    listed = {re.match(r"\| `packager (\w+)", row).group(1): row for row in rows}  # type: ignore[union-attr]
    assert set(listed) == set(cli.commands)
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                flag = max(param.opts, key=len)
                assert flag in listed[name], f"{name}: {flag} missing from docs/cli.md"


def test_reference_exit_codes_match() -> None:
    """This test ensures docs/cli.md's exit-code line has exactly the codes the CLI uses."""
    text = CLI_DOC.read_text(encoding="utf-8")
    line = text[text.index("## Exit codes") :].split("\n\n", 2)[1]
    documented = {int(n) for n in re.findall(r"(?:^|·)\s*(\d+) ", line)}
    assert documented == {int(c) for c in ExitCode}


def test_readme_is_for_a_newcomer() -> None:
    """This test ensures the README stays short enough for a newcomer (issue 23), opens with
    the web page in its quick start, and links every reference page in docs/."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    quick = text[text.index("## Quick start") :].split("\n## ", 1)[0]
    assert "packager serve" in quick
    for doc in sorted((ROOT.parent / "docs").glob("*.md")):
        assert f"docs/{doc.name}" in text, f"README does not link docs/{doc.name}"


# What the repository's root may hold (issue 23: a render named ``-.png`` had been
# committed there). Folders and files a checkout carries; tools' caches are ignored.
ROOT_ENTRIES = frozenset(
    {
        ".ci",
        ".gitignore",
        "Makefile",
        "README.md",
        "pyproject.toml",
        "benchmarks",
        "contrib",
        "docs",
        "inbox",
        "out",
        "packager",
        "scripts",
        "tests",
    }
)


def test_repository_root_holds_only_the_expected_files() -> None:
    """This test ensures the repository's root holds only its known files and folders, tracked
    or waiting to be added (a stray render like ``-.png`` fails it; ignored caches do not)."""
    import shutil
    import subprocess

    top = ROOT.parent
    if shutil.which("git") is None or not (top / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=top,
        capture_output=True,
        check=True,
    ).stdout
    entries = {os.fsdecode(p).split("/", 1)[0] for p in listed.split(b"\0") if p}
    deleted = subprocess.run(
        ["git", "ls-files", "-z", "--deleted"], cwd=top, capture_output=True, check=True
    ).stdout
    entries -= {os.fsdecode(p) for p in deleted.split(b"\0") if p and b"/" not in p}
    assert entries <= ROOT_ENTRIES, sorted(entries - ROOT_ENTRIES)


def test_letter_and_statement_share_one_page_stylesheet() -> None:
    """This test ensures the page rules of the letter and 支出明细 (A4 size, margins, body type)
    live once, in templates/page.css, which the renderer puts under each of them, and that
    neither document's own sheet repeats them (issue 23: expenses.css copied letter.css's)."""
    from packager.write import render

    templates = ROOT / "templates"
    shared = (templates / "page.css").read_text(encoding="utf-8")
    assert "@page" in shared and "margin: 37mm 26mm 35mm 28mm" in shared
    assert {"letter.html", "expenses.html"} <= render.ON_THE_PAGE
    for own in ("letter.css", "expenses.css"):
        text = (templates / own).read_text(encoding="utf-8")
        assert "@page" not in text and "font-size: 16pt; line-height: 28pt" not in text, own
        assert not re.search(r"^html\s*\{", text, re.M), own
