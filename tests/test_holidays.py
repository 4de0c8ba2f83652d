"""holidays.toml: a year's 放假/调休 days added by hand, counted ahead of chinese_calendar."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from packager import api
from packager import cli as cli_module
from packager.cli import main
from packager.errors import ConfigError, ExitCode
from packager.read.holidays import load_overrides, parse_holidays
from packager.read.workdays import CALENDAR, WEEKDAYS, review_window
from tests.conftest import GOOD_TOML

# A made-up arrangement for 2099 (no calendar knows that year): Thu 1 – Wed 7 Jan and Mon 12
# Jan off, Sat 10 Jan worked (调休).
MADE_UP = """
[2099]
source = "虚构的通知，仅供测试"
off = ["2099-01-01 至 2099-01-07", 2099-01-12]
work = ["2099-01-10"]
"""


def test_a_covered_year_is_counted_exactly_not_estimated() -> None:
    """This test ensures a year in the holidays file is counted from it (days off skipped, the
    make-up Sunday worked) and is not marked 估算, while the same dates without it are."""
    override = parse_holidays(MADE_UP, "inbox/holidays.toml")
    start = date(2098, 12, 31)  # a Wednesday
    plain = review_window(start)
    assert plain.estimated and plain.sources == (WEEKDAYS,)
    window = review_window(start, overrides=(override,))
    # Working days: Thu 8, Fri 9, Sat 10 (调休), Tue 13 (Mon 12 off), 14, 15, 16 -> 7th: 16 Jan.
    assert window.earliest == date(2099, 1, 16)
    assert plain.earliest == date(2099, 1, 9)  # Mon–Fri from 1 Jan, as an estimate
    assert not window.estimated
    assert [s.kind for s in window.sources] == ["file"]
    assert window.sources[0].detail == "inbox/holidays.toml"


def test_sources_are_named_per_year() -> None:
    """This test ensures a window across a year end names each source it used: the calendar
    for 2026 and the file for the year it covers."""
    text = MADE_UP.replace("2099", "2027")
    window = review_window(date(2026, 12, 20), overrides=(parse_holidays(text, "x/holidays.toml"),))
    assert window.sources[0] == CALENDAR and CALENDAR.detail.startswith("chinese_calendar ")
    assert window.sources[-1].kind == "file" and not window.estimated


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[2099]\noff = ["2099-02-30"]\n', "“2099-02-30”不是有效日期"),
        (
            '[2099]\noff = ["2099-01-04"]\nwork = ["2099-01-04"]\n',
            "2099-01-04 既写在 off（放假）里",
        ),
        ('[2099]\noff = ["2098-12-31"]\n', "2098-12-31，不是 2099 年的日子"),
        ('[2099]\noff = ["2099-01-07 至 2099-01-01"]\n', "起止日期不对"),
        ('[2099]\nholiday = ["2099-01-01"]\n', "不认识 holiday"),
        ('[next]\noff = ["2099-01-01"]\n', "[next] 不是年份"),
        ('[2099]\noff = "2099-01-01"\n', "应该是一组日期"),
        ("[2099]\noff = [2099-01-01\n", "格式不对"),
    ],
)
def test_mistakes_are_worded_in_chinese(text: str, said: str) -> None:
    """This test ensures each mistake in holidays.toml stops with a Chinese sentence naming the
    file and what to write, and English after it."""
    with pytest.raises(ConfigError) as err:
        parse_holidays(text, "inbox/holidays.toml")
    zh, en = str(err.value.message).split("\n", 1)
    assert "inbox/holidays.toml" in zh and said in zh
    assert "inbox/holidays.toml" in en
    assert err.value.exit_code is ExitCode.CONFIG


def test_shipped_file_is_an_example_only() -> None:
    """This test ensures packager ships no year it does not know authoritatively: its own
    holidays.toml parses, covers no year, and so adds no source."""
    assert load_overrides(Path("/nonexistent/case")) == ()


def _case(tmp_path: Path, holidays: str | None) -> Path:
    case = tmp_path / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    if holidays is not None:
        (tmp_path / "inbox" / "holidays.toml").write_text(holidays, encoding="utf-8")
    return case


def test_check_says_where_the_dates_came_from(tmp_path: Path) -> None:
    """This test ensures check with inbox/holidays.toml counts 2099 from it, prints the source
    on the terminal and records it in the manifest; the case folder is not touched."""
    case = _case(tmp_path, MADE_UP)
    before = sorted(p.name for p in case.rglob("*"))
    settings = api.Settings(today=date(2098, 12, 31))
    outcome = api.check_case(case, settings)
    review = outcome.manifest["review_window"]
    assert review["from"] == "2099-01-16" and review["from_estimated"] is False
    assert review["sources"] == [{"kind": "file", "detail": "inbox/holidays.toml"}]
    assert sorted(p.name for p in case.rglob("*")) == before


class _Day(date):
    """``date`` whose today() is the last day of 2098, for the CLI."""

    @classmethod
    def today(cls) -> _Day:
        return cls(2098, 12, 31)


def _check(case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(cli_module, "date", _Day)
    with pytest.raises(SystemExit) as done:
        main(["check", str(case)])
    return done.value.code, capsys.readouterr().err


def test_terminal_names_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures `packager check` prints the review dates with their source: the
    holidays file for 2099, and no 估算 mark."""
    code, said = _check(_case(tmp_path, MADE_UP), monkeypatch, capsys)
    assert code in (0, 5)
    flat = "".join(said.split())
    assert "2099年1月16日" in flat and "估算" not in flat
    assert "日期依据：放假安排文件inbox/holidays.toml" in flat


def test_a_bad_holidays_file_stops_check_with_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures `packager check` refuses a holidays file with a day both off and
    worked: exit 3 and the Chinese sentence on the terminal."""
    case = _case(tmp_path, '[2099]\noff = ["2099-01-04"]\nwork = ["2099-01-04"]\n')
    code, said = _check(case, monkeypatch, capsys)
    assert code == ExitCode.CONFIG
    flat = "".join(said.split())
    assert "inbox/holidays.toml" in flat and "既写在off（放假）里" in flat


def test_calendar_source_is_named_without_a_file(tmp_path: Path) -> None:
    """This test ensures an ordinary check names chinese_calendar and its version as the
    source of the dates, in the manifest and in words."""
    case = _case(tmp_path, None)
    outcome = api.check_case(case, api.Settings(today=date(2026, 11, 2)))
    review = outcome.manifest["review_window"]
    assert review["sources"] == [{"kind": "calendar", "detail": CALENDAR.detail}]
    assert json.dumps(review, ensure_ascii=False).count("chinese_calendar") == 1
