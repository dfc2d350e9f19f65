"""Table-driven tests of the checks added for issue 10: phone numbers in any shape, disclosures,
grooming; their categories; per-event extras; and the labelled set's goal."""

from __future__ import annotations

from pathlib import Path

import pytest

from roundtable.safety import Extras, check_text, redact
from roundtable.safety.evaluation import evaluate, load
from roundtable.safety.grooming import parse_patterns

DATA = Path(__file__).parent / "data" / "safety_labelled.tsv"


def cats(text: str, **kw) -> set[str]:
    return set(check_text(text, **kw).categories)


# --- contact numbers ------------------------------------------------------------------------
PHONES = [
    ("07 22 33 44 55", "07 22 33 44 55"),
    ("0 7 2 2 3 3 4 4 5 5", "0 7 2 2 3 3 4 4 5 5"),
    ("(0722) 334 455", "0722) 334 455"),  # the bracket before is punctuation, the digits are the span
    ("0722.334.455", "0722.334.455"),
    ("0722/334/455", "0722/334/455"),
    ("+254 (722) 334-455", "254 (722) 334-455"),
    ("+254.7.22.33.44.55", "254.7.22.33.44.55"),
    (
        "zero seven two two three three four four five five",
        "zero seven two two three three four four five five",
    ),
    ("oh seven double two, triple three, four five six", "oh seven double two, triple three, four five six"),
    (
        "sifuri saba mbili mbili tatu tatu nne nne tano tano",
        "sifuri saba mbili mbili tatu tatu nne nne tano tano",
    ),
    (
        "sufuri saba moja moja, mbili mbili, tatu tatu nne nne",
        "sufuri saba moja moja, mbili mbili, tatu tatu nne nne",
    ),
    ("07 two two 33 four 4 55", "07 two two 33 four 4 55"),
    ("07one2 345 678", "07one2 345 678"),
    ("O7I2 345 678", "O7I2 345 678"),
    ("nipigie 07 dabo 2 334 455", "07 dabo 2 334 455"),
    ("seven two two, three three four, four five five", "seven two two, three three four, four five five"),
    ("0110-22-33-44", "0110-22-33-44"),
    ("254 110 223 344", "254 110 223 344"),
]


@pytest.mark.parametrize(("text", "span"), PHONES)
def test_phone_numbers_in_any_shape(text: str, span: str) -> None:
    result = check_text(text)
    phones = [f for f in result.findings if f.kind == "phone"]
    assert phones, result.findings
    assert any(span in f.match or f.match in span for f in phones), phones
    assert all(f.category == "personal_data" for f in phones)


