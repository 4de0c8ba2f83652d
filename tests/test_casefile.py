"""case.toml validation: good files load, every kind of bad file exits 3 with a useful message."""

from __future__ import annotations

from datetime import date

import pytest

from packager.errors import ConfigError, ExitCode
from packager.read.casefile import parse_case
from packager.read.choices import Channel, Plan, Reason
from tests.conftest import GOOD_TOML


def test_good_case_loads_with_aliases() -> None:
    """This test ensures Chinese aliases map to the canonical plan, reason and channel."""
    case = parse_case(GOOD_TOML.encode())
    assert case.request.plan is Plan.INSTALLMENTS
    assert case.request.reason == (Reason.ILLNESS,)
    assert case.contact[0].channel is Channel.PHONE
    assert case.account.overdue_since == date(2026, 11, 20)
    assert case.account.amount_owed == 3800.0


@pytest.mark.parametrize(
    ("alias", "plan"),
    [
        ("一次性偿还本金", Plan.LUMP_SUM),
        ("分期还款", Plan.INSTALLMENTS),
        ("延期还款", Plan.DEFERRAL),
        ("LUMP_SUM", Plan.LUMP_SUM),
        ("deferral", Plan.DEFERRAL),
    ],
)
def test_plan_aliases(alias: str, plan: Plan) -> None:
    """This test ensures every documented plan spelling is accepted."""
    assert parse_case(f'[request]\nplan = "{alias}"\n'.encode()).request.plan is plan


def test_friendly_date_and_amount_forms() -> None:
    """This test ensures "2026年11月20日" and "3,800元" are read as a date and a number."""
    case = parse_case(
        '[account]\noverdue_since = "2026年11月20日"\namount_owed = "3,800元"\n'.encode()
    )
    assert case.account.overdue_since == date(2026, 11, 20)
    assert case.account.amount_owed == 3800.0


def test_empty_case_is_valid() -> None:
    """This test ensures missing values are not a case-file error (they are findings later)."""
    assert parse_case(b"").applicant.name is None


@pytest.mark.parametrize(
    ("source", "lang", "expected"),
    [
        ('[applicant]\nnmae = "x"\n', "zh", ["applicant.nmae", "applicant.name"]),
        (
            '[applicant]\nnmae = "x"\n',
            "en",
            ["unknown field applicant.nmae", "Did you mean applicant.name"],
        ),
        ("[acount]\n", "zh", ["acount", "account"]),
        (
            '[account]\namount_owed = "abc"\n',
            "zh",
            ["account.amount_owed", "应为数字", "amount_owed = 3800.00"],
        ),
        ('[account]\namount_owed = "abc"\n', "en", ["must be a number", "amount_owed = 3800.00"]),
        ('[request]\nplan = "whatever"\n', "zh", ["request.plan", "一次性还清", "分12期"]),
        ('[request]\nreason = "bored"\n', "en", ["request.reason", "illness"]),
        ('[[contact]]\ndate = "yesterday"\n', "zh", ["contact[1].date", "date = 2026-11-22"]),
        ('[[contact]]\nchanel = "phone"\n', "zh", ["contact[1].chanel", "contact.channel"]),
        ('[request]\ninstallments = "twelve"\n', "zh", ["request.installments", "应为整数"]),
        ('[output]\nlanguage = "fr"\n', "zh", ["output.language", "zh-Hant"]),
        ('[[password]]\nfile = "a.pdf"\n', "zh", ["password[1].password"]),
        ('[applicant\nname = "x"\n', "zh", ["第 1 行", "列"]),
        ("[applicant]\nname = 张三\n", "zh", ["第 2 行", '例如 name = "张三"']),
        ("[applicant]\nname = 张三\n", "en", ["line 2, column"]),
    ],
)
def test_bad_case_files(source: str, lang: str, expected: list[str]) -> None:
    """This test ensures each kind of bad case file names the field and what to write."""
    with pytest.raises(ConfigError) as info:
        parse_case(source.encode(), lang=lang)
    assert info.value.exit_code is ExitCode.CONFIG
    for text in expected:
        assert text in info.value.message


def test_not_utf8() -> None:
    """This test ensures a GBK-encoded case file gets a save-as-UTF-8 hint, not a crash."""
    with pytest.raises(ConfigError) as info:
        parse_case('[applicant]\nname = "张三"\n'.encode("gbk"))
    assert "UTF-8" in info.value.message


