"""Every completeness rule, value rule and eligibility guide, table-driven, with its message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from packager.messages import CATALOG, message
from packager.models import Document, Finding, Kind, MediaType, Severity, SourceFile
from packager.read.casefile import parse_case
from packager.read.checks import FIELD_RULES, run_checks
from packager.read.eligibility import Guide, assess, guidance_findings
from tests.conftest import GOOD_TOML, TODAY

ALL_KINDS = tuple(Kind)


def doc(kind: Kind) -> Document:
    """A classified document of ``kind`` (rules only look at kinds)."""
    source = SourceFile(Path(f"{kind.value}.jpg"), f"{kind.value}.jpg", "0" * 64, 1, MediaType.JPEG)
    return Document(source, kind, "folder")


def findings_for(
    toml: str = GOOD_TOML,
    kinds: tuple[Kind, ...] = ALL_KINDS,
    profiles: tuple[str, ...] = ("upload",),
) -> list[Finding]:
    """Every finding check would give for this case file and these document kinds."""
    case = parse_case(toml.encode())
    found = run_checks(case, [doc(k) for k in kinds], TODAY, profiles)
    return found + guidance_findings(assess(case, TODAY, Guide()))


def edit(old: str, new: str) -> str:
    """GOOD_TOML with one line changed (the old text must be there)."""
    assert old in GOOD_TOML, old
    return GOOD_TOML.replace(old, new)


def test_good_case_has_no_findings() -> None:
    """This test ensures the reference case (38% of the limit, 8 days overdue) is clean."""
    assert findings_for() == []


NO_MEDICAL = (Kind.INCOME, Kind.EXPENSES, Kind.COMMUNICATION)

# (case file, kinds present, profiles) -> the one finding expected: (code, severity, field or None)
CASES = [
    pytest.param(
        edit('name = "王测试"\n', ""),
        ALL_KINDS,
        ("upload",),
        ("MISSING_FIELD", Severity.ERROR, "applicant.name"),
        id="name-missing",
    ),
    pytest.param(
        edit('platform = "支付宝"\n', 'platform = ""\n'),
        ALL_KINDS,
        ("upload",),
        ("MISSING_FIELD", Severity.ERROR, "account.platform"),
        id="platform-blank",
    ),
    pytest.param(
        edit("statement = ", "# statement = "),
        ALL_KINDS,
        ("upload",),
        ("MISSING_FIELD", Severity.ERROR, "request.statement"),
        id="statement-missing",
    ),
    pytest.param(
        edit("installments = 12\n", ""),
        ALL_KINDS,
        ("upload",),
        ("MISSING_FIELD", Severity.ERROR, "request.installments"),
        id="installments-missing",
    ),
    pytest.param(
        edit('plan = "分期还款"\ninstallments = 12', 'plan = "延期还款"'),
        ALL_KINDS,
        ("upload",),
        ("MISSING_FIELD", Severity.ERROR, "request.defer_days"),
        id="defer-days-missing",
    ),
    pytest.param(
        edit('address = "北京市朝阳区测试路 1 号"\n', ""),
        ALL_KINDS,
        ("upload", "mail"),
        ("MISSING_MAIL_FIELD", Severity.ERROR, "applicant.address"),
        id="mail-needs-sender-address",
    ),
    pytest.param(
        edit('mailing_address = "浙江省杭州市测试大道 100 号"\n', ""),
        ALL_KINDS,
        ("mail",),
        ("MISSING_MAIL_FIELD", Severity.ERROR, "account.mailing_address"),
        id="mail-needs-lender-address",
    ),
    pytest.param(
        edit('id_number = "11010519491231002X"\n', ""),
        ALL_KINDS,
        ("upload",),
        ("RECOMMENDED_FIELD", Severity.WARNING, "applicant.id_number"),
        id="id-recommended",
    ),
    pytest.param(
        edit('phone = "13800138000"\n', ""),
        ALL_KINDS,
        ("upload",),
        ("RECOMMENDED_FIELD", Severity.WARNING, "applicant.phone"),
        id="phone-recommended",
    ),
    pytest.param(
        edit("credit_limit = 10000\n", ""),
        ALL_KINDS,
        ("upload",),
        ("RECOMMENDED_FIELD", Severity.WARNING, "account.credit_limit"),
        id="limit-recommended",
    ),
    pytest.param(
        GOOD_TOML,
        (Kind.EXPENSES, Kind.MEDICAL),
        ("upload",),
        ("MISSING_INCOME", Severity.ERROR, None),
        id="income-missing",
    ),
    pytest.param(
        GOOD_TOML,
        (Kind.INCOME, Kind.MEDICAL),
        ("upload",),
        ("MISSING_EXPENSES", Severity.ERROR, None),
        id="expenses-missing",
    ),
    pytest.param(
        GOOD_TOML,
        NO_MEDICAL,
        ("upload",),
        ("MISSING_MEDICAL", Severity.ERROR, None),
        id="illness-needs-medical",
    ),
    pytest.param(
        edit('reason = "illness"', 'reason = "失业"'),
        NO_MEDICAL,
        ("upload",),
        ("MISSING_CIRCUMSTANCES", Severity.ERROR, None),
        id="unemployment-needs-circumstances",
    ),
    pytest.param(
        edit('reason = "illness"', 'reason = "family"'),
        NO_MEDICAL,
        ("upload",),
        ("MISSING_CIRCUMSTANCES", Severity.ERROR, None),
        id="family-needs-circumstances",
    ),
    pytest.param(
        edit('id_number = "11010519491231002X"', 'id_number = "110105194912310021"'),
        ALL_KINDS,
        ("upload",),
        ("ID_CHECK_DIGIT", Severity.ERROR, "applicant.id_number"),
        id="id-check-digit",
    ),
    pytest.param(
        edit('id_number = "11010519491231002X"', 'id_number = "11010519491331002X"'),
        ALL_KINDS,
        ("upload",),
        ("ID_BIRTH_DATE", Severity.ERROR, "applicant.id_number"),
        id="id-impossible-birth-date",
    ),
    pytest.param(
        # A real date with a valid check digit, but born after the build date.
        edit('id_number = "11010519491231002X"', 'id_number = "11010520300101001X"'),
        ALL_KINDS,
        ("upload",),
        ("ID_BIRTH_DATE", Severity.ERROR, "applicant.id_number"),
        id="id-born-in-the-future",
    ),
    pytest.param(
        edit('id_number = "11010519491231002X"', 'id_number = "1101051949123100"'),
        ALL_KINDS,
        ("upload",),
        ("ID_FORMAT", Severity.ERROR, "applicant.id_number"),
        id="id-too-short",
    ),
    pytest.param(
        edit('phone = "13800138000"', 'phone = "12800138000"'),
        ALL_KINDS,
        ("upload",),
        ("PHONE_INVALID", Severity.ERROR, "applicant.phone"),
        id="phone-bad-prefix",
    ),
    pytest.param(
        edit("installments = 12", "installments = 0"),
        ALL_KINDS,
        ("upload",),
        ("INSTALLMENTS_INVALID", Severity.ERROR, "request.installments"),
        id="installments-zero",
    ),
    pytest.param(
        edit("installments = 12", "installments = 72").replace('"花呗"', '"信用卡"'),
        ALL_KINDS,
        ("upload",),
        ("INSTALLMENTS_OVER_CAP", Severity.WARNING, "request.installments"),
        id="card-over-60-months",
    ),
    pytest.param(
        edit("installments = 12", "installments = 72"),
        ALL_KINDS,
        ("upload",),
        ("INSTALLMENTS_LONG", Severity.INFO, "request.installments"),
        id="huabei-over-60-no-documented-cap",
    ),
    pytest.param(
        edit('plan = "分期还款"\ninstallments = 12', 'plan = "deferral"\ndefer_days = 0'),
        ALL_KINDS,
        ("upload",),
        ("DEFER_DAYS_INVALID", Severity.ERROR, "request.defer_days"),
        id="defer-days-zero",
    ),
    pytest.param(
        edit("overdue_since = 2026-11-20", "overdue_since = 2026-12-20"),
        ALL_KINDS,
        ("upload",),
        ("DATE_IN_FUTURE", Severity.ERROR, "account.overdue_since"),
        id="overdue-in-the-future",
    ),
    pytest.param(
        edit("date = 2026-11-22", "date = 2027-01-02"),
        ALL_KINDS,
        ("upload",),
        ("DATE_IN_FUTURE", Severity.ERROR, "contact[1].date"),
        id="contact-in-the-future",
    ),
    pytest.param(
        edit("amount_owed = 3800", "amount_owed = 0"),
        ALL_KINDS,
        ("upload",),
        ("AMOUNT_NOT_POSITIVE", Severity.ERROR, "account.amount_owed"),
        id="owed-zero",
    ),
    pytest.param(
        edit("credit_limit = 10000", "credit_limit = -5"),
        ALL_KINDS,
        ("upload",),
        ("AMOUNT_NOT_POSITIVE", Severity.ERROR, "account.credit_limit"),
        id="limit-negative",
    ),
    pytest.param(
        edit("statement = ", 'statement = "生病了没钱。"\n# '),
        ALL_KINDS,
        ("upload",),
        ("STATEMENT_SHORT", Severity.WARNING, "request.statement"),
        id="statement-short",
    ),
    pytest.param(
        edit("amount_owed = 3800", "amount_owed = 5000"),
        ALL_KINDS,
        ("upload",),
        ("OWED_RATIO_HIGH", Severity.WARNING, None),
        id="owed-50-percent",
    ),
    pytest.param(
        edit("overdue_since = 2026-11-20", "overdue_since = 2026-11-01"),
        ALL_KINDS,
        ("upload",),
        ("OVERDUE_LONG", Severity.WARNING, None),
        id="overdue-27-days",
    ),
]


@pytest.mark.parametrize(("toml", "kinds", "profiles", "expected"), CASES)
def test_rule(
    toml: str,
    kinds: tuple[Kind, ...],
    profiles: tuple[str, ...],
    expected: tuple[str, Severity, str | None],
) -> None:
    """This test ensures each rule gives exactly its finding, naming the field, in zh and en."""
    code, severity, field = expected
    found = findings_for(toml, kinds, profiles)
    assert [(f.code, f.severity) for f in found] == [(code, severity)]
    (finding,) = found
    for lang in ("zh", "en", "zh-Hant"):
        text = message(finding, lang)
        assert text != code and ("MISSING_" in code or code in CATALOG)
        assert "{" not in text and "}" not in text.replace("[[", "").replace("]]", ""), text
        if field is not None:
            assert field in text, text


def test_every_code_is_covered_by_the_table() -> None:
    """This test ensures no rule's finding code is left without a table row."""
    tested = {p.values[3][0] for p in CASES} | {"OWED_OVER_LIMIT"}  # see the next test
    rule_codes = {r.code for r in FIELD_RULES}
    kind_codes = {f"MISSING_{k.value.upper()}" for k in Kind if k is not Kind.COMMUNICATION}
    value_codes = set(
        re.findall(r'"([A-Z_]+)",\s*Severity\.', Path("packager/read/checks.py").read_text())
    )
    guide_codes = {"OWED_RATIO_HIGH", "OVERDUE_LONG"}
    assert rule_codes | kind_codes | value_codes | guide_codes <= tested


