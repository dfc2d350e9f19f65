"""Safety checks for everything participants type: questions, open-text answers, word-cloud
entries and nicknames.

Roundtable is used by children. Before a participant's text is shown to anyone other than
its author and the moderators, the app calls :func:`check_text`; a flagged text is held
for a moderator, who sees :attr:`CheckResult.reasons` and each :class:`Finding`, and may
publish it, reject it, or publish ``redact(text, result)``.

What is checked:

* personal data: Kenyan phone numbers in their usual written forms, e-mail addresses
  (also spelled out: "jane at gmail dot com"), links and bare domains, social-media
  handles and invitations to private contact, and ID / birth-certificate numbers that
  the text names as such (:mod:`.personal_data`);
  and phone numbers in any grouping, in English or Kiswahili number words, or mixed with digits
  (:mod:`.numbers`); toll-free 0800 lines and short codes (116, 1195) pass;
* self-identifying disclosures: a person's name together with their school, class, estate,
  village, house number, road or landmark (:mod:`.disclosure`; Kenyan gazetteer in
  ``gazetteer/*.txt``);
* grooming and luring: requests for photos, secrecy, gifts and M-Pesa, private apps, meeting,
  age or being alone, flattery about maturity, while talk *about* grooming passes
  (:mod:`.grooming`; patterns in ``grooming/patterns.txt``);
* abusive language in English and Kiswahili/Sheng, including the usual evasions
  (:mod:`.language`; word lists in ``wordlists/*.txt``).

Each :class:`Finding` has a ``kind`` (phone, email, ..., disclosure, grooming, abuse), a
``category`` (``personal_data``, ``disclosure``, ``grooming``, ``abuse``: what moderation rules
are about), a ``reason`` for moderators and a span. Organisers extend the lists per event
(:class:`Extras`: abuse words, grooming phrases, places, schools).

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
from dataclasses import dataclass

from .disclosure import find_disclosures, gazetteer_for
from .findings import (
    CATEGORIES,
    CATEGORY_LABELS,
    KIND_ORDER,
    PERSONAL_CATEGORIES,
    CheckResult,
    Finding,
    redact,
)
from .grooming import find_grooming
from .language import find_abuse
from .normalize import normalize
from .personal_data import find_personal_data

__all__ = [
    "CATEGORIES", "CATEGORY_LABELS", "KIND_ORDER", "PERSONAL_CATEGORIES", "CheckResult", "Extras",
    "Finding", "check_text", "redact",
]  # fmt: skip


@dataclass(frozen=True)
class Extras:
    """An event's own additions to the bundled lists (organisers edit them in the console)."""

    abuse_words: tuple[str, ...] = ()
    grooming_phrases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.abuse_words or self.grooming_phrases or self.places or self.schools)

_KIND_RANK = {kind: i for i, kind in enumerate(KIND_ORDER)}


def check_text(text: str, *, extra_words: Iterable[str] = (), extras: Extras | None = None) -> CheckResult:
    """Check one participant text for personal data, disclosures, grooming and abusive language.

    ``extra_words`` are organiser-added terms (same syntax as the word-list files: a word,
    ``word*``, ``~word``, ``=word`` or a phrase); matches are reported as ``"abuse"``
    with their own reason. ``extras`` carries an event's additions to every list.
    """
    if not isinstance(text, str):
        raise TypeError(f"check_text() expects str, not {type(text).__name__}")
    if not text.strip():
        return CheckResult()
    extras = extras or Extras()
    nt = normalize(text)
    words = (*extra_words, *extras.abuse_words) if extras.abuse_words else extra_words
    findings = (
        find_personal_data(nt)
        + find_disclosures(nt, gazetteer_for(extras.places, extras.schools))
        + find_grooming(nt, extras.grooming_phrases)
        + find_abuse(nt, words)
    )
    findings.sort(key=lambda f: (f.start, _KIND_RANK.get(f.kind, len(KIND_ORDER)), f.end))
    return CheckResult(tuple(findings))
