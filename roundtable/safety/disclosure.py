"""Self-identifying disclosures: a person's name together with their school, class, estate,
village, house number, road or landmark, in English, Kiswahili and Sheng.

A child in a workshop rarely types a phone number; they say who they are and where: "My name is
Wanjiru, class 7 at Olympic Primary in Kibera", "Mimi ni Faith wa Kayole, tunaishi karibu na
Naivas", "Mi ni Shiko, nadai Umoja 2". Either part alone is ordinary talk ("schools in Turkana
have poor internet", "my name is Achieng and I think ..."), so a text is flagged only when it has
both:

* a **name**: after an introduction ("my name is", "I'm", "call me", "this is", "<Name> here",
  "my son's name is", "jina langu ni", "naitwa", "mimi ni", "mi ni", "ni mi", ...), a word that is
  capitalised or a known first name (``gazetteer/first_names.txt``) and is not a common word
  (``gazetteer/not_names.txt``: "I am a teacher", "mimi ni mwalimu" pass) nor a place;
* a **place that narrows a child down**: an estate, settlement, village or camp
  (``gazetteer/estates.txt``), a school (a known name or "<Name> Primary/Girls/Academy/...",
  "shule ya msingi <Name>", "my school is <Name>"), a class ("class 7", "form three", "darasa la
  sita", "kidato cha pili", "gredi 5"), a house or plot number, a road ("Ngong Road", "barabara ya
  ...", "mtaa wa ..."), a landmark given as directions ("near the mosque", "karibu na Naivas",
  "nyuma ya kanisa"), or where someone lives when that is not a whole town ("I live in <Name>",
  "ninaishi <Name>", "nadai <Name>"). Counties and towns (``counties.txt``, ``towns.txt``) are
  not enough on their own: "I'm Amos from the Nakuru County children's department" passes.

The findings cover the name and each place, so that redaction removes exactly those parts.
Everything is a dictionary look-up per token or a short anchored regex: linear in the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from .findings import Finding
from .normalize import NormalizedText, normalize

REASON = "Names someone together with their school, class or where they live"
_PACKAGE = __name__.rpartition(".")[0]
_MAX_NGRAM = 4


# ---------------------------------------------------------------------------------------
# Data files
# ---------------------------------------------------------------------------------------
def parse_list(text: str) -> tuple[str, ...]:
    """Entries of a gazetteer file: one per line, ``#`` starts a comment."""
    out = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            out.append(entry)
    return tuple(out)


@functools.cache
def gazetteer(name: str) -> tuple[str, ...]:
    """A bundled list (``"estates"``, ``"towns"``, ``"counties"``, ``"schools"``, ...)."""
    path = resources.files(_PACKAGE).joinpath("gazetteer", f"{name}.txt")
    if not path.is_file():
        raise KeyError(f"no gazetteer list named {name!r}")
    return parse_list(path.read_text(encoding="utf-8"))


_WORD = re.compile(r"[a-z0-9](?:[a-z0-9]|['’\-](?=[a-z0-9]))*")


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w.replace("’", "'") for w in words)


@dataclass(frozen=True)
class PhraseSet:
    """Multi-word entries keyed by their words; ``capital`` holds those written ``=Name``."""

    entries: frozenset[tuple[str, ...]]
    capital: frozenset[tuple[str, ...]]
    longest: int
    # first word -> the lengths of the entries it starts, longest first (a quick "no")
    starts: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, raw: Iterable[str]) -> PhraseSet:
        entries: set[tuple[str, ...]] = set()
        capital: set[tuple[str, ...]] = set()
        for item in raw:
            item = item.strip()
            needs_capital = item.startswith("=")
            words = _key(_WORD.findall(normalize(item.lstrip("=")).text))
            if not words:
                continue
            entries.add(words)
            if needs_capital:
                capital.add(words)
        entries = {e for e in entries if len(e) <= _MAX_NGRAM}
        longest = max((len(e) for e in entries), default=0)
        starts: dict[str, set[int]] = {}
        for e in entries:
            starts.setdefault(e[0], set()).add(len(e))
        return cls(
            frozenset(entries),
            frozenset(capital),
            longest,
            {w: tuple(sorted(n, reverse=True)) for w, n in starts.items()},
        )


@dataclass(frozen=True)
class Gazetteer:
    estates: PhraseSet
    schools: PhraseSet
    towns: PhraseSet  # towns and counties: context only
    school_words: PhraseSet
    landmarks: PhraseSet
    not_names: frozenset[str]
    first_names: frozenset[str]


