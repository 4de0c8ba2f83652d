"""After the packet is sent: where the case stands, the agreed schedule, its calendar file.

Pure functions here (fast); the build that writes the follow-up letter and
the schedule's page, CSV and .ics is in test_aftercare_build.py (slow).
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from packager.errors import ConfigError
from packager.messages import message
from packager.models import Severity
from packager.read.casefile import Agreement, parse_case
from packager.read.holidays import parse_holidays
from packager.read.schedule import agreement_findings, build_schedule, due_days, split_fen, to_fen
from packager.read.standing import aftercare, standing, standing_findings
from packager.write.aftercare import calendar_events, schedule_csv
from packager.write.ical import calendar_bytes, fold
from tests.conftest import GOOD_TOML

AGREED = """
[agreement]
date = 2026-12-20
plan = "分期"
total = 7600
installments = 12
first_due = 2027-01-31
reference = "协商编号 XY20261220"
"""


def case_with(extra: str) -> object:
    return parse_case((GOOD_TOML + extra).encode())


# --- case.toml ---------------------------------------------------------------


def test_submission_and_agreement_parse_with_chinese_words() -> None:
    case = parse_case(
        (
            GOOD_TOML
            + '[submission]\ndate = "2026年11月30日"\nchannel = "邮寄"\ntracking = "EA123456789CN"\n'
            + AGREED
        ).encode()
    )
    assert case.submission.channel is not None and case.submission.channel.value == "mail"
    assert case.submission.date == date(2026, 11, 30)
    assert case.agreement.plan is not None and case.agreement.plan.value == "installments"
    assert case.agreement.total == 7600.0
    up = parse_case((GOOD_TOML + '[submission]\nchannel = "上传"\n').encode())
    assert up.submission.channel is not None and up.submission.channel.value == "upload"


def test_total_that_is_not_a_number_is_invalid_in_chinese() -> None:
    with pytest.raises(ConfigError) as err:
        parse_case((GOOD_TOML + '[agreement]\ntotal = "七千六"\n').encode())
    text = str(err.value)
    assert "agreement.total" in text and "应为数字" in text and "total = 7600.00" in text
    assert err.value.exit_code == 3


def test_unknown_key_names_the_nearest() -> None:
    with pytest.raises(ConfigError) as err:
        parse_case((GOOD_TOML + '[submission]\ntraking = "EA1"\n').encode())
    assert "submission.tracking" in str(err.value)


def test_bad_channel_lists_the_choices() -> None:
    with pytest.raises(ConfigError) as err:
        parse_case((GOOD_TOML + '[submission]\nchannel = "飞鸽"\n').encode())
    assert "“网上上传”" in str(err.value) and "“邮寄”" in str(err.value)


def test_cli_check_exits_3_on_a_total_that_is_not_a_number(tmp_path: Path) -> None:
    case = tmp_path / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML + '[agreement]\ntotal = "很多"\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "packager", "check", str(case)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 3
    assert "agreement.total" in run.stderr and "应为数字" in run.stderr


def test_first_due_before_the_agreement_and_zero_installments_are_findings() -> None:
    early = Agreement(
        date=date(2026, 12, 20), total=7600, installments=12, first_due=date(2026, 12, 1)
    )
    zero = Agreement(
        date=date(2026, 12, 20), total=7600, installments=0, first_due=date(2027, 1, 10)
    )
    assert [f.code for f in agreement_findings(early)] == ["AGREEMENT_DUE_BEFORE"]
    assert [f.code for f in agreement_findings(zero)] == ["AGREEMENT_NO_INSTALLMENTS"]
    assert build_schedule(early) is None and build_schedule(zero) is None
    said = message(agreement_findings(early)[0], "zh")
    assert "2026-12-01" in said and "早于" in said
    assert "应为 1 或以上" in message(agreement_findings(zero)[0], "zh")


# --- the schedule ------------------------------------------------------------


def test_twelve_instalments_of_7600_sum_exactly() -> None:
    case = case_with(AGREED)
    plan = build_schedule(case.agreement)  # type: ignore[attr-defined]
    assert plan is not None
    assert len(plan.dues) == 12
    assert sum(d.fen for d in plan.dues) == 760000
    assert [d.fen for d in plan.dues[:11]] == [63333] * 11 and plan.dues[-1].fen == 63337
    days = [d.day for d in plan.dues]
    # the 31st: February's last day (2027 is not a leap year), April's 30th ...
    assert days[:4] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert days[-1] == date(2027, 12, 31)


def test_leap_february_and_day_of_month() -> None:
    assert due_days(date(2028, 1, 30), 3, 30) == [
        date(2028, 1, 30),
        date(2028, 2, 29),
        date(2028, 3, 30),
    ]
    assert due_days(date(2026, 12, 5), 3, 10) == [
        date(2026, 12, 5),
        date(2027, 1, 10),
        date(2027, 2, 10),
    ]


def test_single_payment_and_yuan_to_fen() -> None:
    plan = build_schedule(Agreement(date=date(2026, 12, 1), total=3800.1, due=date(2026, 12, 31)))
    assert plan is not None and [(d.day, d.fen) for d in plan.dues] == [
        (date(2026, 12, 31), 380010)
    ]
    assert to_fen(0.29) == 29 and to_fen(1234.565) == 123457


def test_a_due_day_on_a_holiday_is_marked() -> None:
    # 2027-01-01 is New Year's Day (this test's holidays file).
    holidays = parse_holidays('[2027]\noff = ["2027-01-01"]\n', "test")
    plan = build_schedule(
        Agreement(total=300, installments=3, first_due=date(2027, 1, 1), day_of_month=2),
        overrides=(holidays,),
    )
    assert plan is not None
    assert [d.day_off for d in plan.dues] == [True, False, False]  # Jan 1; Feb 2, Mar 2 Tuesdays
    weekend = build_schedule(
        Agreement(total=300, installments=2, first_due=date(2027, 1, 4), day_of_month=6),
        overrides=(holidays,),
    )
    assert weekend is not None and [d.day_off for d in weekend.dues] == [False, True]  # Sat Feb 6
    assert "遇节假日请提前还款" in schedule_csv(plan).decode("utf-8-sig")


@given(
    total=st.integers(min_value=1, max_value=10**9),
    count=st.integers(min_value=1, max_value=120),
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    dom=st.one_of(st.none(), st.integers(min_value=1, max_value=31)),
)
def test_any_schedule_sums_and_increases(
    total: int, count: int, first: date, dom: int | None
) -> None:
    amounts = split_fen(total, count)
    assert sum(amounts) == total and len(amounts) == count
    assert all(a >= 0 for a in amounts) and max(amounts) - min(amounts) < count
    days = due_days(first, count, dom)
    assert days[0] == first
    assert all(a < b for a, b in itertools.pairwise(days))
    for k, day in enumerate(days[1:], start=1):
        months = first.month - 1 + k
        assert (day.year, day.month) == (first.year + months // 12, months % 12 + 1)
        wanted = dom or first.day
        assert day.day == wanted or (day.day < wanted and (day + timedelta(days=1)).day == 1)


# --- where the case stands ---------------------------------------------------


def test_not_sent_waiting_and_past() -> None:
    assert standing(case_with(""), date(2026, 12, 7)).state == "not_sent"  # type: ignore[arg-type]
    sent = case_with(
        '[submission]\ndate = 2026-11-30\nchannel = "mail"\ntracking = "EA123456789CN"\n'
    )
    day1 = standing(sent, date(2026, 12, 1))  # type: ignore[arg-type]
    assert (day1.state, day1.day) == ("waiting", 1)
    assert day1.window is not None and day1.window.earliest == date(2026, 12, 9)
    assert day1.window.latest == date(2026, 12, 21)
    on_15 = standing(sent, date(2026, 12, 21))  # type: ignore[arg-type]
    assert (on_15.state, on_15.day) == ("waiting", 15)
    after = standing(sent, date(2026, 12, 22))  # type: ignore[arg-type]
    assert (after.state, after.day) == ("past", 16)
    (finding,) = standing_findings(sent, after)  # type: ignore[arg-type]
    assert finding.severity is Severity.WARNING
    said = message(finding, "zh")
    assert "EA123456789CN" in said and "打电话" in said and "以邮寄方式" in said
    waiting = message(standing_findings(sent, day1)[0], "zh")  # type: ignore[arg-type]
    assert "第 1 个工作日" in waiting and "2026-12-09 至 2026-12-21" in waiting


def test_the_window_counts_holidays_from_the_holidays_file() -> None:
    sent = case_with('[submission]\ndate = 2026-12-28\nchannel = "upload"\nreference = "T-1"\n')
    plain = standing(sent, date(2027, 1, 4))  # type: ignore[arg-type]
    off = parse_holidays('[2027]\noff = ["2027-01-01 至 2027-01-06"]\n', "inbox/holidays.toml")
    held = standing(sent, date(2027, 1, 4), overrides=(off,))  # type: ignore[arg-type]
    assert held.day < plain.day
    assert held.window is not None and plain.window is not None
    assert held.window.latest > plain.window.latest


def test_an_agreement_ends_the_waiting() -> None:
    sent = case_with('[submission]\ndate = 2026-11-01\nchannel = "mail"\n' + AGREED)
    state, plan, found = aftercare(sent, date(2026, 12, 30))  # type: ignore[arg-type]
    assert state.state == "agreed" and plan is not None
    assert "AGREEMENT_SCHEDULE" in [f.code for f in found]
    assert "SUBMISSION_PAST_WINDOW" not in [f.code for f in found]


# --- the calendar file ---------------------------------------------------------


def test_ics_reads_back_with_12_events_and_two_alarms_each() -> None:
    case = case_with(AGREED)
    plan = build_schedule(case.agreement)  # type: ignore[attr-defined]
    data = calendar_bytes("wang", calendar_events(case, plan, None), date(2026, 12, 20))  # type: ignore[arg-type]
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 12
    for event in events:
        alarms = list(event.walk("VALARM"))
        assert sorted(str(a["TRIGGER"].to_ical().decode()) for a in alarms) == ["-P1D", "-P3D"]
    assert events[0]["DTSTART"].dt == date(2027, 1, 31)
    assert "633.33" in str(events[0]["SUMMARY"]) and "633.37" in str(events[-1]["SUMMARY"])
    assert "协商编号 XY20261220" in str(events[0]["DESCRIPTION"])
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 12
    again = calendar_bytes("wang", calendar_events(case, plan, None), date(2027, 3, 1))  # type: ignore[arg-type]
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")] == uids


def test_the_review_end_is_an_event_while_waiting() -> None:
    sent = case_with('[submission]\ndate = 2026-11-30\nchannel = "mail"\ntracking = "EA1"\n')
    state = standing(sent, date(2026, 12, 1))  # type: ignore[arg-type]
    data = calendar_bytes("wang", calendar_events(sent, None, state), date(2026, 12, 1))  # type: ignore[arg-type]
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert event["DTSTART"].dt == date(2026, 12, 21) and "EA1" in str(event["DESCRIPTION"])


def test_folding_never_splits_a_character_and_escaping_round_trips() -> None:
    line = "DESCRIPTION:" + "还款，第一期；注意\\换行\n" * 10
    folded = fold(line)
    for piece in folded.split("\r\n"):
        assert len(piece.encode()) <= 75
        piece.encode().decode()  # whole characters only
    assert folded.replace("\r\n ", "") == line
