"""Benchmark: time of one safety check of a 280-character text (the longest a question may be).

    .venv/bin/python scripts/bench_safety.py [--rounds 2000]

Texts are built from the labelled set's sentences (flagged and innocent, English, Kiswahili,
Sheng) joined and cut to 280 characters, plus worst cases (a long digit-and-word run, a text of
single letters, unicode tricks). Reports mean and p99 per text, after one warm-up pass, with
the bundled lists and with an event's own extras. CPU time (this thread's) is the figure to
compare with the 1 ms budget: wall times include waiting for a core on a shared machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roundtable.safety import Extras, check_text  # noqa: E402
from roundtable.safety.evaluation import load  # noqa: E402

LIMIT = 280


def texts() -> list[str]:
    sentences = [e.text for e in load(ROOT / "tests" / "data" / "safety_labelled.tsv")]
    out = []
    for i in range(len(sentences)):
        joined = ""
        j = i
        while len(joined) < LIMIT:
            joined += sentences[j % len(sentences)] + ". "
            j += 1
        out.append(joined[:LIMIT])
    out += [
        ("0 7 one 2 " * 40)[:LIMIT],
        ("a " * 200)[:LIMIT],
        ("Ｆ\u200bＵＣＫ 𝟎𝟕𝟏𝟐 " * 30)[:LIMIT],
        ("My name is Wanjiru near the " * 20)[:LIMIT],
        ("f*ck s#it " * 40)[:LIMIT],
    ]
    return out


def run(samples: list[str], rounds: int, extras: Extras | None) -> tuple[list[float], float]:
    """Wall time of each check, and the mean CPU time per text (less disturbed by other load)."""
    for text in samples:
        check_text(text, extras=extras)
    times = []
    cpu = 0.0
    for _ in range(rounds):
        c0 = time.thread_time()
        for text in samples:
            t0 = time.perf_counter()
            check_text(text, extras=extras)
            times.append(time.perf_counter() - t0)
        cpu += time.thread_time() - c0
    return times, cpu / (rounds * len(samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    samples = texts()
    extras = Extras(
        abuse_words=("wack", "bure kabisa"),
        grooming_phrases=("nikuone kwa siri",),
        places=("Kware Village",),
        schools=("Hope Academy",),
    )
    for label, ex in (("bundled lists", None), ("with event extras", extras)):
        times, cpu = run(samples, args.rounds, ex)
        times.sort()
        median, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
        print(
            f"{label:<18} {len(samples)} texts x {args.rounds} rounds, per 280-character text: "
            f"CPU {cpu * 1000:.3f} ms; wall mean {statistics.fmean(times) * 1000:.3f} ms, "
            f"median {median * 1000:.3f} ms, p99 {p99 * 1000:.3f} ms"
        )


if __name__ == "__main__":
    main()