@pytest.mark.parametrize(
    ("toml", "kinds", "profiles"),
    [
        pytest.param(GOOD_TOML, ALL_KINDS, ("upload",), id="mail-fields-not-needed-for-upload"),
        pytest.param(
            edit('address = "北京市朝阳区测试路 1 号"\n', ""),
            ALL_KINDS,
            ("upload",),
            id="no-sender-address-upload-only",
        ),
        pytest.param(
            edit("installments = 12", "installments = 60").replace('"花呗"', '"信用卡"'),
            ALL_KINDS,
            ("upload",),
            id="card-60-months-is-fine",
        ),
        pytest.param(
            edit("amount_owed = 3800", "amount_owed = 4000"),
            ALL_KINDS,
            ("upload",),
            id="exactly-40-percent",
        ),
        pytest.param(
            edit("overdue_since = 2026-11-20", "overdue_since = 2026-11-14"),
            ALL_KINDS,
            ("upload",),
            id="exactly-14-days",
        ),
        pytest.param(
            edit('id_number = "11010519491231002X"', 'id_number = "11010519491231002x"'),
            ALL_KINDS,
            ("upload",),
            id="lowercase-x",
        ),
        pytest.param(
            edit('phone = "13800138000"', 'phone = "+86 138 0013 8000"'),
            ALL_KINDS,
            ("upload",),
            id="phone-with-86",
        ),
        pytest.param(
            edit('reason = "illness"', 'reason = "收入下降"'),
            (Kind.INCOME, Kind.EXPENSES),
            ("upload",),
            id="income-drop-needs-no-extra-kind",
        ),
    ],
)
def test_no_finding(toml: str, kinds: tuple[Kind, ...], profiles: tuple[str, ...]) -> None:
    """This test ensures the edges of each rule stay quiet (60 months, 40%, 14 days, x, +86)."""
    assert findings_for(toml, kinds, profiles) == []


