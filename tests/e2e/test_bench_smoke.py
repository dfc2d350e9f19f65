"""A small run of the benchmark (bench/run.py) keeps it working; no timing is asserted."""

from __future__ import annotations

import pytest

from bench.run import parser, run, summary


@pytest.mark.parametrize(
    "extra", [[], ["--processes", "2", "--projectors", "2"]], ids=["sqlite", "two-processes"]
)
def test_the_benchmark_runs_and_counts_every_vote(extra):
    options = ["--phones", "12", "--rounds", "2", "--no-pin", "--settle-timeout", "30", *extra]
    args = parser().parse_args(options)
    result = run(args)
    assert result["join_refused"] == {} and result["connect_failed"] == 0
    for round_ in result["rounds"]:
        assert round_["votes"] == round_["acked"] == round_["stored"] == 11  # one phone is the probe
        assert round_["lost"] == round_["duplicated"] == round_["unacked_stored"] == 0
        assert round_["settle_s"] is not None  # every projector showed the exact tally
        assert round_["tallies_backwards"] == 0
        # /proc counts CPU in 10 ms ticks: eleven votes may cost less than one.
        assert round_["cpu_ms_per_vote"] >= 0
    assert result["dropped"] == 0 and result["peak_rss_mb"] > 0
    assert result["cpu_ms_per_join"] > 0  # twelve joins cost several ticks: the CPU is read
    assert "acked" in summary(result)
