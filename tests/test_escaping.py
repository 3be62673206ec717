"""Markdown escaping is one table lookup a character; it must say exactly what the regular
expressions it replaced said."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from sitrep.render import markdown_text

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")
_LIST_START = re.compile(r"^(\s*\d*)([-.])(?=\s)", re.MULTILINE)


def reference(text: str) -> str:
    """Escape as sitrep did before: punctuation, then list starts, then HTML characters."""
    escaped = _LIST_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", text))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


TRICKY = st.text(alphabet=st.sampled_from(list("\\`*_{}[]()#+!|&<>-. \t\n\r\x0b\x0c0123abé")))


@given(TRICKY)
def test_escaping_matches_the_regular_expressions(text: str) -> None:
    assert str(markdown_text(text)) == reference(text)


@given(st.text())
def test_escaping_any_text_matches_the_regular_expressions(text: str) -> None:
    assert str(markdown_text(text)) == reference(text)


def test_markup_and_other_values_pass_as_before() -> None:
    assert markdown_text(Markup("<b>kept</b>")) == Markup("<b>kept</b>")
    assert str(markdown_text(None)) == ""
    assert str(markdown_text(1200)) == "1200"
    assert str(markdown_text("1. first\n- second")) == "1\\. first\n\\- second"