def test_owed_above_limit_warns_twice() -> None:
    """This test ensures owing more than the limit warns, and the ratio says 120%."""
    found = findings_for(edit("amount_owed = 3800", "amount_owed = 12000"))
    assert [f.code for f in found] == ["OWED_OVER_LIMIT", "OWED_RATIO_HIGH"]
    assert all(f.severity is Severity.WARNING for f in found)
    assert "120%" in message(found[1], "zh")


def test_guidance_uses_real_numbers_and_names_its_source() -> None:
    """This test ensures the guide reads 欠款 3,800 元，占额度 38% and says it is not official."""
    from packager.messages import measure_text

    case = parse_case(GOOD_TOML.encode())
    ratio, overdue = assess(case, TODAY, Guide())
    assert ratio.within and overdue.within
    zh = measure_text(ratio, "zh")
    assert "欠款 3,800 元，占额度 38%" in zh and "经验规则，非官方" in zh
    assert "已逾期 8 天" in measure_text(overdue, "zh")
    assert "rule of thumb, not official" in measure_text(ratio, "en")
    stricter = assess(case, TODAY, Guide(max_owed_ratio=0.30, max_overdue_days=7))
    assert [f.code for f in guidance_findings(stricter)] == ["OWED_RATIO_HIGH", "OVERDUE_LONG"]


