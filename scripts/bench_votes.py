"""Benchmark entry point: see bench/run.py (``--help`` lists the options).

    .venv/bin/python scripts/bench_votes.py --phones 1000 --projectors 2 --rounds 2
    .venv/bin/python scripts/bench_votes.py --phones 1000 --processes 2   # PostgreSQL + Redis
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import main  # noqa: E402

if __name__ == "__main__":
    main()
