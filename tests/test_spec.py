"""The spec files refer to each other by key: a typo there would silently drop a rate or a check."""

from gongkai.spec import FORMATS, RATE_PATHS, RATES, SMALL_DENOMINATOR


def test_every_rate_reads_cells_that_both_table_formats_have():
    for format_id in ("2021", "2019"):
        paths = set(FORMATS[format_id].cell_paths())
        assert set(RATE_PATHS) <= paths, (format_id, set(RATE_PATHS) - paths)


def test_rates_are_complete():
    assert len({r.key for r in RATES}) == len(RATES) >= 4
    for rate in RATES:
        assert rate.name.endswith("率") and "÷" in rate.definition and rate.numerator and rate.denominator
    assert SMALL_DENOMINATOR > 0