@functools.cache
def builtin_gazetteer() -> Gazetteer:
    return _make(
        gazetteer("estates"), gazetteer("schools"), gazetteer("landmarks")
    )


@functools.lru_cache(maxsize=32)
def _with_extras(places: tuple[str, ...], schools: tuple[str, ...]) -> Gazetteer:
    return _make(
        gazetteer("estates") + places, gazetteer("schools") + schools, gazetteer("landmarks")
    )


def _make(estates: Sequence[str], schools: Sequence[str], landmarks: Sequence[str]) -> Gazetteer:
    return Gazetteer(
        estates=PhraseSet.of(estates),
        schools=PhraseSet.of(schools),
        towns=PhraseSet.of(gazetteer("towns") + gazetteer("counties")),
        school_words=PhraseSet.of(gazetteer("school_words")),
        landmarks=PhraseSet.of(landmarks),
        not_names=frozenset(normalize(w).text for w in gazetteer("not_names")),
        first_names=frozenset(normalize(w).text for w in gazetteer("first_names")),
    )


def gazetteer_for(places: Iterable[str] = (), schools: Iterable[str] = ()) -> Gazetteer:
    """The bundled gazetteer plus an event's own places and schools (cached)."""
    p = tuple(sorted({s.strip() for s in places if s and s.strip()}))
    s = tuple(sorted({x.strip() for x in schools if x and x.strip()}))
    return _with_extras(p, s) if p or s else builtin_gazetteer()


# ---------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------
_APOS = r"['’]?"
_INTRO = re.compile(
    rf"""\b(?:
        my\s+name\s+is | my\s+names?\s+are | my\s+name{_APOS}s | name{_APOS}s | names?\s*[:\-]
      | (?:i\s+am|i{_APOS}m|am)\s+called | i\s+am | i{_APOS}m | call\s+me | this\s+is | it{_APOS}s
      | they\s+call\s+me | people\s+call\s+me
      | my\s+(?:son|daughter|child|kid|sister|brother|friend|cousin|niece|nephew|grandchild)
        (?:{_APOS}s\s+name\s+is|\s+is\s+called|\s+called|\s+named|\s+is)
      | jina\s+langu\s+ni | majina\s+yangu\s+ni | jina\s+lake\s+ni | jina\s+lako\s+ni
      | (?:mimi\s+|mi\s+|me\s+)?(?:ni)?naitwa | anaitwa | wananiita
      | mimi\s+ni | ni\s+mimi | mi\s+ni | me\s+ni | ni\s+mi | mimi\s+ndimi | mimi\s+ndiye
    )\s+(?P<n1>[a-z][a-z'’\-]+)(?:\s+(?P<n2>[a-z][a-z'’\-]+))?""",
    re.VERBOSE,
)
_HERE = re.compile(
    r"^\s*(?:(?:hi|hello|hey|habari|sasa|niaje|mambo)[\s,!.]+)?(?P<n1>[a-z][a-z'’\-]+)\s+(?:here|hapa)\b"
)
_NUMBER_WORDS = (
    r"\d{1,2}[a-z]?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"kwanza|moja|pili|mbili|tatu|nne|tano|sita|saba|nane|tisa|kumi"
)
_CLASS = re.compile(
    rf"""\b(?:
        (?:class|grade|form|std|standard|gredi|grd|darasa(?:\s+la)?|kidato(?:\s+cha)?)
        \s*(?:{_NUMBER_WORDS})\b
      | pp\s?[12]\b | (?:east|west|north|south|red|blue|green|yellow)\s+stream\b
      | stream\s+[a-z]\b
    )""",
    re.VERBOSE,
)
_HOUSE = re.compile(
    r"""\b(?:
        (?:house|hse|flat|apartment|apt|door|plot|block|court|phase|section|nyumba|chumba|
           mlango|gate)
        \s*(?:no\.?|number|namba|nambari|\#)?\s*\d{1,4}[a-z]?\b
      | nyumba\s+(?:ya|namba)\s+[a-z0-9]+ | plot\s+ya\s+[a-z]+
    )""",
    re.VERBOSE,
)
_ROAD_WORDS = frozenset(
    ["road", "rd", "street", "avenue", "ave", "way", "lane", "drive", "highway", "crescent", "close"]
)
_SW_STREET = re.compile(r"\b(?:barabara\s+ya|mtaa\s+wa|kijiji\s+cha|village\s+of|kitongoji\s+cha)\s+")
_LIVE = re.compile(
    r"""\b(?:
        i\s+(?:live|stay|reside)\s+(?:in|at|on) | we\s+(?:live|stay)\s+(?:in|at|on)
      | (?:ni)?naishi | tunaishi | (?:ni)?nakaa | tunakaa | nadai | tunadai | nabuda | nadunda
      | kwetu\s+ni | kwetu | (?:i{_APOS}m|i\s+am|ni)\s+(?:from|wa|kutoka) | natoka | wa
    )\s+(?:(?:the|kwa|pale|huko)\s+)?""".replace("{_APOS}", _APOS),
    re.VERBOSE,
)
_DIRECTION = re.compile(
    r"""\b(?:near|opposite|opp|behind|beside|next\s+to|close\s+to|across\s+from|
        karibu\s+na|nyuma\s+ya|mbele\s+ya|mkabala\s+na|kando\s+ya|jirani\s+na|baada\s+ya|pale|
        kwa\s+zile|kando\s+ya)\s+""",
    re.VERBOSE,
)
_SCHOOL_CUE = re.compile(
    r"""\b(?:my\s+school\s+is|i\s+go\s+to|i\s+study\s+at|i\s+attend|i\s+learn\s+at|
        i\s+school\s+at|shule\s+yangu\s+ni|nasoma|ninasoma|nasomea|ninasomea|
        shule\s+ya\s+(?:msingi|upili|sekondari))\s+(?:(?:katika|kwa|at|the)\s+)?""",
    re.VERBOSE,
)
_PREFIX_WORDS = frozenset({"st", "saint", "mt", "mount", "our", "lady"})
_SMALL = frozenset(
    """
    a an the my our your his her their this that these those which what every each any some all many
    most public private local government national county new big good best i we you he she they it
    and or but in at on to of for from with by near is are was were our kids children pupils
    students schools ya wa la cha za na ni kwa shule
    """.split()  # noqa: SIM905
)


