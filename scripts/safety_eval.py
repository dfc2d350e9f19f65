"""Recall and precision of the safety checks per category on the labelled set.

    .venv/bin/python scripts/safety_eval.py [--errors] [path/to/set.tsv]

The set (tests/data/safety_labelled.tsv) is written for this project: English, Kiswahili and
Sheng, about half of it innocent. Goal: recall >= 0.95 and precision >= 0.9 in every category.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roundtable.safety import check_text  # noqa: E402
from roundtable.safety.evaluation import evaluate, load  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "safety_labelled.tsv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args()
    examples = load(args.path)
    scores = evaluate(examples)
    innocent = sum(1 for e in examples if not e.labels)
    languages = Counter(e.language for e in examples)
    print(
        f"{len(examples)} sentences, {innocent} innocent; "
        + ", ".join(f"{k} {v}" for k, v in sorted(languages.items()))
    )
    print(f"{'category':<15}{'n':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'recall':>9}{'precision':>11}")
    ok = True
    for category, s in scores.items():
        n = s.tp + s.fn
        print(f"{category:<15}{n:>5}{s.tp:>5}{s.fp:>5}{s.fn:>5}{s.recall:>9.3f}{s.precision:>11.3f}")
        ok = ok and s.recall >= 0.95 and s.precision >= 0.9
        if args.errors:
            for ex in s.misses:
                print(f"    missed (line {ex.line}): {ex.text}")
            for ex in s.false_alarms:
                reasons = "; ".join(check_text(ex.text).reasons)
                print(f"    false alarm (line {ex.line}): {ex.text}  [{reasons}]")
    print("goal (recall >= 0.95, precision >= 0.9 in every category):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
