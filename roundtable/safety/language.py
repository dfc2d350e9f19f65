"""Abusive-language detection for English and Kiswahili/Sheng.

Terms come from the data files in ``wordlists/`` (every ``*.txt`` there; syntax in
``wordlists/en.txt``) plus any organiser-supplied words. Matching is always on whole
tokens, never on substrings (except for ``~`` terms), which is what keeps "Scunthorpe",
"assessment", "kundi" and "Malaysia" out of trouble.

Each token of the (normalised) text is turned into a few *candidate* spellings that undo
the usual evasions, and each candidate is looked up in a dictionary:

* symbols and digits for letters: ``sh!t``, ``1d10t``, ``a$$hole`` (leet decoding);
* symbols standing in for letters: ``f*ck``, ``b#tch`` (wildcards, only for tokens that
  contain such symbols, checked against the list's own spellings);
* stretched letters: ``fuuuck``, ``stuuupid`` — a token matches a term when it has the
  same letters in the same order and every run of a letter is at least as long as in the
  term ("asss" matches "ass", but "as" does not);
* spaced or dotted letters: ``f u c k``, ``f.u.c.k`` (runs of single-letter tokens);
* phrases: consecutive tokens matching the phrase words.

Everything is dictionary look-ups or short anchored regexes: linear in the text length.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources

from .findings import Finding
from .normalize import NormalizedText, normalize

REASON_BUILTIN = "Contains offensive or abusive language"
REASON_EXTRA = "Contains a word on the organisers' block list"

_PACKAGE = __name__.rpartition(".")[0]
_WORDLIST_DIR = "wordlists"

# Endings added to terms written as "word*".
SUFFIXES = (
    "s", "es", "ed", "d", "er", "ers", "est", "ing", "in", "ings", "y", "ie", "ies", "ier",
    "iest", "ish", "ly", "ic", "head", "heads", "face", "faces", "hole", "holes", "bag", "bags",
)  # fmt: skip

# What a digit or symbol stands for inside a word; several letters = ambiguous.
LEET = {
    "0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "li", "+": "t", "€": "e",
}  # fmt: skip
_MAX_AMBIGUOUS = 3  # at most 2**3 decodings of one token

# A token is a run of anything but whitespace and these separators. Symbols that can
# stand for letters (* @ $ ! | + # ...) stay inside tokens.
_TOKEN = re.compile(r"[^\s,;:?\"“”«»()\[\]{}<>/\\.\-_~=]+")
_EDGE_JUNK = "'’‘`*#%&^+!|"
# Model numbers, ordinals and units ("A55", "3rd", "10am", "55kg") are not leet words.
_CODE_LIKE = re.compile(
    r"[a-z]{1,2}\d{2,}|\d+(?:st|nd|rd|th|am|pm|k|m|kg|km|g|h|hr|hrs|yrs|min|mins|mb|gb|s|x|d|p)"
)
_ALNUM_RUNS = re.compile(r"[a-z0-9]+|[^a-z0-9]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_MAX_WILDCARD_TOKEN = 32
_MASKED_WORD = re.compile(r"[a-z][*#]{3,}")


def _runs(s: str) -> tuple[str, tuple[int, ...]]:
    """Collapse repeated letters and count them: "fuuuck" -> ("fuck", (1, 3, 1, 1))."""
    letters: list[str] = []
    counts: list[int] = []
    prev = ""
    for c in s:
        if c == prev:
            counts[-1] += 1
        else:
            letters.append(c)
            counts.append(1)
            prev = c
    return "".join(letters), tuple(counts)


@dataclass(frozen=True, slots=True)
class _Term:
    form: str
    key: str  # form with repeated letters collapsed
    runs: tuple[int, ...] | None  # None: exact spelling only

    @classmethod
    def make(cls, form: str, exact: bool = False) -> _Term:
        key, runs = _runs(form)
        return cls(form, key, None if exact else runs)


@dataclass(frozen=True, slots=True)
class _Cand:
    """One decoded spelling of a token."""

    text: str
    key: str
    runs: tuple[int, ...]

    @classmethod
    def make(cls, text: str) -> _Cand:
        key, runs = _runs(text)
        return cls(text, key, runs)


def _term_matches(term: _Term, cand: _Cand) -> bool:
    if term.key != cand.key:
        return False
    if term.runs is None:
        return term.form == cand.text
    return all(c >= t for c, t in zip(cand.runs, term.runs, strict=True))


@dataclass(frozen=True)
class Lexicon:
    """A compiled word list."""

    words: dict[str, tuple[_Term, ...]] = field(default_factory=dict)
    phrases: dict[str, tuple[tuple[_Term, ...], ...]] = field(default_factory=dict)
    infix: re.Pattern[str] | None = None
    # Every single-word form grouped by (first letter, last letter), for tokens like "f*ck".
    by_edges: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    prefixes: frozenset[str] = frozenset()  # prefixes of every word key, for "f u c k"
    max_len: int = 0

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.infix)

    def match_word(self, cand: _Cand) -> bool:
        for term in self.words.get(cand.key, ()):
            if _term_matches(term, cand):
                return True
        return self.infix is not None and self.infix.search(cand.text) is not None

    def match_wildcard(self, wildcard: _Wildcard) -> bool:
        firsts = self.by_edges.keys() if wildcard.first is None else wildcard.first
        for first in firsts:
            by_last = self.by_edges.get(first, {})
            lasts = by_last.keys() if wildcard.last is None else wildcard.last
            for last in lasts:
                if any(wildcard.fullmatch(form) for form in by_last.get(last, ())):
                    return True
        return False


def _clean_word(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word)


def _stretch_pattern(form: str) -> str:
    key, runs = _runs(form)
    return "".join(
        re.escape(c) + ("+" if n == 1 else f"{{{n},}}") for c, n in zip(key, runs, strict=True)
    )


def compile_terms(terms: Iterable[str]) -> Lexicon:
    """Compile raw list entries (``word``, ``word*``, ``~word``, ``=word``, phrases)."""
    words: dict[str, list[_Term]] = {}
    phrases: dict[str, list[tuple[_Term, ...]]] = {}
    infixes: set[str] = set()
    forms: set[str] = set()
    for raw in terms:
        entry = " ".join(normalize(raw).text.split())
        if not entry:
            continue
        marker = entry[0] if entry[0] in "~=" else ""
        entry = entry[len(marker) :]
        stem = entry.endswith("*")
        parts = [w for w in (_clean_word(p) for p in entry.rstrip("*").split()) if w]
        if not parts:
            continue
        if len(parts) > 1:
            phrase = tuple(_Term.make(p) for p in parts)
            phrases.setdefault(phrase[0].key, []).append(phrase)
            continue
        word = parts[0]
        if marker == "~":
            infixes.add(word)
            forms.add(word)
            continue
        for form in [word, *(word + s for s in SUFFIXES)] if stem else [word]:
            term = _Term.make(form, exact=marker == "=")
            bucket = words.setdefault(term.key, [])
            if term not in bucket:
                bucket.append(term)
            forms.add(form)
    infix = None
    if infixes:
        alternatives = sorted({_stretch_pattern(w) for w in infixes}, key=lambda p: (-len(p), p))
        infix = re.compile("|".join(alternatives))
    by_edges: dict[str, dict[str, list[str]]] = {}
    for form in sorted(forms):
        by_edges.setdefault(form[0], {}).setdefault(form[-1], []).append(form)
    keys = set(words) | {_runs(w)[0] for w in infixes}
    return Lexicon(
        words={k: tuple(v) for k, v in words.items()},
        phrases={k: tuple(v) for k, v in phrases.items()},
        infix=infix,
        by_edges={
            f: {last: tuple(forms) for last, forms in by_last.items()}
            for f, by_last in by_edges.items()
        },
        prefixes=frozenset(k[:i] for k in keys for i in range(1, len(k) + 1)),
        max_len=max((len(f) for f in forms), default=0),
    )


# ---------------------------------------------------------------------------------------
# Word-list files
# ---------------------------------------------------------------------------------------
def parse_wordlist(text: str) -> tuple[str, ...]:
    """Terms of a word-list file: one per line, ``#`` starts a comment."""
    terms = []
    for line in text.splitlines():
        term = line.split("#", 1)[0].strip()
        if term:
            terms.append(term)
    return tuple(terms)


