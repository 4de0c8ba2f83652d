"""A page of the web face rendered from its template, in the words of its language.

Kept apart from the routes (``app``) so that what every template may call — ``t``, the
field and kind titles, the QR code of a ``--lan`` address — is defined once.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from packager.hant import HTML_LANG, localize
from packager.messages import field_title, kind_title
from packager.messages.web import WEB
from packager.models import Kind
from packager.web import answers, forms
from packager.web.flow import html_variant


def render(
    env: Environment,
    template: str,
    lk: str,
    script: str,
    csrf: str,
    lan: str | None,
    **context: Any,
) -> str:
    """``template`` in ``lk``'s words (``script``: zh-Hant and its variants localise them)."""

    def t(key: str, **params: object) -> str:
        words = WEB[key][lk].format(**params) if params else WEB[key][lk]
        return localize(words, script)

    def field_words(f: str) -> str:
        return localize(
            WEB[f"field_{f}"][lk] if f"field_{f}" in WEB else field_title(f, lk),
            script,
        )

    return env.get_template(template).render(
        t=t,
        lang=lk,
        html_lang="en" if lk == "en" else HTML_LANG.get(html_variant(script), "zh-CN"),
        csrf=csrf,
        field_title=field_words,
        kind_title=lambda k: localize(kind_title(Kind(k), lk), script),
        kinds=list(Kind),
        input_type=forms.input_type,
        lan_url=lan,
        qr=answers.qr_svg(lan) if lan else None,
        **context,
    )