# ---------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Tok:
    word: str
    start: int
    end: int
    capital: bool


def _tokens(nt: NormalizedText) -> list[_Tok]:
    out = []
    for m in _WORD.finditer(nt.text):
        os_, _ = nt.span(m.start(), m.end())
        out.append(_Tok(m.group().replace("’", "'"), m.start(), m.end(), nt.original[os_].isupper()))
    return out


def _phrase_at(toks: Sequence[_Tok], i: int, phrases: PhraseSet) -> int:
    """Length (in tokens) of the longest entry of ``phrases`` starting at ``toks[i]``, or 0."""
    lengths = phrases.starts.get(toks[i].word)
    if lengths is None:
        return 0
    for n in lengths:
        if i + n > len(toks):
            continue
        key = tuple(t.word for t in toks[i : i + n])
        if key in phrases.entries and (key not in phrases.capital or toks[i].capital):
            return n
    return 0


def _index_at(toks: Sequence[_Tok], pos: int) -> int | None:
    """The index of the first token starting at or after ``pos``."""
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(toks) else None


def _is_place_word(toks: Sequence[_Tok], i: int, gz: Gazetteer) -> bool:
    return bool(
        _phrase_at(toks, i, gz.estates) or _phrase_at(toks, i, gz.towns) or _phrase_at(toks, i, gz.schools)
    )


# Introductions after which the next word can only be a name, so it counts even in lower case
# ("my name is tonny"); after "I'm" / "mimi ni" it must be capitalised or a known first name.
_STRONG_INTRO = re.compile(
    r"(?:name\s+is|name['’]?s|names?\s*[:\-]|called|call\s+me|jina\s+la\w*\s+ni|majina\s+yangu\s+ni|"
    r"naitwa|anaitwa|wananiita)\s*$"
)


def _name_ok(tok: _Tok | None, toks: Sequence[_Tok], i: int, gz: Gazetteer, strong: bool = False) -> bool:
    if tok is None or tok.word in gz.not_names or tok.word in _SMALL or len(tok.word) < 2:
        return False
    if _is_place_word(toks, i, gz):
        return False
    return tok.capital or tok.word in gz.first_names or strong


