"""Safety checks for everything participants type: questions, open-text answers and
word-cloud entries.

Roundtable is used by children. Before a participant's text is shown to anyone other than
its author and the moderators, the app calls :func:`check_text`; a flagged text is held
for a moderator, who sees :attr:`CheckResult.reasons` and each :class:`Finding`, and may
publish it, reject it, or publish ``redact(text, result)``.

What is checked:

* personal data: Kenyan phone numbers in their usual written forms, e-mail addresses
  (also spelled out: "jane at gmail dot com"), links and bare domains, social-media
  handles and invitations to private contact, and ID / birth-certificate numbers that
  the text names as such (:mod:`.personal_data`);
* abusive language in English and Kiswahili/Sheng, including the usual evasions
  (:mod:`.language`; word lists in ``wordlists/*.txt``, extendable by organisers).

Invariants the rest of the app can rely on:

* pure standard-library Python: no Flask, no I/O except reading the bundled word lists
  once per process; safe to call from any thread;
* ``Finding.start``/``end`` index the *original* text and
  ``text[f.start:f.end] == f.match``, whatever Unicode tricks the text contains;
* ``check_text`` never raises for any ``str`` input, and runs in time linear in the
  text length (no backtracking-prone patterns);
* ordinary numbers pass: years, times, percentages, money, section and article numbers,
  scores, ages and the 116 child helpline;
* word matching is on whole words, so innocent words that merely contain a listed word
  ("Scunthorpe", "assessment", "kundi", "Malaysia") pass;
* the checks favour flagging: a false alarm costs a moderator a click, a miss can expose
  a child. Nothing here deletes text by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from .findings import KIND_ORDER, CheckResult, Finding, redact
from .language import find_abuse
from .normalize import normalize
from .personal_data import find_personal_data

__all__ = ["KIND_ORDER", "CheckResult", "Finding", "check_text", "redact"]

_KIND_RANK = {kind: i for i, kind in enumerate(KIND_ORDER)}


def check_text(text: str, *, extra_words: Iterable[str] = ()) -> CheckResult:
    """Check one participant text for personal data and abusive language.

    ``extra_words`` are organiser-added terms (same syntax as the word-list files: a word,
    ``word*``, ``~word``, ``=word`` or a phrase); matches are reported as ``"abuse"``
    with their own reason.
    """
    if not isinstance(text, str):
        raise TypeError(f"check_text() expects str, not {type(text).__name__}")
    if not text.strip():
        return CheckResult()
    nt = normalize(text)
    findings = find_personal_data(nt) + find_abuse(nt, extra_words)
    findings.sort(key=lambda f: (f.start, _KIND_RANK.get(f.kind, len(KIND_ORDER)), f.end))
    return CheckResult(tuple(findings))
