"""Tests for roundtable.safety: personal data, abusive language, redaction, word lists."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.safety import CheckResult, Finding, check_text, redact
from roundtable.safety import language as lang


def kinds(text: str, **kwargs: object) -> set[str]:
    return {f.kind for f in check_text(text, **kwargs).findings}


def matches(text: str, kind: str) -> list[str]:
    return [f.match for f in check_text(text).findings if f.kind == kind]


# ---------------------------------------------------------------------------------------
# Personal data that must be flagged: (text, kind, the exact substring reported)
# ---------------------------------------------------------------------------------------
PERSONAL_DATA = [
    # phone numbers
    ("0712345678", "phone", "0712345678"),
    ("call me 0712 345 678", "phone", "0712 345 678"),
    ("0712-345-678", "phone", "0712-345-678"),
    ("0712.345.678", "phone", "0712.345.678"),
    ("+254 712 345678", "phone", "+254 712 345678"),
    ("+254712345678", "phone", "+254712345678"),
    ("254712345678", "phone", "254712345678"),
    ("0110.123.456", "phone", "0110.123.456"),
    ("0110 123 456", "phone", "0110 123 456"),
    ("+254-1-10-123-456", "phone", "+254-1-10-123-456"),
    ("+254 (0) 722 123 456", "phone", "+254 (0) 722 123 456"),
    ("00254 712 345 678", "phone", "00254 712 345 678"),
    ("text 712 345 678 tonight", "phone", "712 345 678"),
    ("my number is 0722123456.", "phone", "0722123456"),
    ("O712345678 (letter O)", "phone", "O712345678"),
    ("０７１２３４５６７８", "phone", "０７１２３４５６７８"),  # full-width digits
    ("in 2024 my line was 0712345678", "phone", "0712345678"),
    ("0712345678/0722123456", "phone", "0722123456"),
    ("0 7 1 2 3 4 5 6 7 8", "phone", "0 7 1 2 3 4 5 6 7 8"),
    # e-mail addresses
    ("mail jane.doe@gmail.com please", "email", "jane.doe@gmail.com"),
    ("JANE@SCHOOL.AC.KE", "email", "JANE@SCHOOL.AC.KE"),
    ("jane at gmail dot com", "email", "jane at gmail dot com"),
    ("jane(at)gmail(dot)com", "email", "jane(at)gmail(dot)com"),
    ("jane [at] yahoo [dot] com", "email", "jane [at] yahoo [dot] com"),
    ("jane @ gmail . com", "email", "jane @ gmail . com"),
    ("write to jane at yahoo", "email", "jane at yahoo"),
    ("kid_99@gmail", "email", "kid_99@gmail"),
    # links and bare domains
    ("see http://example.com/page", "link", "http://example.com/page"),
    ("https://www.youtube.com/watch?v=abc.", "link", "https://www.youtube.com/watch?v=abc"),
    ("go to www.x.com", "link", "www.x.com"),
    ("bit.ly/abc", "link", "bit.ly/abc"),
    ("visit example.co.ke today", "link", "example.co.ke"),
    ("tiktok.com/@x", "link", "tiktok.com/@x"),
    ("join t.me/kidsgroup", "link", "t.me/kidsgroup"),
    ("youtu.be/dQw4w9", "link", "youtu.be/dQw4w9"),
    ("discord.gg/abc", "link", "discord.gg/abc"),
    ("Google.Com", "link", "Google.Com"),
    ("mysite dot com", "link", "mysite dot com"),
    # social-media handles
    ("follow @kid_123", "handle", "@kid_123"),
    ("@jd", "handle", "@jd"),
    ("snap: janedoe", "handle", "janedoe"),
    ("ig: kid_123", "handle", "kid_123"),
    ("Insta: kid_ke, TikTok: jane.doe", "handle", "kid_ke"),
    ("x: jane_k", "handle", "jane_k"),
    ("my snap is janedoe", "handle", "janedoe"),
    ("insta yangu ni kid_ke", "handle", "kid_ke"),
    ("add me on snap jane_doe", "handle", "add me on snap jane_doe"),
    ("follow me on tiktok and instagram", "handle", "follow me on tiktok"),
    ("nifollow kwa insta", "handle", "nifollow kwa insta"),
    # national ID, birth certificate and similar numbers named as such
    ("my ID number is 12345678", "national_id", "12345678"),
    ("ID no. 23456789", "national_id", "23456789"),
    ("ID: 12 345 678", "national_id", "12 345 678"),
    ("namba ya kitambulisho 12345678", "national_id", "12345678"),
    ("kitambulisho changu ni 3456789", "national_id", "3456789"),
    ("my birth certificate number is 1234567", "national_id", "1234567"),
    ("birth cert no 123456789", "national_id", "123456789"),
    ("cheti cha kuzaliwa 654321", "national_id", "654321"),
    ("passport no AK1234567", "national_id", "AK1234567"),
    ("12345678 is my ID number", "national_id", "12345678"),
    ("huduma namba 12345678", "national_id", "12345678"),
]


@pytest.mark.parametrize(("text", "kind", "match"), PERSONAL_DATA)
def test_personal_data_is_flagged(text: str, kind: str, match: str) -> None:
    result = check_text(text)
    assert result.flagged
    assert match in [f.match for f in result.findings if f.kind == kind], result.findings


# ---------------------------------------------------------------------------------------
# Ordinary text that must pass untouched
# ---------------------------------------------------------------------------------------
MUST_PASS = [
    # percentages and counts
    "55% of children have a phone",
    "83 percent said yes",
    "1 in 3 children have seen something upsetting online",
    # years
    "In 2024 we met",
    "in 2023/24 the budget grew",
    "between 2019 and 2023",
    "the 2010 Constitution",
    # times
    "We start at 09:30",
    "tea at 9.30am",
    "14:00-15:30 plenary",
    "from 8.00 to 17.00",
    # money
    "KES 1,000,000 was allocated",
    "Ksh 500 per child",
    "sh. 2000 only",
    "$100 grant",
    "KSh 700 000 000 budget",
    "Kshs. 25,000/=",
    # laws, sections and articles
    "Section 22 of the Computer Misuse and Cybercrimes Act 2018",
    "Article 53 protects children",
    "Children Act 2022, s. 15",
    "Data Protection Act No. 24 of 2019",
    # scores, ages, ranges
    "scored 8/10",
    "3 out of 5",
    "children aged 12-13",
    "ages 10 to 17",
    "grade 7 and form 2",
    # the helpline and public toll-free numbers
    "call 116",
    "Childline 116 is free",
    "116",
    "toll free 0800 720 600",
    # words with "at", abbreviations and full stops
    "look at this",
    "we met at school. Then we talked",
    "e.g. parents, i.e. guardians",
    "Mr. Otieno and Dr. Wanjiru spoke",
    "keep children safe.Children need help",
    "the rate rose by 3.5 points",
    "version 2.0 is out",
    "It was good.Me too",
    # dates and decimals
    "on 01.10.2024 10 children attended",
    "the meeting is on 12/03/2025",
    "meet @ the hall",
    "meet @5pm",
    "TikTok: parents should monitor screen time",
    "my tiktok is fun",
    "I lost my ID in 2019",
]


@pytest.mark.parametrize("text", MUST_PASS)
def test_ordinary_text_passes(text: str) -> None:
    result = check_text(text)
    assert not result.flagged, result.findings
    assert result.reasons == []


# ---------------------------------------------------------------------------------------
# Abusive language: (text, the exact substring reported)
# ---------------------------------------------------------------------------------------
ABUSE = [
    # English
    ("what the fuck", "fuck"),
    ("FUCKING hell", "FUCKING"),
    ("you motherfucker", "motherfucker"),
    ("this is bullshit", "bullshit"),
    ("you are an idiot", "idiot"),
    ("stupid teacher", "stupid"),
    ("dumbass", "dumbass"),
    ("go kill yourself", "kill yourself"),
    ("kys", "kys"),
    ("send nudes", "send nudes"),
    ("u r a bitch", "bitch"),
    # evasions
    ("f*ck off", "f*ck"),
    ("f**k this", "f**k"),
    ("sh!t", "sh!t"),
    ("a$$hole", "a$$hole"),
    ("you 1d10t", "1d10t"),
    ("$hit", "$hit"),
    ("fuuuuck", "fuuuuck"),
    ("stuuupid", "stuuupid"),
    ("f u c k", "f u c k"),
    ("F.U.C.K", "F.U.C.K"),
    ("fück", "fück"),
    ("f\u200buck", "f\u200buck"),  # zero-width space inside
    ("ｆｕｃｋ", "ｆｕｃｋ"),  # full-width letters
    ("IDIOT!!!", "IDIOT"),
    # Kiswahili
    ("wewe ni malaya", "malaya"),
    ("mavi", "mavi"),
    ("mkundu wako", "mkundu"),
    ("mjinga sana", "mjinga"),
    ("mpumbavu", "mpumbavu"),
    ("mshenzi wewe", "mshenzi"),
    ("nitakuua", "nitakuua"),
    ("nitumie picha ya uchi", "nitumie picha ya uchi"),
    ("kutombana", "kutombana"),
    # Sheng
    ("fala wewe", "fala"),
    ("msenge", "msenge"),
    ("kumamako", "kumamako"),
    ("kuma nyoko", "kuma nyoko"),
    ("m4l4ya", "m4l4ya"),
    ("p u m b a v u", "p u m b a v u"),
]


@pytest.mark.parametrize(("text", "match"), ABUSE)
def test_abuse_is_flagged(text: str, match: str) -> None:
    result = check_text(text)
    assert result.flagged
    assert match in matches(text, "abuse"), result.findings


INNOCENT = [
    "Scunthorpe United",
    "the assessment is tomorrow",
    "our class",
    "passion for reading",
    "a fruit cocktail",
    "Charles Dickens",
    "data analysis",
    "shiitake mushrooms",
    "shitake soup",
    "see a therapist",
    "grapes and bananas",
    "Essex and Sussex",
    "teaching assistant",
    "hello everyone",
    "digital skills",
    "Arsenal won",
    "a cocoon and a raccoon",
    "Nigeria and Niger",
    "Fagin in Oliver Twist",
    "rules are looser now",
    "the cock crowed at dawn",
    "My Samsung A55 is new",
    "I scored 455 marks",
    "she came 3rd",
    "don't do it",
    # Kiswahili look-alikes
    "kundi la watoto",
    "makundi ya vijana",
    "mavuno mazuri",
    "mavazi ya shule",
    "Malaysia",
    "kumaliza kazi",
    "nyoka mkubwa",
    "matakwa ya watoto",
    "mboga za majani",
    "falafel",
    # words that are normal in an online-safety discussion
    "sextortion is a crime",
    "someone shared nudes of me",
    "report child sexual abuse material",
    "porn sites should be blocked",
    "is it safe to be gay",
    "shut up and dance",
]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_words_pass(text: str) -> None:
    result = check_text(text)
    assert not result.flagged, result.findings


def test_abuse_inside_longer_text_reports_only_the_word() -> None:
    text = "Good session, but whoever said that is an idiot and a m0r0n."
    result = check_text(text)
    assert [f.match for f in result.findings] == ["idiot", "m0r0n"]
    assert all(f.kind == "abuse" for f in result.findings)


def test_spaced_letters_report_shortest_word() -> None:
    assert matches("F U C K Y O U", "abuse") == ["F U C K"]


def test_phrase_swallows_its_words() -> None:
    # one finding for the phrase, not three overlapping ones
    assert matches("kuma nyoko", "abuse") == ["kuma nyoko"]


# ---------------------------------------------------------------------------------------
# Result shape
# ---------------------------------------------------------------------------------------
def test_spans_point_into_the_original_text() -> None:
    texts = [t for t, *_ in PERSONAL_DATA] + [t for t, _ in ABUSE] + ["Ｆ\u200bＵＣＫ and 0712 345 678"]
    for text in texts:
        for f in check_text(text).findings:
            assert text[f.start : f.end] == f.match
            assert 0 <= f.start < f.end <= len(text)


_FUZZ_PIECES = st.sampled_from(
    [*"abcdefkstuxyz0123456789 .-_@$!*#|+'’:/()[]%\n\u200bＡ０éİßﬁ🤬а", "+254", " at ", " dot "]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_FUZZ_PIECES, max_size=80).map("".join), st.text(max_size=60)))
def test_any_text_gives_consistent_findings(text: str) -> None:
    result = check_text(text)
    for f in result.findings:
        assert text[f.start : f.end] == f.match
        assert 0 <= f.start < f.end <= len(text)
    redacted = redact(text, result)
    assert result.flagged == (redacted != text)


def test_findings_are_frozen_and_ordered() -> None:
    result = check_text("idiot, call 0712345678 or mail jane@gmail.com")
    assert [f.kind for f in result.findings] == ["abuse", "phone", "email"]
    assert [f.start for f in result.findings] == sorted(f.start for f in result.findings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.findings[0].kind = "x"  # type: ignore[misc]


def test_reasons_are_unique_and_in_kind_order() -> None:
    result = check_text("idiot! stupid! 0712345678 and 0722123456, jane@gmail.com")
    assert result.reasons == [
        "Looks like a phone number",
        "Looks like an e-mail address",
        "Contains offensive or abusive language",
    ]


def test_email_is_not_also_reported_as_link_or_handle() -> None:
    result = check_text("jane@gmail.com")
    assert [(f.kind, f.match) for f in result.findings] == [("email", "jane@gmail.com")]


def test_link_with_handle_is_one_finding() -> None:
    result = check_text("tiktok.com/@kid_123")
    assert [(f.kind, f.match) for f in result.findings] == [("link", "tiktok.com/@kid_123")]


def test_empty_and_blank_text() -> None:
    for text in ("", "   ", "\n"):
        result = check_text(text)
        assert result == CheckResult(())
        assert not result.flagged
        assert result.reasons == []


def test_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        check_text(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# redact
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 0712 345 678 now", "call [removed] now"),
        ("you idiot", "you [removed]"),
        ("mail jane at gmail dot com or 0712345678", "mail [removed] or [removed]"),
        ("snap: janedoe", "snap: [removed]"),
        ("my ID number is 12345678", "my ID number is [removed]"),
        ("f*ck you, @kid_123", "[removed] you, [removed]"),
        ("nothing to see", "nothing to see"),
        ("ｆｕｃｋ!", "[removed]!"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text, check_text(text)) == expected
    assert redact(text, check_text(text).findings) == expected


def test_redact_merges_overlapping_and_touching_spans() -> None:
    text = "abcdefghij"
    findings = [
        Finding("abuse", "r", 1, 4, "bcd"),
        Finding("phone", "r", 3, 6, "def"),
        Finding("link", "r", 6, 7, "g"),
        Finding("email", "r", 8, 9, "i"),
    ]
    assert redact(text, findings) == "a[removed]h[removed]j"
    assert redact(text, reversed(findings)) == "a[removed]h[removed]j"


def test_redact_clamps_and_ignores_empty_spans() -> None:
    findings = [Finding("abuse", "r", 2, 2, ""), Finding("abuse", "r", 3, 99, "x")]
    assert redact("hello", findings) == "hel[removed]"
    assert redact("hello", []) == "hello"


# ---------------------------------------------------------------------------------------
# Organiser-supplied words
# ---------------------------------------------------------------------------------------
def test_extra_words_are_flagged_with_their_own_reason() -> None:
    result = check_text("that was kabisa wack", extra_words=["wack"])
    assert [f.match for f in result.findings] == ["wack"]
    assert result.reasons == ["Contains a word on the organisers' block list"]
    assert not check_text("that was kabisa wack").flagged


@pytest.mark.parametrize(
    ("words", "text", "match"),
    [
        (["wack"], "WAAACK", "WAAACK"),  # case and stretched letters
        (["wack"], "w@ck", "w@ck"),  # symbols
        (["bure kabisa"], "wewe ni bure kabisa", "bure kabisa"),  # phrase
        (["kinyago*"], "kinyagos", "kinyagos"),  # suffixes
        (["~boga"], "mabogaboga", "mabogaboga"),  # inside a word
        (("  Otieno  ", ""), "Mr Otieno said", "Otieno"),  # whitespace and blanks ignored
    ],
)
def test_extra_word_syntax(words: list[str], text: str, match: str) -> None:
    assert [f.match for f in check_text(text, extra_words=words).findings] == [match]


def test_extra_words_are_whole_words() -> None:
    assert not check_text("wacky ideas", extra_words=["wack"]).flagged


def test_extra_words_as_single_string_is_not_split_into_letters() -> None:
    # were "abc" iterated as letters, the lone "b" would be flagged
    assert not check_text("plan b", extra_words="abc").flagged
    assert check_text("abc", extra_words="abc").flagged


def test_extra_word_already_listed_is_reported_once() -> None:
    result = check_text("idiot", extra_words=["idiot"])
    assert len(result.findings) == 1
    assert result.findings[0].reason == "Contains offensive or abusive language"


# ---------------------------------------------------------------------------------------
# Word-list data files
# ---------------------------------------------------------------------------------------
def test_bundled_word_lists_load_and_are_non_empty() -> None:
    assert {"en", "sw"} <= set(lang.wordlist_names())
    en, sw = lang.wordlist("en"), lang.wordlist("sw")
    assert 40 <= len(en) <= 200
    assert 30 <= len(sw) <= 150
    for term in en + sw:
        assert term == term.strip() and "#" not in term
    assert "malaya" in sw and "idiot*" in en
    assert lang.builtin_lexicon()  # compiles


def test_unknown_word_list_is_an_error() -> None:
    with pytest.raises(KeyError):
        lang.wordlist("no-such-list")


def test_parse_wordlist_ignores_comments_and_blank_lines() -> None:
    text = "# heading\n\nfoo   # trailing comment\n  bar baz  \n#\n"
    assert lang.parse_wordlist(text) == ("foo", "bar baz")


def test_every_listed_word_is_detected() -> None:
    # Each plain single-word entry must be caught on its own (guards against typos in
    # the files and against normalisation changes that would make an entry unmatchable).
    for term in lang.wordlist("en") + lang.wordlist("sw"):
        word = term.lstrip("=~").rstrip("*")
        if " " in word:
            continue
        assert check_text(word).flagged, term