@pytest.mark.parametrize(
    ("words", "plan", "installments", "stop"),
    [
        ('plan = "一次性还清"', "lump_sum", None, None),
        ('plan = "结清"', "lump_sum", None, None),
        ('plan = "分12期"', "installments", 12, None),
        ('plan = "分 6 期还款"', "installments", 6, None),
        ('plan = "停息挂账"\ninstallments = 24', "installments", 24, True),
    ],
)
def test_everyday_plan_words(words: str, plan: str, installments: int | None, stop: bool) -> None:
    """This test ensures 一次性还清, 结清, 分12期 and 停息挂账 are the plans people mean."""
    toml = GOOD_TOML.replace('plan = "分期还款"\ninstallments = 12', words)
    request = parse_case(toml.encode()).request
    assert request.plan is not None and request.plan.value == plan
    assert request.installments == installments
    assert request.stop_interest is stop


@pytest.mark.parametrize(
    ("word", "reason"),
    [
        ("住院", "illness"),
        ("生病", "illness"),
        ("被裁员", "unemployment"),
        ("离职", "unemployment"),
        ("失业", "unemployment"),
    ],
)
def test_everyday_reason_words(word: str, reason: str) -> None:
    """This test ensures 住院, 生病, 被裁员, 离职 and 失业 are understood as reasons."""
    toml = GOOD_TOML.replace('reason = "illness"', f'reason = "{word}"')
    got = parse_case(toml.encode()).request.reason
    assert [r.value for r in got] == [reason]


@pytest.mark.parametrize(
    "written",
    [
        '["疾病", "收入下降"]',
        '"疾病、收入下降"',
        '"住院，收入减少"',
        '"生病和收入下降"',
        '"illness / income_drop"',
        '["住院", "生病", "收入下降"]',  # two words for one reason: named once
    ],
)
def test_several_reasons(written: str) -> None:
    """This test ensures several reasons (a list, or one string split on 、,，/和) are all kept."""
    toml = GOOD_TOML.replace('reason = "illness"', f"reason = {written}")
    got = parse_case(toml.encode()).request.reason
    assert got == (Reason.ILLNESS, Reason.INCOME_DROP)


def test_one_bad_reason_among_several_is_named() -> None:
    """This test ensures a wrong word in a list of reasons is refused with the Chinese choices."""
    toml = GOOD_TOML.replace('reason = "illness"', 'reason = ["疾病", "破产"]')
    with pytest.raises(ConfigError) as err:
        parse_case(toml.encode())
    said = str(err.value)
    assert "破产" in said and "“收入下降”" in said and "request.reason" in said


def test_wrong_choice_lists_chinese_words_to_chinese_users() -> None:
    """This test ensures a refused plan shows 一次性还清、分12期… in Chinese, English values in en."""
    toml = GOOD_TOML.replace('plan = "分期还款"', 'plan = "随便"').encode()
    with pytest.raises(ConfigError) as zh:
        parse_case(toml, lang="zh")
    assert "一次性还清" in str(zh.value) and "分12期" in str(zh.value)
    assert "lump_sum" not in str(zh.value)
    with pytest.raises(ConfigError) as en:
        parse_case(toml, lang="en")
    assert "lump_sum" in str(en.value)


@pytest.mark.parametrize(
    ("line", "zh", "fix"),
    [
        ('name ＝ "王小明"', "中文的等号", 'name = "王小明"'),
        ("name = “王小明”", "中文引号", 'name = "王小明"'),
        ("phone = 138 0013 8000", None, None),
    ],
)
def test_toml_mistakes_are_named_in_chinese(line: str, zh: str | None, fix: str | None) -> None:
    """This test ensures the mistakes a Chinese input method makes in case.toml are named in
    Chinese, on their line, with a caret and what to type instead (issue 14 item 5)."""
    raw = f"[applicant]\n{line}\n".encode()
    with pytest.raises(ConfigError) as info:
        parse_case(raw)
    text = info.value.message
    assert "第 2 行" in text
    if zh is not None:
        assert zh in text and f"  {line}\n" in text and "^" in text
        assert f"\n  {fix}" in text
        assert "Expected" not in text and "Invalid value" not in text


def test_amount_with_a_unit_and_enter_inside_quotes() -> None:
    """This test ensures 3800元 unquoted and a line break inside quotes get their own fix, in
    Chinese by default and in English with lang en."""
    with pytest.raises(ConfigError) as info:
        parse_case("[account]\namount_owed = 3800元\n".encode())
    assert (
        "金额只写数字" in info.value.message
        and "  amount_owed = 3800\n" in info.value.message + "\n"
    )
    with pytest.raises(ConfigError) as info:
        parse_case('[request]\nstatement = "九月住院\n收入中断"\n'.encode(), lang="en")
    message = info.value.message
    assert "triple quotes" in message and 'statement = """九月住院…"""' in message
