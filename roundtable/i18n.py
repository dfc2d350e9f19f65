"""Languages: English and Kiswahili, for pages, server messages and the browser's strings.

- The participant's language is chosen once (join page, any phone page, the console) and kept in
  the session cookie (``lang``) and, for a participant, in ``Participant.language``; until then the
  browser's Accept-Language decides. ``select_locale`` is Flask-Babel's locale selector.
- Business logic raises ``RoundtableError(code, _l("English text", name=value))``: the message is
  a lazy string, turned into text only at the boundary (an acknowledgement, a page), in the
  caller's language. ``_l`` is what ``pybabel extract`` looks for.
- The translation files are ``roundtable/translations/<lang>/LC_MESSAGES/messages.po``, part of
  the repository. ``make`` compiles them to ``.mo``; ``ensure_compiled`` does it at start-up when
  a ``.mo`` is missing or older than its ``.po`` (a fresh tree started without ``make``).
- Content written by facilitators carries an optional Kiswahili version (``<field>_sw``);
  ``pick`` shows the participant's language and falls back to the other one when it is empty.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import has_request_context, request, session
from flask_babel import get_locale, lazy_gettext
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

log = logging.getLogger(__name__)

LANGUAGES = ("en", "sw")
LANGUAGE_NAMES = {"en": "English", "sw": "Kiswahili"}
DEFAULT_LANGUAGE = "en"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
TIMEZONE = "Africa/Nairobi"

_l = lazy_gettext


def clean_language(value: Any) -> str | None:
    """``"en"``/``"sw"`` from a form or cookie value (``"sw-KE"`` counts as ``"sw"``), else None."""
    if not isinstance(value, str):
        return None
    short = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return short if short in LANGUAGES else None


def select_locale() -> str:
    """The caller's language: their choice (session), else Accept-Language, else English.

    As spoken in Kenya (``en_KE``, ``sw_KE``): dates, times and numbers take Kenya's forms ("9
    March 2027"); the translations are found under ``sw`` (gettext falls back from ``sw_KE``).
    """
    return f"{_language()}_KE"


def _language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return language_for(session.get("lang"), request.accept_languages)


def language_for(chosen: Any, accept: Any) -> str:
    """The language of a caller who chose ``chosen`` (the session's ``lang``, or nothing) and
    whose browser sends ``accept`` (an Accept-Language header, as text or parsed)."""
    language = clean_language(chosen)
    if language:
        return language
    if not isinstance(accept, LanguageAccept):
        accept = parse_accept_header(accept if isinstance(accept, str) else None, LanguageAccept)
    return accept.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    locale = get_locale()
    return clean_language(str(locale)) if locale is not None else DEFAULT_LANGUAGE


def pick(english: str | None, kiswahili: str | None, language: str | None = None) -> str:
    """Content in ``language`` (the caller's by default), falling back to the other language."""
    language = language or current_language()
    first, second = (kiswahili, english) if language == "sw" else (english, kiswahili)
    if first and first.strip():
        return first
    return second or ""


def one_language(data: Any, language: str) -> Any:
    """``data`` (a view: dicts and lists) with each ``x`` that has an ``x_sw`` twin reduced to the
    text in ``language``: the Kiswahili one where there is one (else the English stays, the
    fallback of ``pick``), the twin dropped. For what goes to one client only (a phone's
    snapshot): half the bytes on a slow link. Broadcasts keep both, since one message reaches
    phones in both languages (static/js/i18n.js picks there)."""
    if isinstance(data, list):
        return [one_language(value, language) for value in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key.endswith("_sw") and key[:-3] in data:
            continue
        twin = data.get(f"{key}_sw")
        if language == "sw" and twin and (not isinstance(twin, str) or twin.strip()):
            value = twin
        out[key] = one_language(value, language)
    return out


DEFAULT_HELPLINE = _l(
    "If you or a child you know needs help, call Childline Kenya on 116 (free, 24 hours), "
    "or talk to a facilitator."
)


def event_helpline(event: Any, language: str | None = None) -> str:
    """The event's helpline text in ``language`` (the caller's), else the other one, else the default."""
    text = pick(event.helpline, event.helpline_sw, language)
    if text:
        return text
    if language:
        from flask_babel import force_locale

        with force_locale(language):
            return str(DEFAULT_HELPLINE)
    return str(DEFAULT_HELPLINE)


_SPANS = {
    False: Markup('<span lang="{}">{}</span>'),
    True: Markup('<span lang="{}" class="alt-lang">{}</span>'),
}


def bilingual(languages: tuple[str, ...], message: str, **variables: Any) -> Markup:
    """``message`` translated into each of ``languages``, one ``<span lang>`` each (the projector's
    "both languages at once"); the second and later carry the class ``alt-lang``."""
    from flask_babel import force_locale, gettext

    parts = []
    for index, language in enumerate(languages):
        with force_locale(language):
            text = gettext(message, **variables)
        parts.append(_SPANS[bool(index)].format(language, text))
    return Markup(" ").join(parts)


def bilingual_content(languages: tuple[str, ...], english: str, kiswahili: str) -> Markup:
    """Content in each of ``languages`` (the same text once when one version is missing)."""
    texts = [(language, pick(english, kiswahili, language)) for language in languages]
    if len({text for _, text in texts}) == 1:
        texts = texts[:1]
    parts = [_SPANS[bool(i)].format(lang, text) for i, (lang, text) in enumerate(texts)]
    return Markup(" ").join(parts)


# Names of the fields that generic messages ("The %(field)s cannot be empty.") speak of.
FIELDS = {
    "question": _l("question"),
    "name": _l("name"),
    "message": _l("message"),
    "reason": _l("reason"),
    "option": _l("option"),
    "title": _l("title"),
    "hosts": _l("hosts"),
    "objective": _l("objective"),
    "outcomes": _l("outcomes"),
    "helpline": _l("helpline"),
    "facilitator": _l("facilitator"),
    "points": _l("points"),
    "questions_to": _l("questions to"),
    "nickname": _l("nickname"),
    "session": _l("session"),
    "poll": _l("poll"),
    "request": _l("request"),
    "location": _l("location"),
}


def field(name: str) -> Any:
    """The (lazy) name of a field for a message; the Kiswahili twin of a field says so."""
    if name.endswith("_sw"):
        return _l("%(field)s in Kiswahili", field=field(name[:-3]))
    return FIELDS.get(name, name)


STATIC_JS = Path(__file__).resolve().parent.parent / "static" / "js"
_JS_MESSAGES: dict[tuple, list[Any]] = {}


def js_messages(directory: Path = STATIC_JS, only: set[str] | None = None) -> list[Any]:
    """The msgids the browser modules use (``t("...")``, ``tn("...", "...", n)``), as pybabel's
    JavaScript extractor finds them; cached until a file under ``static/js`` changes."""
    from babel.messages.extract import extract_from_dir

    stamp = max((p.stat().st_mtime for p in directory.rglob("*.js")), default=0.0)
    key = (str(directory), stamp, frozenset(only or ()))
    if key not in _JS_MESSAGES:
        found = extract_from_dir(
            str(directory),
            method_map=[("**.js", "javascript")],
            keywords={"t": None, "tn": (1, 2)},
            comment_tags=(),
        )
        ids = []
        for filename, _lineno, message, _comments, _context in found:
            if only is not None and str(directory / filename) not in only:
                continue
            if message not in ids:
                ids.append(message)
        _JS_MESSAGES[key] = ids
    return _JS_MESSAGES[key]


def js_catalogue(language: str | None = None, only: set[str] | None = None) -> dict[str, Any]:
    """The browser's strings in ``language`` (the caller's): ``{msgid: text}``, and for plurals
    ``{singular: [one, other]}``; a string without a translation is left out (it stays English)."""
    from flask_babel import force_locale, get_translations

    language = language or current_language()
    out: dict[str, Any] = {}
    with force_locale(language):
        translations = get_translations()
        for message in js_messages(only=only):
            # Raw texts, placeholders and all: the browser fills them in (static/js/i18n.js).
            if isinstance(message, tuple):
                singular, plural = message[0], message[1]
                forms = [translations.ngettext(singular, plural, n) for n in (1, 2)]
                if forms != [singular, plural]:
                    out[singular] = forms
            else:
                text = translations.gettext(message)
                if text != message:
                    out[message] = text
    return out


def ensure_compiled(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``messages.po`` whose ``.mo`` is missing or older; return what was written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        tmp.replace(mo)  # atomic: several processes may start at once
        written.append(mo)
        log.info("compiled %s", mo)
    return written