@functools.cache
def wordlist_names() -> tuple[str, ...]:
    """Names (file stems) of the bundled word lists, e.g. ``("en", "sw")``."""
    folder = resources.files(_PACKAGE).joinpath(_WORDLIST_DIR)
    return tuple(
        sorted(p.name[: -len(".txt")] for p in folder.iterdir() if p.name.endswith(".txt"))
    )


@functools.cache
def wordlist(name: str) -> tuple[str, ...]:
    """The terms of one bundled list (``"en"``, ``"sw"``, ...), loaded once."""
    if name not in wordlist_names():
        raise KeyError(f"no word list named {name!r}")
    path = resources.files(_PACKAGE).joinpath(_WORDLIST_DIR, f"{name}.txt")
    return parse_wordlist(path.read_text(encoding="utf-8"))


@functools.cache
def builtin_lexicon() -> Lexicon:
    """All bundled word lists, compiled once per process."""
    return compile_terms(itertools.chain.from_iterable(wordlist(n) for n in wordlist_names()))


@functools.lru_cache(maxsize=32)
def _extra_lexicon(terms: tuple[str, ...]) -> Lexicon:
    return compile_terms(terms)


def extra_lexicon(extra_words: Iterable[str]) -> Lexicon:
    """Compile organiser-supplied words (cached, so passing the same config is cheap)."""
    if isinstance(extra_words, str):
        extra_words = (extra_words,)
    terms = tuple(sorted({w.strip() for w in extra_words if w and w.strip()}))
    return _extra_lexicon(terms) if terms else Lexicon()


