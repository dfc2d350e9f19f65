"""The built-in event: the two-day roundtable on child online safety (shared/PROGRAMME.md).

Plain data, so that facilitators' later edits happen in the database and this file stays the
record of what a fresh install starts with. Breaks, arrival and lunch carry no polls.
"""

from __future__ import annotations

TITLE = "Roundtable Discussion on Strengthening Collaborative Frameworks for Child Online Safety"
HOSTS = "Online Safety CSOs Forum, in collaboration with the Directorate of Children Services (DCS), Kenya"
OBJECTIVE = (
    "A platform for multi-stakeholder dialogue and collaboration on strategies to enhance "
    "online child safety."
)
OUTCOMES = [
    "Strengthened online child safety measures",
    "A collaborative framework for sharing online child safety resources and information",
    "Actionable policy recommendations addressing gaps in current legislation on online child "
    "sexual exploitation and abuse (OCSEA) and online child protection",
]
HELPLINE = (
    "If you or a child you know needs help, call Childline Kenya on 116 (free, 24 hours), "
    "or talk to a facilitator."
)
TIMEZONE = "Africa/Nairobi"
EXPECTED_SIZE = 50

# (key, label, is_children)
GROUPS = [
    ("technical", "Technical community", False),
    ("government", "Government", False),
    ("cso", "Civil society organisations (CSOs)", False),
    ("academia", "Academia", False),
    ("isp", "ISPs, telcos and SMS providers", False),
    ("parents", "Parents", False),
    ("children", "Children", True),
    ("other", "Other / prefer not to say", False),
]

DUTY_BEARERS = "ISPs, telcos and SMS providers"

RISKS = [
    "Online sexual exploitation and abuse (OCSEA)",
    "Cyberbullying",
    "Harmful or violent content",
    "Misuse of children's personal data",
    "Scams and fraud",
]


def _choice(question, options, *, multiple=False, max_selections=None):
    poll = {"kind": "multiple" if multiple else "single", "question": question, "options": options}
    if multiple:
        poll["settings"] = {"max_selections": max_selections or len(options)}
    return poll


def _words(question, max_words=3):
    return {
        "kind": "wordcloud",
        "question": question,
        "settings": {"max_words": max_words},
        "results_mode": "live",
    }


def _text(question, max_answers=1):
    return {
        "kind": "opentext",
        "question": question,
        "settings": {"max_answers": max_answers},
        "results_mode": "live",
    }


def _rating(question, low, high, scale=5):
    return {
        "kind": "rating",
        "question": question,
        "settings": {"scale": scale, "min_label": low, "max_label": high},
    }


def _ranking(question, options):
    return {"kind": "ranking", "question": question, "options": options}


def _points(question, options):
    return {"kind": "points", "question": question, "options": options}


def _quiz(question, options, correct):
    return {
        "kind": "quiz",
        "question": question,
        "options": [{"label": o, "correct": o == correct} for o in options],
    }


PROTOCOL_AREAS = [
    "Reporting and takedown",
    "Age-appropriate safe defaults",
    "Content moderation",
    "Protection of children's data",
    "Cooperation with law enforcement",
]


def _item(start, end, title, *, facilitator="", points=(), polls=(), kind="working", **flags):
    return {
        "starts_at": start,
        "ends_at": end,
        "title": title,
        "facilitator": facilitator,
        "points": list(points),
        "is_break": kind == "break",
        "polls": list(polls),
        **flags,
    }


def _arrival():
    return _item("08:30", "09:00", "Arrival and Registration", kind="break")


def _health_break():
    return _item("10:30", "11:00", "Health Break", facilitator="ALL", kind="break")


def _lunch():
    return _item("13:00", "14:00", "Lunch Break", facilitator="ALL", kind="break")


# Children take part in the whole event, so every working session starts with the protective
# defaults (questions held for a moderator, names hidden); "Children Voices" is theirs.
CHILDREN = {"involves_children": True, "question_mode": "premoderated"}

