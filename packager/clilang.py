"""The command line in the user's language: help, headings and click's own errors.

Click words its help and its errors in English at import time. Chinese is
our default, so before parsing, the language is read from the command line
(``--lang``) or ``PACKAGER_LANG``, and for Chinese every command's and
option's help is swapped for ``messages.cli``'s, the headings (用法, 选项,
命令) come from a formatter of ours, and a usage error is told in Chinese
with what to type.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from packager.messages import lang_key
from packager.messages.cli import ERRORS_ZH, HEADINGS_ZH, HELP_ZH


def language_of(argv: Sequence[str]) -> str:
    """The language asked for on the command line, else PACKAGER_LANG, else Chinese."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return lang_key(argv[i + 1])
        if arg.startswith("--lang="):
            return lang_key(arg.split("=", 1)[1])
    return lang_key(os.environ.get("PACKAGER_LANG", "zh"))


class _ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix=f"{HEADINGS_ZH['Usage']}：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS_ZH.get(heading, heading)}：\n")


class _ChineseContext(click.Context):
    formatter_class = _ChineseFormatter


def _help_for(command: str, param: str) -> str | None:
    return HELP_ZH.get(f"{command}.{param}") or HELP_ZH.get(f"*.{param}")


# The English each command was written with, kept the first time it is replaced.
_ENGLISH: dict[int, tuple[str | None, dict[str, str | None]]] = {}


def localize(group: click.Group, lang: str) -> None:
    """Word ``group``'s help in ``lang`` (English is how it is written, and comes back)."""
    commands: list[tuple[str, click.Command]] = [("", group), *group.commands.items()]
    for name, command in commands:
        context = click.Context(command, info_name=name or "packager")
        context.help_option_names = ["-h", "--help"]
        help_option = command.get_help_option(context)
        options = [p for p in command.params if isinstance(p, click.Option)]
        if help_option is not None:
            options.append(help_option)
        english = _ENGLISH.setdefault(
            id(command), (command.help, {p.name or "": p.help for p in options})
        )
        zh = lang == "zh"
        command.context_class = _ChineseContext if zh else click.Context
        command.help = HELP_ZH.get(name, english[0]) if zh else english[0]
        command.short_help = None
        for option in options:
            key = option.name or ""
            wanted = _help_for(name, "help" if option is help_option else key)
            option.help = wanted if zh and wanted else english[1].get(key)


def usage_error(exc: click.ClickException, lang: str) -> str:
    """What a wrong command line gets told, in ``lang``, with what to type."""
    if lang != "zh":
        return exc.format_message()
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "packager"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = (exc.param.name or "").upper()
        example = f"{path} inbox/wang" if name == "CASE_DIR" else f"{path} {name}"
        text = ERRORS_ZH["missing"].format(name=name, example=example)
    elif isinstance(exc, click.NoSuchOption):
        text = ERRORS_ZH["no_such_option"].format(name=exc.option_name)
    elif isinstance(exc, click.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else ""
        name = hint or (exc.param.name if exc.param is not None else "")
        text = ERRORS_ZH["bad_value"].format(name=name, detail=exc.message)
    elif isinstance(exc, click.UsageError) and exc.message.startswith("No such command"):
        wrong = exc.message.split("'")[1] if "'" in exc.message else exc.message
        group = ctx.command if ctx is not None else None
        names = "、".join(sorted(group.commands)) if isinstance(group, click.Group) else ""
        text = ERRORS_ZH["no_such_command"].format(name=wrong, commands=names)
    else:
        text = ERRORS_ZH["other"].format(detail=exc.format_message())
    return f"{text}\n{ERRORS_ZH['see_help'].format(command=path)}"