# ---------------------------------------------------------------------------------------
# Tokens and their candidate spellings
# ---------------------------------------------------------------------------------------
_UNBOUNDED = 1 << 16


@dataclass(frozen=True, slots=True)
class _Wildcard:
    """A token like ``f*ck`` as a sequence of (letters or None for any, min, max)."""

    elems: tuple[tuple[str | None, int, int], ...]

    @property
    def first(self) -> str | None:
        return self.elems[0][0]

    @property
    def last(self) -> str | None:
        return self.elems[-1][0]

    def fullmatch(self, form: str) -> bool:
        n = len(form)
        positions = {0}
        for chars, lo, hi in self.elems:
            reached = set()
            for pos in positions:
                k = 0
                while pos + k < n and k < hi and (chars is None or form[pos + k] in chars):
                    k += 1
                    if k >= lo:
                        reached.add(pos + k)
            if not reached:
                return False
            positions = reached
        return n in positions


@dataclass(slots=True)
class _Token:
    start: int  # in the normalised text
    end: int
    core: str
    cands: tuple[_Cand, ...]
    wildcard: _Wildcard | None


def _decode(s: str) -> list[str]:
    """Leet-decode ``s``; symbols that are not leet are dropped."""
    options: list[str] = []
    for ch in s:
        if "a" <= ch <= "z" or ch.isdigit() and ch not in LEET:
            options.append(ch)
        elif ch in LEET:
            options.append(LEET[ch])
    ambiguous = [i for i, o in enumerate(options) if len(o) > 1]
    if not ambiguous:
        return ["".join(options)]
    for i in ambiguous[_MAX_AMBIGUOUS:]:
        options[i] = options[i][0]
    return ["".join(p) for p in itertools.product(*options)]


def _letter_options(ch: str) -> str:
    return ch if "a" <= ch <= "z" else LEET.get(ch, ch)


