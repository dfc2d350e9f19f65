"""Keep the translation files in step with the code: ``python scripts/translations.py``.

1. extracts every message (Python ``_l``/``gettext``, templates, the browser modules' ``t``/``tn``)
   into roundtable/translations/messages.pot;
2. merges it into each roundtable/translations/<lang>/LC_MESSAGES/messages.po (new messages come
   in untranslated, translations of gone messages are dropped);
3. reports what still needs a translator (tests/test_i18n.py fails until nothing does).

Compiling (.po -> .mo) is done by ``make`` and, for a tree started without it, at start-up.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "roundtable" / "translations"
POT = TRANSLATIONS / "messages.pot"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
KEYWORDS: list[str] = []  # per kind of file, in babel.cfg


def main() -> int:
    subprocess.run(  # noqa: S603 - our own pybabel, our own arguments
        [
            PYBABEL,
            "extract",
            "-F",
            "babel.cfg",
            *KEYWORDS,
            "-o",
            str(POT),
            "--no-location",
            "--omit-header",
            "--sort-output",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        subprocess.run(  # noqa: S603 - our own pybabel, our own arguments
            [
                PYBABEL,
                "update",
                "-i",
                str(POT),
                "-o",
                str(po),
                "-l",
                po.parent.parent.name,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
                "--omit-header",
                "-w",
                "100",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        from babel.messages.pofile import read_po

        with po.open("rb") as handle:
            catalog = read_po(handle)
        todo = [
            m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.id, tuple) else m.string)
        ]
        print(f"{po.relative_to(ROOT)}: {len(todo)} to translate")
        for message in todo:
            print("   ", message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
