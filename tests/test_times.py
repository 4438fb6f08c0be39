"""newskit.core.times: a zone attached to local times, nothing else touched."""

from __future__ import annotations

import pytest

from newskit.core.errors import UsageError
from newskit.core.times import attach_zone, check_zone


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("2024-09-20T09:32:00", "Asia/Shanghai", "2024-09-20T09:32:00+08:00"),
        ("2024-07-01T12:00:00", "Europe/London", "2024-07-01T12:00:00+01:00"),
        ("2024-01-01T12:00:00", "Europe/London", "2024-01-01T12:00:00+00:00"),
        ("2024-09-20T09:32:00+09:00", "Asia/Shanghai", "2024-09-20T09:32:00+09:00"),
        ("2024-09-20T01:32:00Z", "Asia/Shanghai", "2024-09-20T01:32:00Z"),
        ("2024-09-20", "Asia/Shanghai", "2024-09-20"),
        (None, "Asia/Shanghai", None),
    ],
)
def test_attach_zone(value, zone, expected):
    assert attach_zone(value, zone) == expected


def test_check_zone_refuses_unknown_names():
    assert check_zone("Asia/Taipei") == "Asia/Taipei"
    with pytest.raises(UsageError, match="unknown time zone"):
        check_zone("Nowhere/Else")
