"""Patterns compiled on first use."""

from __future__ import annotations

import re

import pytest

from newskit.core.patterns import lazy_compile


def test_a_pattern_is_compiled_only_when_first_asked_for() -> None:
    broken = lazy_compile("(")  # an error at compile time shows when compiling happens
    with pytest.raises(re.error):
        broken()


def test_a_pattern_is_compiled_once_with_its_flags() -> None:
    word = lazy_compile("abc", re.I)
    assert word() is word()
    assert word().fullmatch("ABC")
