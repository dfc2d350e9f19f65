"""Detect personal data a child might share by accident: Kenyan phone numbers, e-mail
addresses (also "jane at gmail dot com"), links and bare domains, social-media handles and
ID / birth-certificate numbers.

The patterns run on the normalised text (lower case, full-width digits folded, zero-width
characters removed; see :mod:`.normalize`). They are written to be linear-time: no nested
unbounded quantifiers, and every repeated group is delimited by a character the next
part cannot match.

Ordinary numbers must pass: years, times, percentages, money, section numbers, scores,
ages and the 116 helpline. Phone numbers are therefore recognised only by their exact
Kenyan shapes, and long numbers only count as ID numbers when the text says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Finding
from .normalize import NormalizedText
from .numbers import find_phone_spans


def _words(text: str) -> list[str]:
    return text.split()


REASONS = {
    "phone": "Looks like a phone number",
    "email": "Looks like an e-mail address",
    "link": "Contains a link or web address",
    "handle": "Looks like a social-media handle",
    "contact": "Invites private contact on social media",
    "national_id": "Looks like an ID or birth-certificate number",
}

# ---------------------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------------------
# 07xx/01xx + 6 digits, (+)254 7xx/1xx + 6 digits (optionally with a stray 0 or "(0)"),
# or a bare 7xx xxx xxx. Between digits: up to two of space, dot or dash.
_SEP = r"[ .\-]{0,2}"
_PHONE = re.compile(
    rf"""
    (?<![\w+])(?<!\d[.,])               # not the tail of a longer number or word
    (?:
        (?:(?:\+|00)[ ]?254|254){_SEP}(?:\(0\){_SEP}|0{_SEP})?[17]
      | [0o][ \-]{{0,2}}[17]             # a letter O for the zero is a common slip
      | (?P<bare>7)
    )
    (?:{_SEP}\d){{8}}
    (?!{_SEP}\d)                        # ...and not the head of a longer one
    """,
    re.VERBOSE,
)
_DATE_LIKE = re.compile(r"\d{1,2}([./\-])\d{1,2}\1\d{2,4}(?!\d)")
_MONEY_BEFORE = re.compile(r"(?:ksh|kshs|kes|sh|shs|usd|us\$|\$|€|£|shillings?)\.?\s*$")
_MONEY_AFTER = re.compile(r"^\s*(?:/=|/-|bob\b|shillings?\b|ksh\b|kes\b|dollars?\b|usd\b)")


def _phones(nt: NormalizedText) -> Iterator[tuple[str, int, int]]:
    text = nt.text
    for m in _PHONE.finditer(text):
        s, e = m.span()
        if _DATE_LIKE.match(text, s):
            continue
        if m.group("bare") and (
            _MONEY_BEFORE.search(text, max(0, s - 10), s) or _MONEY_AFTER.match(text[e : e + 12])
        ):
            continue
        yield "phone", s, e


# ---------------------------------------------------------------------------------------
# E-mail addresses and links
# ---------------------------------------------------------------------------------------
# Top-level domains that are also everyday words or common sentence fragments ("it.Me",
# "will.be") only count with a path ("x.me/abc") or as a known short-link host.
_STRONG_TLDS = frozenset(
    _words(
        "com org net edu gov mil int info biz io ly ke ug tz rw ng za uk gl gg tv xyz top tk "
        "ml cc ru cn ai ws dev tech africa nairobi mobi xxx porn sex adult"
    )
)
_WEAK_TLDS = _words(
    "me be co us to app link site online live fun club store shop page chat ee it in de fr "
    "ca au nz so im is am fm gd ga cf gq su pro name one world life news blog art website "
    "space social games lol cam dating video photos pics pw eu"
)
_KNOWN_WEAK_HOSTS = frozenset(
    _words(
        "t.me wa.me m.me fb.me youtu.be t.co linktr.ee bio.link beacons.ai snapchat.me "
        "tiktok.me discord.me telegram.me"
    )
)
_ALL_TLDS = sorted(set(_STRONG_TLDS) | set(_WEAK_TLDS), key=lambda t: (-len(t), t))
_TLD_RE = "(?:" + "|".join(_ALL_TLDS) + ")"
_STRONG_TLD_RE = "(?:" + "|".join(sorted(_STRONG_TLDS, key=lambda t: (-len(t), t))) + ")"

_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){0,4}\.[a-z]{2,24}(?![\w\-])"
)
# Obfuscated: "jane (at) gmail (dot) com", "jane at gmail dot com", "jane @ gmail . com".
_AT = r"(?:\s*(?:\(at\)|\[at\]|\{at\}|<at>|\(@\)|\[@\]|@)\s*|\s+at\s+)"
_DOT = r"(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\(\.\)|\[\.\])\s*|\s+dot\s+|\s?\.\s?)"
_LOCAL = r"(?<![\w.+\-])[a-z0-9][\w.+\-]{0,63}"
_OBFUSCATED_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}[a-z0-9][\w\-]{{0,62}}(?:{_DOT}[a-z0-9][\w\-]{{0,62}}){{0,2}}?"
    rf"{_DOT}{_STRONG_TLD_RE}(?![\w\-])"
)
# "jane at gmail" with no ".com": the big mail providers are unambiguous enough.
_PROVIDER_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|icloud|protonmail|"
    r"proton|aol|rocketmail)(?![\w\-])"
)

_URL_TAIL = r"[^\s<>\"'`]*"
_URL = re.compile(r"(?:\b(?:https?|hxxps?|ftp)://|(?<![\w.\-])www\d{0,3}\.)[^\s<>\"'`]+")
_DOMAIN = re.compile(
    rf"(?<![\w@.\-])(?P<host>(?:[a-z0-9][a-z0-9\-]{{0,62}}\.){{1,6}}(?P<tld>{_TLD_RE}))"
    rf"(?![\w\-])(?P<path>/{_URL_TAIL})?"
)
_SPELLED_DOT = r"(?:\s*(?:\(dot\)|\[dot\])\s*|\s+dot\s+)"
_SPELLED_DOMAIN = re.compile(
    rf"(?<![\w.\-])[a-z0-9][a-z0-9\-]{{0,62}}{_SPELLED_DOT}"
    rf"(?:(?:co|ac|go|or)(?:{_SPELLED_DOT}|\.)ke|com|org|net|ke|io|ly|me)(?![\w\-])"
)
_TRAILING_PUNCT = ".,;:!?)]}'\"…"


def _trim(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1] in _TRAILING_PUNCT:
        # keep a closing bracket that has its opening partner inside the link
        if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
            break
        e -= 1
    return e


_ANY_DIGIT = re.compile(r"\d")
_PROVIDERS = (
    "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "icloud", "proton", "aol", "rocketmail",
)  # fmt: skip
_STRONG_TLD_WORD = re.compile(rf"(?<![a-z]){_STRONG_TLD_RE}(?![a-z])")
_HAS_AT = re.compile(r"@|\bat\b|\(at\)|\[at\]")


def _emails_and_links(nt: NormalizedText) -> Iterator[tuple[str, int, int]]:
    text = nt.text
    # Cheap tests first: no "@"/"at", no e-mail; no "." or "dot", no link.
    if _HAS_AT.search(text):
        patterns = [_EMAIL] if "@" in text else []
        if _STRONG_TLD_WORD.search(text):
            patterns.append(_OBFUSCATED_EMAIL)
        if any(p in text for p in _PROVIDERS):
            patterns.append(_PROVIDER_EMAIL)
        for pattern in patterns:
            for m in pattern.finditer(text):
                yield "email", m.start(), m.end()
    if "." not in text and "dot" not in text:
        return
    if "://" in text or "www" in text:
        for m in _URL.finditer(text):
            yield "link", m.start(), _trim(text, m.start(), m.end())
    if "dot" in text:
        for m in _SPELLED_DOMAIN.finditer(text):
            yield "link", m.start(), m.end()
    if "." not in text:
        return
    for m in _DOMAIN.finditer(text):
        host, tld, path = m.group("host"), m.group("tld"), m.group("path")
        if tld not in _STRONG_TLDS and not path and host not in _KNOWN_WEAK_HOSTS:
            continue
        if host.split(".", 1)[0].isdigit() and not path:  # "3.5", "2.0" are not hosts
            continue
        yield "link", m.start(), _trim(text, m.start(), m.end())


# ---------------------------------------------------------------------------------------
# Social-media handles
# ---------------------------------------------------------------------------------------
_HANDLE = r"[a-z0-9_](?:[a-z0-9_]|\.(?=[a-z0-9_])){1,29}"
_AT_HANDLE = re.compile(rf"(?<![\w@.])@(?P<h>{_HANDLE})(?![\w@])")
_NOT_HANDLES = frozenset({"everyone", "here", "all", "channel", "admin", "moderator"})
_TIME_LIKE = re.compile(r"\d{1,2}(?:am|pm|h|hr|hrs|hours)?|\d+")

_PLATFORM = (
    r"(?:snap\s?chat|snap|insta(?:gram)?|ig|tik\s?tok|face\s?book|fb|twitter|threads|"
    r"telegram|whats\s?app|discord|you\s?tube|yt|roblox|kik|reddit|twitch)(?![a-z])"
)
# Short labels that are only read as platforms before a colon ("x: name", "sc: name").
_PLATFORM_LABEL = rf"(?:{_PLATFORM}|(?:sc|tt|wa|tg|x)(?![a-z]))"
_ACCOUNT_WORD = r"(?:id|handle|username|user\s?name|name|account|acc|page|acct)"
_LABEL_HANDLE = re.compile(
    rf"\b{_PLATFORM_LABEL}(?:\s+{_ACCOUNT_WORD})?\s*[:=]\s*@?(?P<h>{_HANDLE})(?![\w@])"
)
_MY_HANDLE = re.compile(
    rf"\b(?:my|mine|our)\s+{_PLATFORM}(?:\s+{_ACCOUNT_WORD})?\s*(?:(?:is|ni)\b|[=:\-])"
    rf"\s*@?(?P<h>{_HANDLE})(?![\w@])"
)
_SW_MY_HANDLE = re.compile(
    rf"\b{_PLATFORM}(?:\s+{_ACCOUNT_WORD})?\s+(?:yangu|yetu|wangu)\s*(?:ni\b|[=:\-])"
    rf"\s*@?(?P<h>{_HANDLE})(?![\w@])"
)
# "add me on snap", "follow me on tiktok kid_123", "nifollow kwa insta".
_INVITE = re.compile(
    rf"""
    \b(?:
        (?:add|follow|dm|inbox|message|msg|text|txt|chat\s+with|call|find|reach|contact|
           subscribe\s+to|sub\s+to)\s+(?:me|us)
      | hmu | hit\s+(?:me|us)\s+up
      | ni[ \-]?(?:add|follow|fuata|dm|text|inbox|chat|call|pigie|pate|tafute|tumie)
    )
    (?:\s+up)?\s+(?:(?:on|via|at|through|in|kwa|kwenye|huko)\s+)?
    (?P<p>{_PLATFORM}|x\b)
    (?:\s*[:\-]?\s*@?(?P<h>{_HANDLE})(?![\w@]))?
    """,
    re.VERBOSE,
)
# Words that follow "tiktok:" / "my insta is" in ordinary sentences.
_STOPWORDS = frozenset(
    _words(
        """
    a about addictive all also an and any are as at bad banned be because best better
    blocked boring but by can children closed cool dangerous deleted do does down every
    everyone everything for from fun full good great hacked has have he her here him his how
    i if in is it its just kids like live me more most my new nice no not now of off ok old
    on only open or our over parents people please pls plz popular private public really safe
    she so some still such than that the their them then there these they this those to too
    us very was we were what when where which who why will with you your
    hii hiyo hizi huo huu ile ina kama kila kwa kwamba la lakini na ni pia sana si tu wa
    wao ya yake yangu yetu za
    """
    )
)
_CLAUSE_END = re.compile(
    r"\s*(?:$|[,;:!?)\]\n]|\.(?:\s|$)|(?:and|or|na|au|pia|please|pls|plz|too)\b)"
)


def _handle_ok(text: str, m: re.Match[str]) -> bool:
    """A label-introduced word counts as a handle if it looks like one or ends the clause."""
    h = m.group("h")
    if h is None or h in _STOPWORDS or h.isdigit():
        return False
    if any(c.isdigit() or c in "._" for c in h):
        return True
    return _CLAUSE_END.match(text, m.end("h")) is not None


_ANY_PLATFORM = re.compile(_PLATFORM)


def _handles(nt: NormalizedText) -> Iterator[tuple[str, int, int]]:
    text = nt.text
    if "@" in text:
        for m in _AT_HANDLE.finditer(text):
            h = m.group("h")
            if h in _NOT_HANDLES or _TIME_LIKE.fullmatch(h):
                continue
            yield "handle", m.start(), m.end()
    # Every other form names a platform (or a short label before ":" / "="): a cheap test first.
    platform = _ANY_PLATFORM.search(text) is not None
    patterns = [_MY_HANDLE, _SW_MY_HANDLE] if platform else []
    if platform or ":" in text or "=" in text:
        patterns.insert(0, _LABEL_HANDLE)
    for pattern in patterns:
        for m in pattern.finditer(text):
            if _handle_ok(text, m):
                yield "handle", m.start("h"), m.end("h")
    if not platform and not re.search(r"\bx\b", text):
        return
    for m in _INVITE.finditer(text):
        end = m.end("h") if m.group("h") and _handle_ok(text, m) else m.end("p")
        yield "contact", m.start(), end


# ---------------------------------------------------------------------------------------
# National-ID, birth-certificate and similar numbers (only when the text says what they are)
# ---------------------------------------------------------------------------------------
_ID_LABEL = r"""(?:
    national\s+id(?:entity)?(?:\s+card)?|id(?:entity)?\s+card|identity|identification
  | id|i\.d\.?
  | kitambulisho(?:\s+cha\s+taifa)?|cheti\s+cha\s+kuzaliwa
  | birth\s+cert(?:ificate)?|cert(?:ificate)?\s+ya\s+kuzaliwa
  | passport|pasipoti|huduma\s+(?:namba|number|no)|maisha\s+namba|kra\s+pin
  | nemis(?:\s+upi)?|upi\s+(?:no|number|namba)
  | index\s+(?:no|number|namba)
)"""
_ID_NUMBER = r"(?:[a-z]{1,2})?\d(?:[ \-]?\d){5,13}[a-z]?"
_ID_AFTER_LABEL = re.compile(
    rf"\b{_ID_LABEL}(?!\w)[^\d\n]{{0,30}}?(?<![\w\-])(?P<n>{_ID_NUMBER})(?![ \-]?\d)(?!\w)",
    re.VERBOSE,
)
_ID_BEFORE_LABEL = re.compile(
    rf"""(?<![\w\-])(?P<n>{_ID_NUMBER})(?![ \-]?\d)(?!\w)
    \s*[,:\-]?\s*(?:(?:is|ni)\s+)?(?:(?:my|the|our|yangu)\s+)?
    (?:(?:namba|nambari|number|no)\.?\s+(?:(?:ya|of)\s+)?(?:(?:my|the)\s+)?)?
    {_ID_LABEL}\b""",
    re.VERBOSE,
)


def _national_ids(nt: NormalizedText) -> Iterator[tuple[str, int, int]]:
    for pattern in (_ID_AFTER_LABEL, _ID_BEFORE_LABEL):
        for m in pattern.finditer(nt.text):
            yield "national_id", m.start("n"), m.end("n")


# ---------------------------------------------------------------------------------------

# When one finding lies inside another, only the more specific one is kept
# ("jane@gmail.com" is an e-mail, not also a link to gmail.com).
_PRIORITY = {"email": 0, "link": 1, "phone": 2, "national_id": 3, "contact": 4, "handle": 5}


def find_personal_data(nt: NormalizedText) -> list[Finding]:
    """All personal-data findings in ``nt``, with spans in the original text."""
    text = nt.text
    raw: list[tuple[str, int, int]] = []
    if _ANY_DIGIT.search(text):
        raw.extend(_phones(nt))
        raw.extend(_national_ids(nt))
    raw.extend(("phone", s, e) for s, e in find_phone_spans(text))
    raw.extend(_emails_and_links(nt))
    raw.extend(_handles(nt))

    raw.sort(key=lambda r: (r[1], -(r[2] - r[1]), _PRIORITY[r[0]]))
    kept: list[tuple[str, int, int]] = []
    for kind, s, e in raw:
        if e <= s:
            continue
        if any(ks <= s and e <= ke for _, ks, ke in kept):
            continue
        kept.append((kind, s, e))

    findings = []
    for kind, s, e in kept:
        os_, oe = nt.span(s, e)
        public_kind = "handle" if kind == "contact" else kind
        findings.append(Finding(public_kind, REASONS[kind], os_, oe, nt.original[os_:oe]))
    return findings