def test_id_check_digit_message_shows_only_masked_number() -> None:
    """This test ensures the ID finding says which check digit is right without the full number."""
    (finding,) = findings_for(
        edit('id_number = "11010519491231002X"', 'id_number = "110105194912310021"')
    )
    zh = message(finding, "zh")
    assert "110105********0021" in zh and "应为 X" in zh
    assert "110105194912310021" not in zh


def test_init_style_blank_values_are_unset_not_invalid() -> None:
    """This test ensures "" for numbers, dates and choices reads as "not filled in yet"."""
    blank = (
        '[account]\namount_owed = ""\noverdue_since = ""\n[request]\nplan = ""\ninstallments = ""\n'
    )
    found = findings_for(blank, ALL_KINDS)
    fields = {f.params.get("field") for f in found if f.code == "MISSING_FIELD"}
    assert {"account.amount_owed", "account.overdue_since", "request.plan"} <= fields


def test_eligibility_thresholds_come_from_case_toml() -> None:
    """This test ensures [eligibility] in case.toml replaces the folklore thresholds (40 %, 14
    days) and the guidance says where they came from (issue 14 item 13)."""
    from packager.messages import measure_text
    from packager.read.eligibility import Guide, guide_for

    toml = GOOD_TOML + '\n[eligibility]\nmax_owed_ratio = "30%"\nmax_overdue_days = 7\n'
    case = parse_case(toml.encode())
    guide = guide_for(case, Guide())
    assert (guide.max_owed_ratio, guide.max_overdue_days, guide.source) == (0.30, 7, "case_file")
    ratio, overdue = assess(case, TODAY, guide)
    assert ratio.limit == 0.30 and overdue.limit == 7
    assert "case.toml" in measure_text(ratio, "zh")
    assert guide_for(parse_case(GOOD_TOML.encode()), Guide()) == Guide()