DAYS = [
    {
        "title": "Day 1",
        "items": [
            _arrival(),
            _item(
                "09:00",
                "09:30",
                "Meeting Preliminaries",
                points=["Introductions", "Sharing expectations", "Round Table objectives", "Opening Remarks"],
                polls=[
                    _words("In one to three words: what do you expect from this roundtable?"),
                    _choice(
                        "What do you most expect from this roundtable? (choose up to 2)",
                        [
                            "Understand the evidence on children online",
                            "Hear children's own voices",
                            "Agree a collaborative framework for sharing resources",
                            "Actionable policy recommendations on OCSEA",
                            "New partnerships across sectors",
                        ],
                        multiple=True,
                        max_selections=2,
                    ),
                ],
                **CHILDREN,
            ),
            _item(
                "09:30",
                "10:30",
                "Evidence sharing on Internet and Children",
                points=[
                    "What does evidence tell us about safety of children online – "
                    "Disrupting Harm, SCROL and Safe Clics Assessments"
                ],
                polls=[
                    _quiz(
                        "Quiz: according to Disrupting Harm, what share of Kenyan children aged "
                        "16–17 use the internet?",
                        ["55%", "62%", "83%", "95%"],
                        "83%",
                    ),
                    _choice("Which online risk to children concerns you most?", RISKS),
                ],
                **CHILDREN,
            ),
            _health_break(),
            _item(
                "11:00",
                "12:00",
                "Children Voices on Online Safety",
                points=[
                    "The Internet we (children) Have!",
                    "Children interaction and experience of the online environment",
                    "The Internet we (children) want!",
                ],
                polls=[
                    _words("One word for the internet you have", max_words=1),
                    _text("The internet we want: what should change for children online?"),
                    _rating("How safe do you feel online?", "Not safe at all", "Very safe"),
                    _choice(
                        "Where do you spend most of your time online? (choose up to 3)",
                        ["WhatsApp", "TikTok", "YouTube", "Instagram", "Facebook", "Games", "School work"],
                        multiple=True,
                        max_selections=3,
                    ),
                ],
                children_led=True,
                **CHILDREN,
            ),
            _lunch(),
            _item(
                "14:00",
                "15:30",
                "Duty Bearers Response to Children Voices",
                points=["ISPs, Telcos and SMSPs response to the internet Children Want!"],
                polls=[
                    _ranking(
                        "Which response from ISPs, telcos and SMS providers matters most? Put them in order.",
                        [
                            "Faster takedown of abuse material",
                            "Child-safe default settings",
                            "Easy reporting in English and Kiswahili",
                            "Age-appropriate design",
                            "Awareness work with schools and parents",
                        ],
                    ),
                    _choice(
                        "Did the duty bearers' response answer what children asked for?",
                        ["Yes, fully", "Partly", "Not yet"],
                    ),
                ],
                questions_to=DUTY_BEARERS,
                split_by_group=True,
                **CHILDREN,
            ),
            _item(
                "15:30",
                "16:00",
                "Way forward",
                facilitator="DCS",
                polls=[
                    _points(
                        "Share 100 points across the recommendation areas",
                        [
                            "Laws on online child sexual exploitation and abuse (OCSEA)",
                            "Industry safety protocols",
                            "Reporting and response services",
                            "Digital literacy for children and parents",
                            "Sharing resources and data across sectors",
                        ],
                    ),
                    _choice(
                        "Which expected outcome should we prioritise? (choose up to 2)",
                        OUTCOMES,
                        multiple=True,
                        max_selections=2,
                    ),
                ],
                **CHILDREN,
            ),
        ],
    },
    {
        "title": "Day 2",
        "items": [
            _arrival(),
            _item(
                "09:00",
                "09:30",
                "Meeting Preliminaries",
                points=["Recap of Day 1", "Remarks"],
                polls=[
                    _rating("How well did Day 1 meet your expectations?", "Not at all", "Fully"),
                    _words("One word to sum up Day 1", max_words=1),
                ],
                **CHILDREN,
            ),
            _item(
                "09:30",
                "10:30",
                "Evidence sharing on Online Safety",
                points=["Evidence from Disrupting Harm, SCROL and Safe Clics Assessments"],
                polls=[
                    _quiz(
                        "Quiz: what share of Kenyan children aged 12–13 use the internet (Disrupting Harm)?",
                        ["33%", "55%", "62%", "83%"],
                        "55%",
                    ),
                    _choice(
                        "Which evidence gap should be filled first?",
                        [
                            "Data on younger children (under 12)",
                            "Children with disabilities",
                            "Rural and offline-first children",
                            "Effectiveness of reporting tools",
                            "Prosecution and case outcomes",
                        ],
                    ),
                ],
                **CHILDREN,
            ),
            _health_break(),
            _item(
                "11:00",
                "12:00",
                "Sharing on desired online Safety Protocols and Collaboration",
                points=[
                    "Government commitments to Online Safety",
                    "Expectation of ISPs, Telcos and SMSPs in promoting Online Safety",
                ],
                polls=[
                    _choice(
                        "Which government commitment matters most?",
                        [
                            "Update laws on OCSEA",
                            "Fund child helplines and response services",
                            "Digital safety in the school curriculum",
                            "A national multi-stakeholder coordination body",
                        ],
                    ),
                    _choice(
                        "What should ISPs, telcos and SMS providers do first? (choose up to 2)",
                        [
                            "Block known abuse material",
                            "Safe defaults on children's lines",
                            "Report abuse to authorities quickly",
                            "Fund awareness campaigns",
                            "Publish transparency reports",
                        ],
                        multiple=True,
                        max_selections=2,
                    ),
                ],
                **CHILDREN,
            ),
            _lunch(),
            _item(
                "14:00",
                "15:30",
                "Online Safety Protocols",
                points=[
                    "ISPs, Telcos and SMSPs share on their Safety Protocols to keep children safe",
                    "Reflection on what ISPs, Telcos and SMSPs are doing right",
                    "What can be improved",
                ],
                polls=[
                    *[
                        _rating(
                            f"How well do current protocols do on {area.lower()}?", "Very poorly", "Very well"
                        )
                        for area in PROTOCOL_AREAS
                    ],
                    _choice("Which protocol area most needs improvement?", PROTOCOL_AREAS),
                    _text("What can ISPs, telcos and SMS providers improve?", max_answers=3),
                ],
                questions_to=DUTY_BEARERS,
                split_by_group=True,
                **CHILDREN,
            ),
            _item(
                "15:30",
                "16:00",
                "Way forward",
                facilitator="DCS",
                polls=[
                    _choice(
                        "Will you take part in a collaborative framework for sharing online child "
                        "safety resources?",
                        [
                            "Yes, my organisation will",
                            "Yes, personally",
                            "I need more information",
                            "Not at this time",
                        ],
                    ),
                    _rating("How useful was this roundtable for you?", "Not useful", "Very useful", scale=10),
                ],
                **CHILDREN,
            ),
        ],
    },
]
