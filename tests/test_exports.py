"""Exports and the outcome report: each one's content, and what none may ever contain.

A populated built-in roundtable (``room``): participants of several groups (and one without),
answers to polls of every kind, questions in every state, held and hidden free text, a help
request, nicknames. Secrets planted in what must never leave the room are looked for in every
export, the report page and the PDF's extracted text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from roundtable.audit import entries
from roundtable.exports import csv_export, json_export, report, xlsx_export
from roundtable.exports import data as export_data
from roundtable.extensions import db
from roundtable.models import HelpRequest, Participant, Poll, Question, Response, ResponseItem, User
from roundtable.polls import service as polls

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SECRETS = [
    "HELPSECRET",
    "0712345678",
    "REJECTEDSECRET",
    "PENDINGSECRET",
    "HELDSECRET",
    "hiddensecret",
    "RSNSECRET",
    "Kidnick",
    "Adultnick",
    "Asker Name",
    "203.0.113.9",
]
_ids = itertools.count()


@dataclass
class Room:
    event: object
    participants: list
    polls: dict
    day1: object
    day2: object


def _vote(poll, participant, answer, language=None):
    polls.cast_response(poll, participant, answer, f"export-{next(_ids):07d}")
    if language:
        db.session.execute(
            update(Response)
            .where(Response.poll_id == poll.id, Response.participant_id == participant.id)
            .values(language=language)
        )


def _poll(event, title, kind):
    item = next(i for i in event.agenda_items() if i.title == title and i.polls)
    return next(p for p in item.polls if p.kind == kind)


def populate(event) -> Room:
    event.days[0].date = dt.date(2026, 3, 10)
    event.days[1].date = dt.date(2026, 3, 11)
    groups = ["children"] * 6 + ["isp"] * 5 + ["government"] * 2 + [None]
    people = []
    start = dt.datetime(2026, 3, 10, 5, 30)  # 08:30 EAT
    for n, group in enumerate(groups):
        p = Participant(event_id=event.id, group_key=group, created_at=start + dt.timedelta(minutes=n))
        db.session.add(p)
        people.append(p)
    people[0].nickname = "Kidnick"
    people[7].nickname = "Adultnick"
    db.session.flush()
    duty = "Duty Bearers Response to Children Voices"
    found = {
        "ranking": _poll(event, duty, "ranking"),
        "single": _poll(event, duty, "single"),
        "opentext": _poll(event, "Children Voices on Online Safety", "opentext"),
        "wordcloud": _poll(event, "Meeting Preliminaries", "wordcloud"),
        "rating": _poll(event, "Children Voices on Online Safety", "rating"),
        "points": _poll(event, "Way forward", "points"),
        "quiz": _poll(event, "Evidence sharing on Internet and Children", "quiz"),
        "multiple": _poll(event, "Meeting Preliminaries", "multiple"),
    }
    for poll in found.values():
        polls.open_poll(poll)
    for n, person in enumerate(people):
        child = person.group_key == "children"
        ranking = found["ranking"]
        order = [o.id for o in ranking.options]
        _vote(
            ranking,
            person,
            {"order": order if child else list(reversed(order))},
            "sw" if n % 3 == 0 else "en",
        )
        single = found["single"]
        _vote(single, person, {"option": single.options[0 if child else 1].id})
        _vote(found["rating"], person, {"value": 2 if child else 4})
        points = found["points"]
        _vote(points, person, {"points": {str(points.options[0].id): 60, str(points.options[1].id): 40}})
        quiz = found["quiz"]
        _vote(quiz, person, {"option": quiz.options[n % 2].id})
        multiple = found["multiple"]
        _vote(multiple, person, {"options": [multiple.options[0].id, multiple.options[1].id]})
        words = ["safety", "privacy"] + (["hiddensecret"] if n == 1 else [])
        _vote(found["wordcloud"], person, {"words": words})
        text = "HELDSECRET call me" if n == 2 else f"Safer apps for children, idea {n}"
        _vote(found["opentext"], person, {"texts": [text]})
    # Children's own session: every open answer waits for a moderator; approve all but one.
    opentext = found["opentext"]
    approve = [
        i
        for i, t in db.session.execute(
            select(ResponseItem.id, ResponseItem.text).where(ResponseItem.poll_id == opentext.id)
        )
        if "HELD" not in t
    ]
    polls.moderate_items(opentext, approve, "approve")
    polls.hide_word(found["wordcloud"], "hiddensecret")
    items = {i.title: i for i in event.agenda_items()}
    duty_item = items[duty]
    for text, status, upvotes in [
        ("How will telcos verify the age of children?", "published", 7),
        ("When will SMS scams be blocked?", "answered", 3),
        ("REJECTEDSECRET insult", "rejected", 0),
        ("PENDINGSECRET waiting", "pending", 0),
        ("Old question archived", "archived", 1),
    ]:
        db.session.add(
            Question(
                agenda_item_id=duty_item.id,
                participant_id=people[8].id,
                text=text,
                fingerprint=text.lower(),
                status=status,
                upvotes=upvotes,
                name="Asker Name",
                reject_reason="RSNSECRET" if status == "rejected" else None,
                created_at=dt.datetime(2026, 3, 10, 11, 15),
            )
        )
    db.session.add(
        HelpRequest(
            event_id=event.id, participant_id=people[0].id, kind="help", message="HELPSECRET call 0712345678"
        )
    )
    db.session.commit()
    return Room(event, people, found, event.days[0], event.days[1])


@pytest.fixture
def room(ctx, make_event):
    return populate(make_event())


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def assert_clean(text: str, room: Room) -> None:
    for secret in SECRETS:
        assert secret not in text, secret
    for person in room.participants:
        assert person.id not in text


# --- CSV ------------------------------------------------------------------------------------------


def test_poll_csv_has_one_row_per_response_with_every_column(room):
    poll = room.polls["ranking"]
    rows = parse_csv(csv_export.poll_responses_csv(room.event, poll))
    assert rows[0] == [
        "Participant",
        "Stakeholder group",
        "Time (EAT)",
        "Answer",
        "Moderation (free text)",
        "Language",
    ]
    body = rows[1:]
    assert len(body) == 14
    # Per-event numbers in joining order, never the database id.
    assert sorted(int(r[0]) for r in body) == list(range(1, 15))
    first = next(r for r in body if r[0] == "1")
    assert first[1] == "Children"
    labels = [o.label for o in poll.options]
    assert first[3] == "; ".join(f"{n}. {label}" for n, label in enumerate(labels, 1))
    assert first[5] == "sw"
    assert next(r for r in body if r[0] == "14")[1] == "No group given"
    # The stored UTC time, three hours ahead: East Africa Time.
    stored = db.session.scalar(select(Response.updated_at).where(Response.poll_id == poll.id).limit(1))
    assert (stored + dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S") in {r[2] for r in body}


def test_poll_csv_of_free_text_gives_held_entries_as_a_state_only(room):
    rows = parse_csv(csv_export.poll_responses_csv(room.event, room.polls["opentext"]))[1:]
    held = [r for r in rows if r[4] == "held"]
    assert len(held) == 1 and held[0][3] == ""
    assert sum(r[4] == "visible" for r in rows) == 13
    words = parse_csv(csv_export.poll_responses_csv(room.event, room.polls["wordcloud"]))[1:]
    assert next(r for r in words if r[4] == "visible; visible; hidden")[3] == "safety | privacy"
    for poll in room.polls.values():
        assert_clean(csv_export.poll_responses_csv(room.event, poll), room)


def test_choices_in_words(room):
    quiz = room.polls["quiz"]
    rows = parse_csv(csv_export.poll_responses_csv(room.event, quiz))[1:]
    mark = {o.label: "correct" if o.is_correct else "not correct" for o in quiz.options[:2]}
    assert {r[3] for r in rows} == {f"{label} ({m})" for label, m in mark.items()}
    rating = parse_csv(csv_export.poll_responses_csv(room.event, room.polls["rating"]))[1:]
    assert {r[3] for r in rating} == {"2 of 5", "4 of 5"}
    points = room.polls["points"]
    row = parse_csv(csv_export.poll_responses_csv(room.event, points))[1]
    assert row[3] == f"{points.options[0].label}: 60; {points.options[1].label}: 40"


def test_results_csv_applies_the_disclosure_control(room):
    rows = parse_csv(csv_export.results_csv(room.event))
    assert rows[0][:6] == ["Day", "Session", "Poll", "Kind", "Group", "Respondents"]
    single = room.polls["single"]
    mine = [r for r in rows[1:] if r[2] == single.question]
    groups = {r[4]: int(r[5]) for r in mine}
    # Children (6) and ISPs (5) on their own; government (2) never, nor recoverable: 14 - 6 - 5 = 3
    # would be government + the one without a group, so ISPs go too and join Other groups (7).
    assert groups["Everyone"] == 14
    assert "Government" not in groups
    for label, n in groups.items():
        assert n >= 5, label
    left = 14 - sum(n for label, n in groups.items() if label != "Everyone")
    assert left == 0 or left >= 5
    share = next(r for r in mine if r[4] == "Everyone" and r[6] == single.options[0].label)
    assert float(share[8]) == pytest.approx(6 / 14, abs=1e-4)
    assert_clean(csv_export.results_csv(room.event), room)


def test_questions_csv_holds_wall_questions_only(room):
    rows = parse_csv(csv_export.questions_csv(room.event))
    assert rows[0] == [
        "Session",
        "Question",
        "Upvotes",
        "State",
        "Answered",
        "Expected outcome",
        "Asked (EAT)",
    ]
    texts = [r[1] for r in rows[1:]]
    assert texts == [
        "How will telcos verify the age of children?",
        "When will SMS scams be blocked?",
        "Old question archived",
    ]
    assert rows[2][3:5] == ["answered", "yes"]
    assert rows[1][6] == "2026-03-10 14:15:00"
    assert_clean(csv_export.questions_csv(room.event), room)


# --- XLSX -----------------------------------------------------------------------------------------


def workbook_text(book) -> str:
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def test_xlsx_reads_back_with_every_sheet_formatted(room):
    book = load_workbook(io.BytesIO(xlsx_export.event_workbook(room.event)))
    names = book.sheetnames
    assert names[0] == "Summary" and names[-2:] == ["Responses", "Questions"]
    assert "Duty Bearers Response to Chi" in names  # a sheet per session (31-character limit)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None), sheet.title
        assert sheet.column_dimensions["A"].width >= 10
    summary = book["Summary"]
    header = [c.value for c in summary[1]]
    assert header[:3] == ["Day", "Date", "Measure"] and "Children" in header
    joined = next(r for r in summary.iter_rows(values_only=True) if r[1] == "2026-03-10" and r[2] == "Joined")
    assert joined[header.index("Children")] == 6 and joined[-1] == 14
    active = next(r for r in summary.iter_rows(values_only=True) if r[2] == "Active" and r[1])
    assert active[-1] >= 1
    session = book["Duty Bearers Response to Chi"]
    shares = [c for c in session["D"][1:] if isinstance(c.value, float)]
    assert shares and all(c.number_format == "0%" for c in shares)
    text = workbook_text(book)
    assert "By stakeholder group" in text and "Children (n=6)" in text
    assert "Government (n=" not in text
    responses = book["Responses"]
    assert [c.value for c in responses[1]] == [
        "Session",
        "Poll",
        "Participant",
        "Stakeholder group",
        "Time (EAT)",
        "Answer",
        "Moderation (free text)",
        "Language",
    ]
    assert responses.max_row - 1 == db.session.scalar(select(db.func.count()).select_from(Response))
    questions = book["Questions"]
    assert [c.value for c in questions[1]][:5] == ["Session", "Question", "Upvotes", "State", "Answered"]
    assert questions.max_row == 4
    assert_clean(text, room)


# --- JSON ----------------------------------------------------------------------------------------


def test_json_document_follows_its_schema(room):
    doc = json_export.event_document(room.event)
    assert doc["format"] == "roundtable-event/1"
    assert set(doc) == {
        "format",
        "exported_at",
        "event",
        "participation",
        "programme",
        "question_counts",
        "disclosure_threshold",
    }
    assert doc["event"]["outcomes"][2].startswith("Actionable policy recommendations")
    assert [d["date"] for d in doc["programme"]] == ["2026-03-10", "2026-03-11"]
    sessions = [s for d in doc["programme"] for s in d["sessions"]]
    duty = next(s for s in sessions if s["title"].startswith("Duty Bearers"))
    ranking = next(p for p in duty["polls"] if p["kind"] == "ranking")
    assert ranking["results"]["total"] == 14
    assert {c["key"] for c in ranking["by_group"]["columns"]} <= {"children", "isp", "other_groups"}
    assert all(c["total"] >= 5 for c in ranking["by_group"]["columns"])
    assert [q["text"] for q in duty["questions"]][0] == "How will telcos verify the age of children?"
    assert doc["question_counts"] == {
        "pending": 1,
        "published": 1,
        "answered": 1,
        "rejected": 1,
        "archived": 1,
    }
    opentext = next(p for s in sessions for p in s["polls"] if p["kind"] == "opentext")
    assert opentext["free_text"] == {"visible": 13, "held": 1, "hidden": 0}
    assert doc["participation"]["total_joined"] == 14
    assert_clean(json.dumps(doc, ensure_ascii=False, default=str), room)


# --- the report -------------------------------------------------------------------------------------


def test_report_html_has_every_section_and_nothing_it_must_not(room, app):
    room.polls["single"].outcome = 3
    db.session.commit()
    with app.test_request_context():
        html = report.render_report(room.event)
    for heading in (
        "Participation by stakeholder group",
        "The sessions",
        "Policy recommendations",
        "Read by expected outcome",
        "Method annex",
        "By stakeholder group",
        "Top questions",
    ):
        assert heading in html, heading
    assert html.index("Meeting Preliminaries") < html.index("Children Voices") < html.index("Duty Bearers")
    assert "<svg" in html and "<script>" not in html
    assert "How will telcos verify the age of children?" in html and "Safer apps for children" in html
    assert "safety" in html
    assert_clean(html, room)
    with app.test_request_context():
        day2 = report.render_report(room.event, room.day2)
    assert "Duty Bearers Response" not in day2 and "Online Safety Protocols" in day2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by make")
def test_report_pdf_text_holds_its_sections(room, app, tmp_path):
    with app.test_request_context():
        pdf = report.report_pdf(room.event)
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "report-unit.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "outcome report" in text.lower()
    for heading in (
        "Participation by stakeholder group",
        "The sessions",
        "Policy recommendations",
        "Read by expected outcome",
        "Method annex",
        "Duty Bearers Response to Children Voices",
        "By stakeholder group",
        "Page 2 of",
    ):
        assert heading in text, heading
    assert_clean(text, room)


# --- HTTP: roles, downloads and the audit log -------------------------------------------------------


@pytest.fixture
def web(app, in_db, seed_event):
    ref = seed_event()

    def fill():
        from roundtable.models import Event

        populate(db.session.get(Event, ref.id))

    in_db(fill)
    return ref


URLS = [
    "/export/results.csv",
    "/export/event.xlsx",
    "/export/event.json",
    "/report",
    "/report.pdf",
    "/outcomes",
]


def test_facilitators_download_everything_and_it_is_audited(app, client, login, web, in_db):
    login(client)
    poll_id = in_db(lambda: db.session.scalar(select(Poll.id).where(Poll.kind == "ranking")))
    for url in [*URLS, "/export/questions.csv", f"/export/poll/{poll_id}.csv", "/exports"]:
        reply = client.get(f"/staff/{web.code}{url}")
        assert reply.status_code == 200, url
    assert (
        client.get(f"/staff/{web.code}/export/event.xlsx")
        .headers["Content-Disposition"]
        .startswith("attachment")
    )
    actions = in_db(lambda: [e.action for e in entries(web.id)])
    for action in (
        "export.results_csv",
        "export.xlsx",
        "export.json",
        "export.report_pdf",
        "export.poll_csv",
        "export.questions_csv",
    ):
        assert action in actions


def test_moderators_get_the_questions_export_only(client, login, web):
    login(client, username="mod", role="moderator")
    for url in URLS:
        assert client.get(f"/staff/{web.code}{url}").status_code == 403, url
    assert client.get(f"/staff/{web.code}/export/questions.csv").status_code == 200
    page = client.get(f"/staff/{web.code}/exports").get_data(as_text=True)
    assert "Questions (CSV)" in page and "Workbook" not in page


def test_nobody_logged_out_gets_anything(client, web):
    for url in [*URLS, "/export/questions.csv"]:
        reply = client.get(f"/staff/{web.code}{url}")
        assert reply.status_code == 302 and "/staff/login" in reply.headers["Location"]


def test_an_unknown_poll_or_day_is_not_found(client, login, web):
    login(client)
    assert client.get(f"/staff/{web.code}/export/poll/999999.csv").status_code == 404
    assert client.get(f"/staff/{web.code}/report/day/999999").status_code == 404
    assert client.get("/staff/NOPE00/report").status_code == 404


def test_tagging_an_outcome_through_the_form(client, login, web, in_db):
    login(client)
    poll_id = in_db(lambda: db.session.scalar(select(Poll.id).where(Poll.kind == "points")))
    question_id = in_db(lambda: db.session.scalar(select(Question.id).where(Question.status == "answered")))
    reply = client.post(f"/staff/{web.code}/outcomes", data={"target": "poll", "id": poll_id, "outcome": "2"})
    assert reply.status_code == 302
    client.post(f"/staff/{web.code}/outcomes", data={"target": "question", "id": question_id, "outcome": "3"})
    assert in_db(lambda: db.session.get(Poll, poll_id).outcome) == 2
    assert in_db(lambda: db.session.get(Question, question_id).outcome) == 3
    # Out of range: refused, nothing changed.
    client.post(f"/staff/{web.code}/outcomes", data={"target": "poll", "id": poll_id, "outcome": "9"})
    assert in_db(lambda: db.session.get(Poll, poll_id).outcome) == 2
    # A rejected question cannot be tagged from the page (it is not listed) nor by id.
    rejected = in_db(lambda: db.session.scalar(select(Question.id).where(Question.status == "rejected")))
    page = client.get(f"/staff/{web.code}/outcomes").get_data(as_text=True)
    assert "REJECTEDSECRET" not in page
    html = client.get(f"/staff/{web.code}/report").get_data(as_text=True)
    assert "Questions marked as recommendations" in html and "When will SMS scams be blocked?" in html
    assert rejected
    assert in_db(lambda: [e.action for e in entries(web.id)]).count("outcome.tag") == 2


def test_moderators_cannot_tag(client, login, web, in_db):
    login(client, username="mod2", role="moderator")
    poll_id = in_db(lambda: db.session.scalar(select(Poll.id).where(Poll.kind == "points")))
    assert (
        client.post(
            f"/staff/{web.code}/outcomes", data={"target": "poll", "id": poll_id, "outcome": "1"}
        ).status_code
        == 403
    )
    assert in_db(lambda: db.session.get(Poll, poll_id).outcome) is None


def test_participant_numbers_follow_joining_order(room):
    numbers = export_data.participant_numbers(room.event)
    assert [numbers[p.id] for p in room.participants] == list(range(1, 15))
    assert User  # staff accounts never appear in exports (no user column)