@functools.lru_cache(maxsize=1024)
def _wildcard(core: str) -> _Wildcard | None:
    """``f*ck`` -> f, u, any 1-2 letters, c, k (None unless the token has inner symbols).

    Runs of letters/digits become "one or more of this letter" (so stretched letters
    still match); a run of ``k`` symbols stands for 1..k+1 letters. Apostrophes are
    not wildcards: they are simply dropped when decoding ("don't" is "dont").
    """
    if len(core) > _MAX_WILDCARD_TOKEN:
        return None
    pieces = _ALNUM_RUNS.findall(core.replace("'", "").replace("’", ""))
    masks = sum(1 for p in pieces if not p[0].isalnum())
    letters = sum(len(p) for p in pieces if p[0].isalnum())
    symbols = len(core) - letters
    # "f**k" (two letters), or a lone first letter with a run of at least three symbols ("f***")
    lone_letter = letters == 1 and pieces[0][0].isalpha() and symbols >= 3
    if not masks or masks > 4 or (letters < 2 and not lone_letter):
        return None
    elems: list[tuple[str | None, int, int]] = []
    for piece in pieces:
        if piece[0].isalnum():
            for ch, _group in itertools.groupby(piece):
                elems.append((_letter_options(ch), 1, _UNBOUNDED))
        else:
            elems.append((None, 1, len(piece) + 1))
    return _Wildcard(tuple(elems))


@functools.lru_cache(maxsize=4096)
def _analyse(core: str) -> tuple[tuple[_Cand, ...], _Wildcard | None]:
    if core.isascii() and core.isalpha():  # the common case: a plain word
        return (_Cand.make(core),), None
    if not any("a" <= c <= "z" or c in "@$" for c in core) or _CODE_LIKE.fullmatch(core):
        return (), None
    texts = set(_decode(core))
    # the letter runs on their own too: "you!idiot", "@idiot", "idiot's"
    for piece in _NOT_ALNUM.split(core):
        if len(piece) >= 2 and piece != core and not piece.isdigit():
            texts.update(_decode(piece))
    texts.discard("")
    cands = tuple(_Cand.make(t) for t in sorted(texts))
    inner = core.strip("@$'’")
    wildcard = _wildcard(core) if _NOT_ALNUM.search(inner.replace("'", "")) else None
    return cands, wildcard


def _tokens(text: str) -> list[_Token]:
    tokens = []
    append = tokens.append
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        core = m.group()
        if core[0] not in _EDGE_JUNK and core[-1] not in _EDGE_JUNK:  # the common case
            cands, wildcard = _analyse(core)
            append(_Token(s, e, core, cands, wildcard))
            continue
        while s < e and text[s] in _EDGE_JUNK:
            s += 1
        # "f***": the stars are the word
        masked = text[e - 1] in "*#" and _MASKED_WORD.fullmatch(text, s, e) is not None
        while e > s and text[e - 1] in _EDGE_JUNK and not masked:
            e -= 1
        if s == e:
            continue
        core = text[s:e]
        cands, wildcard = _analyse(core)
        tokens.append(_Token(s, e, core, cands, wildcard))
    return tokens


def _spaced_runs(text: str, tokens: Sequence[_Token]) -> Iterator[list[_Token]]:
    """Maximal runs of single-character tokens close together: "f u c k", "f.u.c.k"."""
    run: list[_Token] = []
    for tok in tokens:
        single = len(tok.core) == 1
        if single and run:
            gap = text[run[-1].end : tok.start]
            if len(gap) > 3 or "\n" in gap:
                if len(run) >= 3:
                    yield run
                run = []
        if single:
            run.append(tok)
        else:
            if len(run) >= 3:
                yield run
            run = []
    if len(run) >= 3:
        yield run


