"""Small runs of the benchmarks (bench/run.py, bench/bare.py) keep them working; no timing is asserted."""

from __future__ import annotations

import pytest

from bench import bare
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


def test_the_bare_server_benchmark_counts_every_vote():
    result = bare.run(bare.parser().parse_args(["--phones", "20", "--rounds", "1", "--no-pin"]))
    assert result["connect_failed"] == 0 and result["dropped"] == 0
    keys = {"connect_s", "cpu_ms_per_connect", "rss_idle_mb", "peak_rss_idle_mb", "peak_rss_mb"}
    assert keys <= set(result)
    (round_,) = result["rounds"]
    assert round_["votes"] == round_["acked"] == round_["stored"] == round_["received"] == 20
    assert round_["lost"] == round_["duplicated"] == round_["unacked_stored"] == 0
    assert round_["counts_exact"] and round_["errors"] == {}
    for key in ("burst_s", "votes_per_s", "ack_p50_ms", "ack_p95_ms", "ack_p99_ms", "cpu_ms_per_vote",
                "server_cpu_s", "generator_cpu_s"):
        assert round_[key] >= 0, key
    assert result["peak_rss_mb"] >= result["rss_idle_mb"] > 0  # /proc was read
    assert "20/20 acked" in bare.summary(result)
