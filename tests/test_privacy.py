"""ID and phone checks, and masking."""

from __future__ import annotations

import pytest

from packager.privacy import id_problem, mask_account, mask_id, mask_phone, mask_text, phone_ok


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("11010519491231002X", None),
        ("11010519491231002x", None),  # lowercase x accepted
        ("360426199101010072", "ID_CHECK_DIGIT"),
        ("11010519491331002X", "ID_BIRTH_DATE"),
        ("1101051949123100", "ID_FORMAT"),
        ("11010519491231002Y", "ID_FORMAT"),
    ],
)
def test_id_vectors(value: str, problem: str | None) -> None:
    """This test ensures the GB 11643 checks on known vectors."""
    assert id_problem(value) == problem


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("13800138000", True),
        ("+86 138 0013 8000", True),
        ("0086-13800138000", True),
        ("12800138000", False),
        ("1380013800", False),
    ],
)
def test_phone(value: str, ok: bool) -> None:
    """This test ensures mainland mobile numbers are recognised after removing +86/0086."""
    assert phone_ok(value) is ok


def test_masks() -> None:
    """This test ensures ID 6+4, phone 3****4, account last 4."""
    assert mask_id("11010519491231002x") == "110105********002X"
    assert mask_phone("+86 138 0013 8000") == "138****8000"
    assert mask_account("6222021234567890") == "****7890"
    assert mask_account("zhangsan@example.com") == "zh***@example.com"


def test_mask_text_in_file_names() -> None:
    """This test ensures numbers typed into file names are masked before they are shown."""
    text = mask_text(
        "身份证11010519491231002X 13800138000 卡6222021234567890 mmexport1700000000000"
    )
    assert "11010519491231002X" not in text and "110105********002X" in text
    assert "138****8000" in text and "****7890" in text
    assert "mmexport1700000000000" in text  # 13-digit timestamps are not card numbers
