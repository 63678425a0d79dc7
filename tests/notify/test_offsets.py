from datetime import timedelta

import pytest

from lms.notify.offsets import OffsetError, parse_offsets


def test_offsets_are_read_longest_first_without_repeats():
    assert parse_offsets("2h, 24h,1d , 30m") == [("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)),
                                                 ("30m", timedelta(minutes=30))]
    assert parse_offsets("") == [] and parse_offsets(" , ") == []


@pytest.mark.parametrize("text", ["24", "2 hours", "-2h", "0m", "31d", "2h;1h", "1e3h", "\x00"])
def test_bad_offsets_say_what_is_wrong(text):
    with pytest.raises(OffsetError):
        parse_offsets(text)
