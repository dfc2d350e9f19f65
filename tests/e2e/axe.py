"""axe-core in the Playwright suite: every checked page must have no WCAG 2.1 A/AA violation.

axe-core is vendored test-only (static/vendor/axe-core/, pinned in scripts/vendor.sh) and
injected from the file, so no page of the app ever loads it.
"""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
ANIMATION_WAIT_MS = 15_000
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Every page checked in this run and what axe said (written to test-artifacts/axe-results.json).
RESULTS: dict[str, dict] = {}


def axe_violations(page) -> tuple[list[dict], int]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: the app's CSP (no inline scripts) stays on.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """async (tags) => {
            const r = await window.axe.run(document, {
                runOnly: { type: 'tag', values: tags },
                resultTypes: ['violations'],
                // Off by default in axe-core (experimental), but part of WCAG 2.5.3 and named
                // in issue 11: a control's accessible name must contain its visible label.
                rules: { 'label-content-name-mismatch': { enabled: true } },
            });
            return { violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target, summary: n.failureSummary })),
            })), passes: r.passes.length };
        }""",
        TAGS,
    )
    return result["violations"], result["passes"]


def assert_accessible(page, name: str, artifacts: Path | None = None) -> None:
    """Fail on any WCAG 2.1 A/AA violation axe-core finds on the page as it is now."""
    # Colours are checked as they end up: let entrance animations and transitions finish.
    # Only those on rendered elements: Chromium never settles the `finished` promise of an
    # animation inside a subtree it skips (the phone's collapsed "Earlier in this session"
    # <details>) once something, such as axe's own style reads, has started it there, so
    # waiting for those would wait for ever. And never for ever: after ANIMATION_WAIT_MS the
    # check fails and names what is still running.
    stuck = page.evaluate(
        """(limit) => new Promise((resolve) => {
            const waiting = document.getAnimations().filter((a) =>
                Number.isFinite(a.effect?.getComputedTiming().endTime)
                && a.effect?.target?.checkVisibility?.() !== false);
            const timer = setTimeout(() => resolve(waiting
                .filter((a) => a.playState !== "finished")
                .map((a) => `${a.animationName || a.transitionProperty || "animation"} on `
                    + `${a.effect.target.tagName.toLowerCase()}`
                    + `.${a.effect.target.getAttribute("class")} (${a.playState})`)),
                limit);
            Promise.all(waiting.map((a) => a.finished.catch(() => null)))
                .then(() => { clearTimeout(timer); resolve([]); });
        })""",
        ANIMATION_WAIT_MS,
    )
    assert not stuck, f"animations still running on {name} after {ANIMATION_WAIT_MS} ms: {stuck}"
    violations, passes = axe_violations(page)
    RESULTS[name] = {"violations": [v["id"] for v in violations], "rules_passed": passes}
    if artifacts is not None:
        path = artifacts / "axe-results.json"
        known = json.loads(path.read_text()) if path.exists() else {}
        known.update(RESULTS)
        path.write_text(json.dumps(known, indent=2, sort_keys=True))
    assert not violations, f"axe-core on {name}:\n" + json.dumps(violations, indent=2)
