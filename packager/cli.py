"""Command line: parse, call ``api``, print, and map outcomes to exit codes.

The only module that prints. ``--json`` puts the manifest alone on stdout;
everything meant for a person goes to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import click
from rich.markup import escape

from packager import __version__, api, clilang, invocation, terminal
from packager import clioptions as opts
from packager.errors import ExitCode, PackagerError
from packager.invocation import quoted
from packager.messages import (
    both,
    text,
)
from packager.models import Outcome


def _finish(outcome: Outcome, as_json: bool, lang: str) -> int:
    if as_json:
        click.echo(json.dumps(outcome.manifest, ensure_ascii=False, indent=2))
    else:
        terminal.summary(outcome, lang)
    return int(ExitCode.OK if outcome.complete else ExitCode.INCOMPLETE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="packager")
def cli() -> None:
    """Turn a case folder of scans into a 逾期还款协商 packet (offline)."""


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@opts.out_option
@click.option(
    "--profile",
    default="upload",
    show_default=True,
    callback=lambda _ctx, _param, value: opts.profiles(value),
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
@opts.ocr_option
@opts.clean_option
@opts.reread_option
@opts.lang_option
def build(
    case_dir: Path,
    out: Path | None,
    profile: tuple[str, ...],
    max_mb: float | None,
    gray: bool,
    duplex: bool,
    as_json: bool,
    no_ocr: bool,
    no_clean: bool,
    reread: bool,
    lang: str | None,
) -> None:
    """Build the packet for CASE_DIR into OUT/<case>/ (exit 5 when incomplete)."""
    language = opts.lang(lang)
    with (
        api.page_cache(case_dir, out, reread) as cache,
        terminal.progress(not as_json, language) as progress,
    ):
        settings = api.Settings(
            cache=cache,
            lang=language,
            today=date.today(),
            progress=progress,
            profiles=profile,
            max_mb=max_mb,
            gray=gray,
            duplex=duplex,
            ocr=opts.ocr(no_ocr),
            clean=opts.clean(no_clean),
        )
        outcome = api.build_case(case_dir, out, settings)
    sys.exit(_finish(outcome, as_json, language))


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@click.option(
    "--profile",
    default="upload",
    show_default=True,
    help="Check for these output profiles: upload, mail (mail needs both addresses).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON on stdout.")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output root whose page cache (OUT/.cache) a check reads and fills, as build "
    "does (default: out/ beside inbox/).",
)
@opts.ocr_option
@opts.clean_option
@opts.reread_option
@opts.lang_option
def check(
    case_dir: Path,
    profile: str,
    as_json: bool,
    out: Path | None,
    no_ocr: bool,
    no_clean: bool,
    reread: bool,
    lang: str | None,
) -> None:
    """Classify and check CASE_DIR, writing nothing but OUT/.cache (exit 5 when incomplete)."""
    language = opts.lang(lang)
    profiles = opts.profiles(profile)
    with (
        api.page_cache(case_dir, out, reread) as cache,
        terminal.progress(not as_json, language) as progress,
    ):
        settings = api.Settings(
            cache=cache,
            lang=language,
            today=date.today(),
            progress=progress,
            profiles=profiles,
            ocr=opts.ocr(no_ocr),
            clean=opts.clean(no_clean),
        )
        outcome = api.check_case(case_dir, settings)
    sys.exit(_finish(outcome, as_json, language))


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@click.option(
    "--example",
    is_flag=True,
    help="A filled-in example case (a fictional person) to copy from, instead of an empty one.",
)
@opts.lang_option
def init(case_dir: Path, example: bool, lang: str | None) -> None:
    """Create CASE_DIR with a commented case.toml, kind folders and 使用说明.txt."""
    from packager.scaffold import init_case, init_example

    language = opts.lang(lang)
    if example:
        init_example(case_dir, date.today(), language)
        terminal.err.print(escape(text("example_done", language, folder=quoted(case_dir))))
        sys.exit(int(ExitCode.OK))
    for path in init_case(case_dir, language):
        terminal.err.print(f"  [green]+[/] {escape(str(path))}{'/' if path.is_dir() else ''}")
    terminal.err.print(escape(text("init_done", language, folder=quoted(case_dir))))
    _next_steps((), language)
    sys.exit(int(ExitCode.OK))


@cli.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output root; the demo goes to OUT/demo/.",
)
@opts.lang_option
def demo(out: Path, lang: str | None) -> None:
    """Build the bundled example case (a fictional person) into OUT/demo/."""
    from packager.demo import write_demo_case

    language = opts.lang(lang)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="packager-demo-") as tmp:
        case_dir = write_demo_case(Path(tmp) / "demo", today)
        settings = api.Settings(lang=language, today=today, profiles=("upload", "mail"))
        outcome = api.build_case(case_dir, out, settings)
    terminal.summary(outcome, language)
    if outcome.out_dir is not None and outcome.outputs:
        click.echo(str((outcome.out_dir / outcome.outputs[0].path).resolve()))
    _next_steps(("demo_next",), language)
    sys.exit(int(ExitCode.OK))


def _next_steps(keys: tuple[str, ...], lang: str) -> None:
    """What to type next, as it runs from here; how to get a plain ``packager`` if it does not."""
    for key in keys:
        terminal.err.print(escape(text(key, lang)))
    if invocation.command() != invocation.NAME:
        terminal.err.print(escape(text("install_hint", lang)))


@cli.command()
@click.argument("inbox", type=click.Path(path_type=Path), default=Path("inbox"), required=False)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output root; each case goes to OUT/<case>/ (must not be inside INBOX).",
)
@click.option(
    "--polling", is_flag=True, help="Poll instead of OS events (automatic on NFS/SMB/FUSE)."
)
@click.option("--once", is_flag=True, help="Build every case that is out of date, then exit.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event on stdout.")
@click.option(
    "--settle",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds a case must stay unchanged before it is built.",
)
@click.option(
    "--rescan",
    type=click.FloatRange(min=1.0),
    default=60.0,
    show_default=True,
    help="Seconds between full rescans (the safety net for lost events).",
)
@opts.ocr_option
@opts.clean_option
@opts.lang_option
def watch(
    inbox: Path,
    out: Path,
    polling: bool,
    once: bool,
    as_json: bool,
    settle: float,
    rescan: float,
    no_ocr: bool,
    no_clean: bool,
    lang: str | None,
) -> None:
    """Watch INBOX (default ./inbox): each sub-folder is a case, rebuilt into OUT when it changes."""
    from packager.watch import loop as watching

    language = opts.lang(lang)

    def emit(event: watching.WatchEvent) -> None:
        if as_json:
            click.echo(json.dumps(event.to_json(), ensure_ascii=False))
            return
        line = watching.describe(event, language)
        if line is not None:
            click.echo(line, err=True)

    config = watching.WatchConfig(
        inbox=inbox,
        out=out,
        polling=polling,
        once=once,
        settle=settle,
        rescan=rescan,
        lang=language,
        ocr=opts.ocr(no_ocr),
        clean=opts.clean(no_clean),
    )
    sys.exit(watching.run(config, emit))


@cli.command()
@click.argument("inbox", type=click.Path(path_type=Path), default=Path("inbox"), required=False)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output root; each case is built into OUT/<case>/.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address to bind.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option(
    "--lan",
    is_flag=True,
    help="Serve the local network too (a phone on the same Wi-Fi): URL with a secret token + QR code.",
)
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@opts.lang_option
def serve(
    inbox: Path, out: Path, host: str, port: int, lan: bool, no_browser: bool, lang: str | None
) -> None:
    """A local web page for INBOX (default ./inbox): cases, interview, uploads, build, downloads."""
    from packager.web.server import serve as run

    def announce(line: str, lan_url: str | None) -> None:
        click.echo(line, err=True)
        if lan_url:
            import segno

            segno.make(lan_url, error="m").terminal(out=sys.stderr, compact=True)

    run(inbox, out, host, port, lan, not no_browser, opts.lang(lang), announce)
    sys.exit(int(ExitCode.OK))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into a documented exit code."""
    # pypdf logs its repairs of damaged PDFs; the user gets a finding instead.
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    if argv is None:  # a real run (tests pass argv): print commands as the person typed them
        invocation.set_command(invocation.detect(sys.argv[0]))
    language = clilang.language_of(sys.argv[1:] if argv is None else argv)
    clilang.localize(cli, language)
    try:
        cli.main(args=argv, prog_name="packager", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(clilang.usage_error(exc, language), err=True)
        sys.exit(int(ExitCode.USAGE))
    except click.exceptions.Abort:
        sys.exit(int(ExitCode.INTERRUPTED))
    except PackagerError as exc:
        terminal.err.print(f"[bold red]✘[/] {escape(exc.message)}")
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as exc:
        if os.environ.get("PACKAGER_DEBUG"):
            raise
        terminal.err.print(
            f"[bold red]✘[/] {escape(both('INTERNAL', error=f'{type(exc).__name__}: {exc}'))}"
        )
        sys.exit(int(ExitCode.INTERNAL))
    sys.exit(int(ExitCode.OK))