def _find(
    text: str, tokens: Sequence[_Token], lex: Lexicon, runs: Sequence[list[_Token]] | None = None
) -> Iterator[tuple[int, int]]:
    """Spans (in the normalised text) of every match of ``lex``."""
    words, infix = lex.words, lex.infix
    # "~" terms: one scan of the whole text serves every plain token (a match cannot cross one,
    # since the pattern is letters only); decoded spellings ("fvck", "sh1t") are searched one by one.
    infix_spans = [m.span() for m in infix.finditer(text)] if infix is not None else []
    for tok in tokens:
        hit = False
        for c in tok.cands:
            if c.key in words and any(_term_matches(t, c) for t in words[c.key]):
                hit = True
                break
        if not hit and infix is not None:
            if len(tok.cands) == 1 and tok.cands[0].text == tok.core:
                hit = any(tok.start <= a and b <= tok.end for a, b in infix_spans)
            else:
                hit = any(infix.search(c.text) is not None for c in tok.cands)
        if hit or (tok.wildcard is not None and lex.match_wildcard(tok.wildcard)):
            yield tok.start, tok.end

    if lex.phrases:
        for i, tok in enumerate(tokens):
            for cand in tok.cands:
                for phrase in lex.phrases.get(cand.key, ()):
                    end = i + len(phrase)
                    if end > len(tokens) or not _term_matches(phrase[0], cand):
                        continue
                    if all(
                        any(_term_matches(word, c) for c in tokens[i + j].cands)
                        for j, word in enumerate(phrase[1:], start=1)
                    ):
                        yield tok.start, tokens[end - 1].end

    for run in runs if runs is not None else _spaced_runs(text, tokens):
        yield from _spaced_matches(run, lex)


def _spaced_matches(run: Sequence[_Token], lex: Lexicon) -> Iterator[tuple[int, int]]:
    """Words spelled out one character per token ("f u c k", "f.u.c.k", "k y s").

    Equal neighbouring characters are grouped first ("f u u c k" = f, u*2, c, k), so each
    step of the inner loop adds one letter to the candidate and the search stops as soon
    as no listed word starts with the letters so far: linear in the run length.
    """
    groups: list[tuple[str, int, int]] = []  # (letter options, first token, last token)
    for idx, tok in enumerate(run):
        ch = tok.core
        opts = _letter_options(ch)
        if groups and groups[-1][0] == opts:
            groups[-1] = (opts, groups[-1][1], idx)
        else:
            groups.append((opts, idx, idx))
    g = 0
    while g < len(groups):
        step = 1
        partial = [""]
        has_letter = False
        for h in range(g, min(len(groups), g + lex.max_len)):
            opts, first, last = groups[h]
            has_letter = has_letter or "a" <= run[first].core <= "z"
            count = last - first + 1
            partial = [p + o * count for p in partial for o in opts][: 2**_MAX_AMBIGUOUS]
            cands = [_Cand.make(p) for p in partial]
            if not any(c.key in lex.prefixes for c in cands):
                break
            first_tok, last_tok = groups[g][1], last
            if (
                last_tok - first_tok >= 2
                and has_letter
                and any(lex.match_word(c) for c in cands)
            ):
                yield run[first_tok].start, run[last_tok].end
                step = h - g + 1
                break
        g += step


def find_abuse(nt: NormalizedText, extra_words: Iterable[str] = ()) -> list[Finding]:
    """Abusive-language findings in ``nt`` (spans in the original text)."""
    tokens = _tokens(nt.text)
    if not tokens:
        return []
    seen: set[tuple[int, int]] = set()
    findings: list[Finding] = []
    lexicons = ((builtin_lexicon(), REASON_BUILTIN), (extra_lexicon(extra_words), REASON_EXTRA))
    runs = list(_spaced_runs(nt.text, tokens))  # the same for every lexicon
    for lex, reason in lexicons:
        if not lex:
            continue
        # Longest first, and a span inside another one ("kuma" in "kuma nyoko") is dropped.
        spans = sorted(set(_find(nt.text, tokens, lex, runs)), key=lambda sp: (sp[0], -sp[1]))
        kept: list[tuple[int, int]] = []
        for s, e in spans:
            if (s, e) in seen or any(ks <= s and e <= ke for ks, ke in kept):
                continue
            kept.append((s, e))
            seen.add((s, e))
            os_, oe = nt.span(s, e)
            findings.append(Finding("abuse", reason, os_, oe, nt.original[os_:oe]))
    findings.sort(key=lambda f: (f.start, f.end))
    return findings
