"""Top costs from py-spy's raw (collapsed) stacks: ``python bench/top.py profile.txt [N]``.

Prints the N functions with the most samples on the stack (inclusive) and the N with the most
samples at the top of the stack (self), as shares of all samples.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def main() -> None:
    path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = [f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0].split("/")[-1] + ")"
                  if " (" in f else f for f in stack.split(";")]
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        own[frames[-1]] += samples
    idle = sum(c for f, c in own.items() if f.startswith(("epoll", "poll ", "wait (", "_sleep")))
    print(f"{total} samples")
    print("inclusive:")
    for frame, count in inclusive.most_common(n + 8)[:n + 8]:
        print(f"  {100 * count / total:5.1f}%  {frame}")
    print("self:")
    for frame, count in own.most_common(n):
        print(f"  {100 * count / total:5.1f}%  {frame}")
    del idle


if __name__ == "__main__":
    main()
