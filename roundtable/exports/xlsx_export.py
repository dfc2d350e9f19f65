"""The event's workbook (openpyxl): a summary sheet, a sheet per session, responses, questions.

Every sheet has a bold, frozen header row, column widths set from their contents and shares
formatted as percentages, so it opens cleanly in LibreOffice and Excel.
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..models import AgendaItem, Event, Poll
from ..polls.groups import EVERYONE
from . import data
from .csv_export import kind_label

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
TITLE = Font(bold=True, size=14)
PERCENT = "0%"
WIDTHS = {"Question": 70, "Answer": 60, "Poll": 50, "Item": 45, "Session": 40}


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=col, value=title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def _widths(sheet: Worksheet, titles: list[str] | None = None) -> None:
    for col_cells in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        letter = get_column_letter(col_cells[0].column)
        longest = max((len(str(c.value)) for c in col_cells if c.value is not None), default=8)
        title = titles[col_cells[0].column - 1] if titles and col_cells[0].column <= len(titles) else ""
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), WIDTHS.get(title, 40))


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Session"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} ({n})"
        n += 1
    used.add(name.lower())
    return name


def _summary(book: Workbook, event: Event) -> None:
    sheet = book.active
    sheet.title = "Summary"
    people = data.participation(event)
    groups = [g["label"] for g in people["groups"]]
    titles = ["Day", "Date", "Measure", *groups, "All groups"]
    _header(sheet, 1, titles)
    row = 2
    for day in people["days"]:
        for measure in ("joined", "active"):
            values = [day[measure].get(g, 0) for g in groups]
            sheet.append([day["title"], day["date"], measure.capitalize(), *values, sum(values)])
            row += 1
    values = [people["joined_by_group"].get(g, 0) for g in groups]
    sheet.append(["Whole event", "", "Joined", *values, people["total_joined"]])
    sheet.append(["Whole event", "", "Active", *([""] * len(groups)), people["total_active"]])
    for cell in sheet[sheet.max_row - 1] + sheet[sheet.max_row]:
        cell.font = BOLD
    sheet.append([])
    facts = [
        ("Event", event.title),
        ("Hosts", event.hosts),
        ("Dates", ", ".join(d.date.isoformat() for d in event.days if d.date) or "not set"),
        ("Time zone", event.timezone),
        ("Disclosure rule", data.disclosure_rule()),
    ]
    counts = data.question_counts(event)
    facts.append(
        ("Questions", f"{counts['published'] + counts['answered'] + counts['archived']} reached the wall, "
         f"{counts['answered']} answered, {counts['rejected']} rejected and {counts['pending']} "
         "still waiting (rejected and waiting texts are not exported)")
    )
    for label, value in facts:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
    sheet.freeze_panes = "A2"
    _widths(sheet)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 14


def _primary(poll: Poll, line: data.ResultLine) -> tuple[Any, str | None]:
    """The figure a by-group table compares: a share, a Borda score, mean points."""
    if poll.kind == "ranking":
        return line.count, None
    if poll.kind == "points":
        return line.mean, None
    return line.share, PERCENT


def _session_sheet(book: Workbook, event: Event, item: AgendaItem, polls: list[Poll], used: set[str]) -> None:
    sheet = book.create_sheet(_sheet_title(item.title, used))
    titles = ["Poll", "Item", "Count or score", "Share", "Mean"]
    _header(sheet, 1, titles)
    for poll in polls:
        result = data.staff_result(poll)
        question = f"{poll.question} ({kind_label(poll)}, {result['total']} respondents)"
        for line in data.result_lines(poll, result) or [data.ResultLine("(no answers shown)", None, None)]:
            sheet.append([question, line.item, line.count, line.share, line.mean])
            sheet.cell(row=sheet.max_row, column=4).number_format = PERCENT
        if poll.kind == "rating" and result.get("mean") is not None:
            sheet.append([question, "Mean rating", None, None, result["mean"]])
        held = data.free_text_counts(poll)
        if held["held"] or held["hidden"]:
            sheet.append([question, f"{held['held']} held and {held['hidden']} hidden entries not shown"])
    sheet.append([])
    sheet.append(["By stakeholder group (" + data.disclosure_rule() + ")"])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD
    for poll in polls:
        split = data.by_group(poll)
        columns = split["columns"]
        sheet.append([])
        header_row = sheet.max_row + 1
        _header(sheet, header_row, ["Poll", "Item", *(f"{c['label']} (n={c['total']})" for c in columns)])
        if poll.kind == "opentext":
            for column in columns:
                if column["key"] == EVERYONE:
                    continue
                for answer in column["answers"]:
                    sheet.append([poll.question, column["label"], answer["text"]])
            continue
        per_column = [data.result_lines(poll, c if c["key"] != EVERYONE else data.staff_result(poll))
                      for c in columns]
        items = [line.item for line in per_column[-1]] if per_column else []
        if poll.kind == "wordcloud":
            items = list(dict.fromkeys(line.item for lines in per_column for line in lines))[:30]
        for name in items:
            values: list[Any] = [poll.question, name]
            formats: list[str | None] = []
            for lines in per_column:
                line = next((x for x in lines if x.item == name), None)
                value, fmt = _primary(poll, line) if line else (0 if poll.kind == "wordcloud" else None, None)
                values.append(value)
                formats.append(fmt)
            sheet.append(values)
            for offset, fmt in enumerate(formats):
                if fmt:
                    sheet.cell(row=sheet.max_row, column=3 + offset).number_format = fmt
        if split["withheld"]:
            sheet.append([poll.question, "Not shown on their own: " + ", ".join(split["withheld"])])
    sheet.freeze_panes = "A2"
    _widths(sheet, titles)
    for letter in "CDEFGH":
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, 16)


def _responses(book: Workbook, event: Event) -> None:
    sheet = book.create_sheet("Responses")
    titles = ["Session", "Poll", *(title for _, title in data.RESPONSE_COLUMNS)]
    _header(sheet, 1, titles)
    numbers = data.participant_numbers(event)
    for poll in data.answered_polls(event):
        for row in data.response_rows(event, poll, numbers):
            sheet.append([poll.agenda_item.title, poll.question,
                          *(getattr(row, name) for name, _ in data.RESPONSE_COLUMNS)])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _widths(sheet, titles)


def _questions(book: Workbook, event: Event) -> None:
    sheet = book.create_sheet("Questions")
    titles = [title for _, title in data.QUESTION_COLUMNS]
    _header(sheet, 1, titles)
    for row in data.question_rows(event):
        sheet.append([getattr(row, name) for name, _ in data.QUESTION_COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _widths(sheet, titles)


def event_workbook(event: Event) -> bytes:
    book = Workbook()
    _summary(book, event)
    used = {"summary", "responses", "questions"}
    polls = data.answered_polls(event)
    for item in data.working_items(event):
        mine = [p for p in polls if p.agenda_item_id == item.id]
        if mine:
            _session_sheet(book, event, item, mine, used)
    _responses(book, event)
    _questions(book, event)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