NOT_PHONES = [
    "call 116, it is free",
    "piga 1195 bila malipo",
    "toll free 0800 720 600",
    "0800 22 33 44 is the toll-free line",
    "tuma SMS kwa 22555",
    "one two three four",
    "In 2019 2020 and 2021",
    "KSh 700 000 000 budget",
    "meet on 07.10.2025 at 10.30",
    "we had 1,200,000 views",
    "class seven, grade eight, form two",
    "saa saba na nusu",
    "Room 12, floor 3, seat 45",
    "version 7.1.2.3 is out",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_service_numbers_and_ordinary_numbers_pass(text: str) -> None:
    assert "personal_data" not in cats(text), check_text(text).findings


# --- disclosures ---------------------------------------------------------------------------
DISCLOSURES = [
    ("My name is Akinyi and I'm in grade 5", ["Akinyi", "grade 5"]),
    ("I'm Baraka from Kayole", ["Baraka", "Kayole"]),
    ("i am brian, i school at Ruiru Boys", ["brian", "Ruiru Boys"]),
    ("Call me Wambui, we live on Jogoo Road", ["Wambui", "Jogoo Road"]),
    ("This is Otieno, house no 45, Nyalenda", ["Otieno", "house no 45", "Nyalenda"]),
    ("Naitwa Halima, kidato cha tatu", ["Halima", "kidato cha tatu"]),
    ("Jina langu ni Kevin, tunaishi karibu na msikiti", ["Kevin", "karibu na msikiti"]),
    ("Mimi ni Neema wa Bamburi", ["Neema", "Bamburi"]),
    ("Mi ni Kevo, nadai Dandora phase 2", ["Kevo", "Dandora"]),
    ("Ni mi Shiko, niko gredi 6 shule ya msingi Umoja", ["Shiko", "gredi 6"]),
    ("My daughter's name is Joy and she is in class 4 at Hope Academy", ["Joy", "class 4", "Hope Academy"]),
    ("Majina yangu ni Ali Hassan, ninaishi kijiji cha Mwembeni", ["Ali Hassan", "Mwembeni"]),
]


@pytest.mark.parametrize(("text", "parts"), DISCLOSURES)
def test_name_with_school_class_or_place_is_a_disclosure(text: str, parts: list[str]) -> None:
    result = check_text(text)
    found = [f.match for f in result.findings if f.category == "disclosure"]
    for part in parts:
        assert any(part in f for f in found), (part, found)
    redacted = redact(text, [f for f in result.findings if f.category == "disclosure"])
    for part in parts:
        assert part not in redacted


NOT_DISCLOSURES = [
    "Schools in Turkana have very poor internet access",
    "Which schools in Kisumu run cyber clubs?",
    "Kibera and Mathare need more youth centres",
    "My name is Achieng and I have a question about TikTok",
    "I'm Amos from the Nakuru County government",
    "I am Kenyan and proud",
    "I am a teacher at a school in Kayole",  # no name
    "mimi ni mzazi kutoka Kisumu",
    "Dr. Wanjiru of Kenyatta University spoke about Ngong Road schools",
    "I'm worried about children in Eastleigh",
    "Hi, I'm Jane from UNICEF Kenya",
]


@pytest.mark.parametrize("text", NOT_DISCLOSURES)
def test_general_talk_about_places_and_schools_passes(text: str) -> None:
    assert "disclosure" not in cats(text), check_text(text).findings


# --- grooming ------------------------------------------------------------------------------
GROOMING = [
    "send me a pic of yourself",
    "nitumie picha yako ukiwa peke yako",
    "this is our secret okay",
    "don't tell your mum about me",
    "usimwambie mama yako",
    "delete these messages after reading",
    "I'll send you airtime tonight",
    "nikutumie 500 kwa mpesa",
    "let's move to Snapchat",
    "tuhamie WhatsApp",
    "come to my house on Saturday",
    "tukutane baada ya shule",
    "are you home alone?",
    "uko mwenyewe sasa?",
    "how old are you",
    "una miaka ngapi",
    "you are so mature for your age",
    "unaonekana mkubwa kuliko umri wako",
]


@pytest.mark.parametrize("text", GROOMING)
def test_grooming_signals_are_flagged(text: str) -> None:
    result = check_text(text)
    grooming = [f for f in result.findings if f.category == "grooming"]
    assert grooming, result.findings
    assert all(f.reason.startswith("Possible grooming: ") for f in grooming)


NOT_GROOMING = [
    "How do I report someone who asks my child for photos?",
    "What are the signs of grooming?",
    "Groomers tell children to keep secrets from their parents",
    "Mtoto afanye nini akiombwa picha?",
    "Keep your password secret",
    "Usimwambie mtu PIN yako ya M-Pesa",
    "Should parents post photos of children online?",
    "M-Pesa scams target teenagers too",
    "At what age should a child get a phone?",
    "Let's meet after the session",
    "Is WhatsApp safe for kids?",
    "I'll send you the slides after lunch",
]


@pytest.mark.parametrize("text", NOT_GROOMING)
def test_talk_about_grooming_and_ordinary_use_passes(text: str) -> None:
    assert "grooming" not in cats(text), check_text(text).findings


# --- categories and extras -----------------------------------------------------------------
def test_findings_carry_category_and_reason() -> None:
    result = check_text("idiot, send me a photo of you, call 0712345678. I'm Juma from Kibera")
    assert result.categories == ["grooming", "personal_data", "disclosure", "abuse"]
    for f in result.findings:
        d = f.as_dict()
        assert d["category"] == f.category and d["reason"] and d["end"] > d["start"]


def test_event_extras_extend_every_list() -> None:
    text = "Mimi ni Zuri, kwetu ni kasisit juu. Ongea kwa siri, wewe ni bure kabisa"
    assert cats(text) == set()
    extras = Extras(abuse_words=("bure kabisa",), grooming_phrases=("kwa siri",), places=("Kasisit Juu",))
    assert cats(text, extras=extras) == {"disclosure", "grooming", "abuse"}
    assert "disclosure" in cats("I'm Tom from Hope Junior", extras=Extras(schools=("Hope Junior",)))
    assert "disclosure" not in cats("I'm Tom from Hope Junior")


def test_pattern_file_syntax_errors_are_reported() -> None:
    with pytest.raises(ValueError):
        parse_patterns("a pattern before any [signal]")
    groups = parse_patterns("@x = a|b\n[one] Reason\nsay {x}\n")
    assert groups == [("one", "Reason", ["say (?:a|b)"])]


# --- the labelled set ----------------------------------------------------------------------
def test_labelled_set_is_large_mixed_and_half_innocent() -> None:
    examples = load(DATA)
    assert len(examples) >= 200
    innocent = sum(1 for e in examples if not e.labels)
    assert 0.4 <= innocent / len(examples) <= 0.6
    assert {e.language for e in examples} == {"en", "sw", "sheng"}
    assert len({e.text for e in examples}) == len(examples)


@pytest.mark.parametrize("path", [DATA, DATA.with_name("safety_heldout.tsv")], ids=["labelled", "held-out"])
def test_labelled_sets_meet_the_goal(path: Path) -> None:
    for category, score in evaluate(load(path)).items():
        assert score.recall >= 0.95, (category, [e.text for e in score.misses])
        assert score.precision >= 0.9, (category, [e.text for e in score.false_alarms])


def test_malformed_labelled_line_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("grooming\ten\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load(bad)
    bad.write_text("cats\ten\thello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown"):
        load(bad)
