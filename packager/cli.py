"""Command line: parse, call ``api``, print, and map outcomes to exit codes.

The only module that prints. ``--json`` puts the manifest alone on stdout;
everything meant for a person goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from packager import __version__, api
from packager.bundle import PROFILES
from packager.errors import ExitCode, PackagerError
from packager.messages import kind_title, lang_key, message
from packager.models import Kind, Outcome, Severity

err = Console(stderr=True, highlight=False, soft_wrap=True)

SEVERITY_NAMES = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="Message language: zh (Simplified Chinese, default) or en.",
    )(func)


def _lang(value: str | None) -> str:
    return value or lang_key(os.environ.get("PACKAGER_LANG", "zh"))


@contextmanager
def _progress(enabled: bool, lang: str) -> Iterator[api.Progress | None]:
    if not enabled or not err.is_terminal:
        yield None
        return
    label = "处理页面" if lang == "zh" else "Reading pages"
    with Progress(
        TextColumn(f"{label} [dim]{{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)

        yield update


def _summary(outcome: Outcome, lang: str) -> None:
    zh = lang == "zh"
    manifest = outcome.manifest
    if outcome.complete:
        err.print("[bold green]✔ " + ("材料齐全" if zh else "Packet complete"))
    else:
        err.print(
            "[bold red]✘ "
            + (
                "材料不全：已生成草稿，每页标有“草稿 · 材料不全”"
                if zh
                else "Packet incomplete: written as a draft"
            )
        )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("材料" if zh else "Kind")
    table.add_column("份数" if zh else "Documents", justify="right")
    table.add_column("页数" if zh else "Pages", justify="right")
    sources = manifest.get("sources")
    if not isinstance(sources, list):
        sources = []
    for kind in Kind:
        docs = [s for s in sources if s.get("kind") == kind.value and s.get("status") == "ok"]
        if docs:
            table.add_row(
                kind_title(kind, lang),
                str(len(docs)),
                str(sum(int(d.get("pages") or 0) for d in docs)),
            )
    err.print(table)
    names = SEVERITY_NAMES[lang]
    counts = {s: sum(1 for f in outcome.findings if f.severity is s) for s in Severity}
    err.print(
        ("发现：" if zh else "Findings: ") + " · ".join(f"{names[s]} {counts[s]}" for s in Severity)
    )
    for finding in sorted(outcome.findings, key=lambda f: list(Severity).index(f.severity)):
        style = SEVERITY_STYLE[finding.severity]
        err.print(f"  [{style}]{names[finding.severity]}[/] {message(finding, lang)}")
    if outcome.out_dir is None:
        return
    images = [o for o in outcome.outputs if o.path.startswith("images/")]
    for out in outcome.outputs:
        if out not in images:
            err.print(("输出：" if zh else "Output: ") + str(outcome.out_dir / out.path))
    if images:
        folder = outcome.out_dir / "images"
        err.print(
            f"输出：{folder}/（每页一张图片，共 {len(images)} 张）"
            if zh
            else f"Output: {folder}/ ({len(images)} page images)"
        )


def _finish(outcome: Outcome, as_json: bool, lang: str) -> int:
    if as_json:
        click.echo(json.dumps(outcome.manifest, ensure_ascii=False, indent=2))
    else:
        _summary(outcome, lang)
    return int(ExitCode.OK if outcome.complete else ExitCode.INCOMPLETE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="packager")
def cli() -> None:
    """Turn a case folder of scans into a 逾期还款协商 packet (offline)."""


def _profiles(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    unknown = [n for n in names if n not in PROFILES]
    if unknown or not names:
        raise click.BadParameter(
            f"未知的输出方式 {', '.join(unknown) or '（空）'}；可选 upload、mail。"
            f" Unknown profile {', '.join(unknown) or '(none)'}; choose from upload, mail."
        )
    return names


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output root; the packet goes to OUT/<case>/ (default: out/ beside inbox/).",
)
@click.option(
    "--profile",
    default="upload",
    show_default=True,
    callback=_profiles,
    help="Comma-separated output profiles: upload (size-capped PDF + page images), "
    "mail (print-ready packet with cover sheet).",
)
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Upload size cap in MB (1 MB = 1,000,000 bytes); overrides case.toml "
    "[output] upload_max_mb (default 10).",
)
@click.option("--gray", is_flag=True, help="Upload bundle in greyscale (smaller; seals lose red).")
@click.option(
    "--duplex", is_flag=True, help="Mail packet: blank pages so each document starts on a front."
)
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON on stdout.")
@_lang_option
def build(
    case_dir: Path,
    out: Path | None,
    profile: tuple[str, ...],
    max_mb: float | None,
    gray: bool,
    duplex: bool,
    as_json: bool,
    lang: str | None,
) -> None:
    """Build the packet for CASE_DIR into OUT/<case>/ (exit 5 when incomplete)."""
    language = _lang(lang)
    with _progress(not as_json, language) as progress:
        settings = api.Settings(
            lang=language,
            today=date.today(),
            progress=progress,
            profiles=profile,
            max_mb=max_mb,
            gray=gray,
            duplex=duplex,
        )
        outcome = api.build_case(case_dir, out, settings)
    sys.exit(_finish(outcome, as_json, language))


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON on stdout.")
@_lang_option
def check(case_dir: Path, as_json: bool, lang: str | None) -> None:
    """Classify and check CASE_DIR without writing anything (exit 5 when incomplete)."""
    language = _lang(lang)
    outcome = api.check_case(case_dir, api.Settings(lang=language))
    sys.exit(_finish(outcome, as_json, language))


@cli.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output root; the demo goes to OUT/demo/.",
)
@_lang_option
def demo(out: Path, lang: str | None) -> None:
    """Build the bundled example case (a fictional person) into OUT/demo/."""
    from packager.demo import write_demo_case

    language = _lang(lang)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="packager-demo-") as tmp:
        case_dir = write_demo_case(Path(tmp) / "demo", today)
        settings = api.Settings(lang=language, today=today, profiles=("upload", "mail"))
        outcome = api.build_case(case_dir, out, settings)
    _summary(outcome, language)
    if outcome.out_dir is not None and outcome.outputs:
        click.echo(str((outcome.out_dir / outcome.outputs[0].path).resolve()))
    sys.exit(int(ExitCode.OK))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into a documented exit code."""
    try:
        cli.main(args=argv, prog_name="packager", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(int(ExitCode.USAGE))
    except click.exceptions.Abort:
        sys.exit(int(ExitCode.INTERRUPTED))
    except PackagerError as exc:
        err.print(f"[bold red]✘[/] {exc.message}")
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as exc:
        if os.environ.get("PACKAGER_DEBUG"):
            raise
        err.print(
            f"[bold red]✘ 内部错误 / internal error:[/] {type(exc).__name__}: {exc}\n"
            "请设置 PACKAGER_DEBUG=1 重新运行并报告此问题。"
            "Run again with PACKAGER_DEBUG=1 and report it."
        )
        sys.exit(int(ExitCode.INTERNAL))
    sys.exit(int(ExitCode.OK))