def _names(nt: NormalizedText, toks: Sequence[_Tok], gz: Gazetteer) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    matches = list(_INTRO.finditer(nt.text))
    here = _HERE.match(nt.text)
    if here:
        matches.append(here)
    for m in matches:
        i = _index_at(toks, m.start("n1"))
        strong = m.re is _INTRO and _STRONG_INTRO.search(nt.text, m.start(), m.start("n1")) is not None
        if i is None or not _name_ok(toks[i], toks, i, gz, strong):
            continue
        end = toks[i].end
        if m.groupdict().get("n2") and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt.capital and nxt.word not in gz.not_names and nxt.word not in _SMALL and not _is_place_word(
                toks, i + 1, gz
            ):
                end = nxt.end
        spans.append((toks[i].start, end))
    return spans


def _capitalised_run_before(toks: Sequence[_Tok], i: int, gz: Gazetteer) -> int | None:
    """Index of the first of up to three capitalised (or place / "St") words ending at i-1."""
    first = None
    j = i - 1
    while j >= 0 and i - j <= 3:
        t = toks[j]
        if t.word in _SMALL and t.word not in _PREFIX_WORDS:
            break
        if t.capital or t.word in _PREFIX_WORDS or _is_place_word(toks, j, gz):
            first = j
            j -= 1
            continue
        break
    return first


def _places(nt: NormalizedText, toks: Sequence[_Tok], gz: Gazetteer) -> list[tuple[int, int]]:
    text = nt.text
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        n = _phrase_at(toks, i, gz.estates) or _phrase_at(toks, i, gz.schools)
        if n:
            end = i + n
            # "Umoja 2", "Githurai 45", "Mathare 4A": the number belongs to the place
            if end < len(toks) and toks[end].word[:1].isdigit() and len(toks[end].word) <= 3:
                end += 1
            spans.append((toks[i].start, toks[end - 1].end))
            i = end
            continue
        n = _phrase_at(toks, i, gz.school_words)
        if n:
            first = _capitalised_run_before(toks, i, gz)
            if first is not None:
                spans.append((toks[first].start, toks[i + n - 1].end))
        elif toks[i].word in _ROAD_WORDS and i > 0:
            first = _capitalised_run_before(toks, i, gz)
            if first is not None:
                spans.append((toks[first].start, toks[i].end))
        elif toks[i].word == "st" and i + 1 < len(toks) and toks[i + 1].capital:
            spans.append((toks[i].start, toks[i + 1].end))
        i += 1
    for pattern in (_CLASS, _HOUSE):
        spans.extend(m.span() for m in pattern.finditer(text))
    # "<cue> <Name>": the named thing after a street, village, school or living-place cue
    for pattern, need_place in ((_SW_STREET, False), (_SCHOOL_CUE, False), (_LIVE, True)):
        for m in pattern.finditer(text):
            k = _index_at(toks, m.end())
            if k is None or toks[k].start != m.end():
                continue
            t = toks[k]
            if t.word in gz.not_names or t.word in _SMALL:
                continue
            if _phrase_at(toks, k, gz.towns) and not _phrase_at(toks, k, gz.estates):
                continue  # a whole town or county is not enough
            if need_place and not t.capital:
                continue
            if t.capital or not need_place:
                spans.append((t.start, t.end))
    for m in _DIRECTION.finditer(text):
        k = _index_at(toks, m.end())
        if k is None:
            continue
        for j in range(k, min(k + 4, len(toks))):
            n = _phrase_at(toks, j, gz.landmarks)
            if n:
                spans.append((m.start(), toks[j + n - 1].end))
                break
            if toks[j].capital and toks[j].word not in _SMALL:
                spans.append((m.start(), toks[j].end))
                break
    return spans


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def find_disclosures(nt: NormalizedText, gz: Gazetteer | None = None) -> list[Finding]:
    """Disclosure findings (a name and the places that go with it), or none."""
    gz = gz or builtin_gazetteer()
    if _INTRO.search(nt.text) is None and _HERE.match(nt.text) is None:
        return []  # no one is named: the common case, decided without tokenising
    toks = _tokens(nt)
    if len(toks) < 3:
        return []
    names = _names(nt, toks, gz)
    if not names:
        return []
    places = _places(nt, toks, gz)
    if not places:
        return []
    findings = []
    for s, e in _merge(names + places):
        os_, oe = nt.span(s, e)
        findings.append(Finding("disclosure", REASON, os_, oe, nt.original[os_:oe]))
    return findings
