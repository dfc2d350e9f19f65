"""Every text of the USSD menu and the SMS replies, in English and Kiswahili, in one place.

Keep both languages side by side: a translator (or a reviewer) reads this one file. Texts are
short on purpose: a USSD screen holds at most 182 characters, an SMS 160. Placeholders in
braces are filled by ``t(key, lang, **values)``. The Kiswahili is the everyday Kiswahili of
Kenya (``msimbo`` for a code, ``kura`` for a poll, ``msimamizi`` for a facilitator).
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "sw")

TEXTS: dict[str, dict[str, str]] = {
    # --- first screens (the language is not known yet: both at once) ---
    "welcome": {
        "en": "Welcome to Roundtable!\nEnter the event code:",
        "sw": "Karibu Roundtable!\nWeka msimbo wa tukio:",
    },
    "code_unknown": {
        "en": "No event has that code. Try again:",
        "sw": "Hakuna tukio lenye msimbo huo. Jaribu tena:",
    },
    "choose_language": {"en": "Choose language", "sw": "Chagua lugha"},
    # --- menus ---
    "group_header": {
        "en": "Which group are you in? (optional)",
        "sw": "Uko katika kundi gani? (si lazima)",
    },
    "skip": {"en": "Skip", "sw": "Ruka"},
    "no_session": {"en": "No session is live now.", "sw": "Hakuna kikao kinachoendelea sasa."},
    "no_polls": {"en": "No poll is open now.", "sw": "Hakuna kura iliyo wazi sasa."},
    "ask_item": {"en": "Ask a question", "sw": "Uliza swali"},
    "help_item": {"en": "I need help", "sw": "Nahitaji msaada"},
    "language_item": {"en": "Lugha/Language", "sw": "Lugha/Language"},
    "done_mark": {"en": " (done)", "sw": " (umejibu)"},
    "more": {"en": "98 More", "sw": "98 Zaidi"},
    "back": {"en": "0 Back", "sw": "0 Rudi"},
    "to_menu": {"en": "0 Menu", "sw": "0 Menyu"},
    "bad_choice": {
        "en": "Choose one of the numbers shown.",
        "sw": "Chagua mojawapo ya nambari zilizoonyeshwa.",
    },
    # --- answering ---
    "choose_many": {"en": "Choose up to {n}, e.g. 1*3:", "sw": "Chagua hadi {n}, mfano 1*3:"},
    "rate": {"en": "Reply 1-{n}. 1={low}, {n}={high}", "sw": "Jibu 1-{n}. 1={low}, {n}={high}"},
    "rank_step": {"en": "Your choice no. {k}:", "sw": "Chaguo lako nambari {k}:"},
    "points_step": {
        "en": "Points for: {label}\n{left} left. Type 0-{left}:",
        "sw": "Alama kwa: {label}\nZimebaki {left}. Andika 0-{left}:",
    },
    "word_one": {"en": "Type one word:", "sw": "Andika neno moja:"},
    "words_many": {
        "en": "Type up to {n} words, with * between them:",
        "sw": "Andika hadi maneno {n}, ukitenganisha kwa *:",
    },
    "text_prompt": {"en": "Type your answer:", "sw": "Andika jibu lako:"},
    "not_on_phone": {
        "en": "This poll cannot be answered on this phone. Please use the web page.",
        "sw": "Kura hii haiwezi kujibiwa kwa simu hii. Tafadhali tumia ukurasa wa wavuti.",
    },
    "answered_before": {
        "en": "You answered. A new answer replaces it.",
        "sw": "Umeshajibu. Jibu jipya litachukua nafasi yake.",
    },
    "saved": {"en": "Thank you! Your answer is saved.", "sw": "Asante! Jibu lako limehifadhiwa."},
    "held": {
        "en": "A moderator reads it before others see it.",
        "sw": "Msimamizi atalisoma kabla wengine hawajaliona.",
    },
    "results": {"en": "Results, {n} answered:", "sw": "Matokeo, waliojibu {n}:"},
    "average": {"en": "Average {x} of {n}", "sw": "Wastani {x} kati ya {n}"},
    "correct": {"en": "Correct: {label}", "sw": "Jibu sahihi: {label}"},
    "shown_answers": {"en": "{n} answers on the wall", "sw": "Majibu {n} ukutani"},
    # --- questions and help ---
    "ask_prompt": {"en": "Type your question:", "sw": "Andika swali lako:"},
    "asked_published": {
        "en": "Thank you! Your question is on the wall.",
        "sw": "Asante! Swali lako liko ukutani.",
    },
    "asked_pending": {
        "en": "Thank you! A moderator will read your question first.",
        "sw": "Asante! Msimamizi atasoma swali lako kwanza.",
    },
    "help_sent": {
        "en": "Your request has reached the facilitators.",
        "sw": "Ombi lako limewafikia wasimamizi.",
    },
    "helpline_default": {
        "en": (
            "If you or a child you know needs help, call Childline Kenya on 116 (free, 24 hours), "
            "or talk to a facilitator."
        ),
        "sw": (
            "Ukihitaji msaada, wewe au mtoto unayemjua, piga simu Childline Kenya 116 "
            "(bure, saa 24), au zungumza na msimamizi."
        ),
    },
    # --- the end of a session ---
    "expired": {
        "en": "Your session has ended. Please dial again.",
        "sw": "Kipindi chako kimeisha. Tafadhali piga tena.",
    },
    "invalid": {"en": "Invalid request.", "sw": "Ombi batili."},
    "refused": {"en": "Not allowed.", "sw": "Hairuhusiwi."},
    # --- SMS ---
    "sms_need_code": {
        "en": "Start your SMS with the event code, e.g. {example}",
        "sw": "Anza ujumbe kwa msimbo wa tukio, mfano {example}",
    },
    "sms_no_poll": {
        "en": "No poll is open now. To ask a question send: {code} Q your question",
        "sw": "Hakuna kura iliyo wazi sasa. Kuuliza swali tuma: {code} SWALI swali lako",
    },
    "sms_how": {"en": "Reply: {code} {how}", "sw": "Jibu: {code} {how}"},
    "sms_how_choice": {"en": "1-{n} or A-{letter}", "sw": "1-{n} au A-{letter}"},
    "sms_how_many": {"en": "numbers, e.g. 1 3 (up to {n})", "sw": "nambari, mfano 1 3 (hadi {n})"},
    "sms_how_rating": {"en": "1-{n}", "sw": "1-{n}"},
    "sms_how_ranking": {"en": "the order, e.g. {example}", "sw": "mpangilio, mfano {example}"},
    "sms_how_points": {
        "en": "points in order, total 100, e.g. {example}",
        "sw": "alama kwa mpangilio, jumla 100, mfano {example}",
    },
    "sms_how_words": {"en": "word(s), with commas between", "sw": "neno au maneno, kwa koma"},
    "sms_how_text": {"en": "your answer", "sw": "jibu lako"},
    "sms_several": {
        "en": "Open polls: {list}. Send {code} P1 answer",
        "sw": "Kura zilizo wazi: {list}. Tuma {code} P1 jibu",
    },
    "sms_saved": {
        "en": 'Thank you! Your answer to "{question}" is saved.',
        "sw": 'Asante! Jibu lako kwa "{question}" limehifadhiwa.',
    },
    "sms_language": {"en": "You will get replies in English.", "sw": "Utapata majibu kwa Kiswahili."},
}

# A validation code of the business functions -> the short message a feature phone shows.
ERRORS: dict[str, dict[str, str]] = {
    "unknown_poll": {"en": "That poll is not open.", "sw": "Kura hiyo haiko wazi."},
    "poll_closed": {"en": "This poll is closed.", "sw": "Kura hii imefungwa."},
    "unknown_option": {"en": "That choice is not in the list.", "sw": "Chaguo hilo halipo kwenye orodha."},
    "too_many_options": {"en": "Too many: choose at most {limit}.", "sw": "Mengi mno: chagua hadi {limit}."},
    "duplicate_option": {
        "en": "You chose the same option twice.",
        "sw": "Umechagua chaguo moja mara mbili.",
    },
    "empty_answer": {"en": "Please give an answer.", "sw": "Tafadhali toa jibu."},
    "already_answered": {"en": "You have already answered this poll.", "sw": "Umeshajibu kura hii."},
    "client_id_reused": {"en": "Please try again.", "sw": "Tafadhali jaribu tena."},
    "off_scale": {"en": "Choose a number from 1 to {limit}.", "sw": "Chagua nambari kati ya 1 na {limit}."},
    "incomplete_ranking": {"en": "Put every option in order.", "sw": "Panga machaguo yote kwa mpangilio."},
    "negative_points": {"en": "Points cannot be below 0.", "sw": "Alama haziwezi kuwa chini ya 0."},
    "points_total": {"en": "The points must add up to 100.", "sw": "Jumla ya alama lazima iwe 100."},
    "too_many_words": {"en": "Too many words: at most {limit}.", "sw": "Maneno mengi mno: hadi {limit}."},
    "too_many_answers": {"en": "Too many answers: at most {limit}.", "sw": "Majibu mengi mno: hadi {limit}."},
    "empty_text": {"en": "Please type something.", "sw": "Tafadhali andika kitu."},
    "too_long": {"en": "That is too long. Please make it shorter.", "sw": "Ni ndefu mno. Tafadhali fupisha."},
    "questions_closed": {
        "en": "Questions are closed for this session.",
        "sw": "Maswali yamefungwa kwa kikao hiki.",
    },
    "duplicate_question": {"en": "This question was already asked.", "sw": "Swali hili limeshaulizwa."},
    "rate_limited": {
        "en": "Too many requests. Wait a minute and try again.",
        "sw": "Maombi mengi mno. Subiri dakika moja kisha ujaribu tena.",
    },
    "bad_payload": {
        "en": "That answer was not understood. Please try again.",
        "sw": "Jibu hilo halikueleweka. Tafadhali jaribu tena.",
    },
    "server_error": {
        "en": "Something went wrong. Please try again.",
        "sw": "Kuna hitilafu. Tafadhali jaribu tena.",
    },
}


def language(value: Any) -> str:
    return value if value in LANGUAGES else "en"


def t(key: str, lang: str, **values: Any) -> str:
    text = TEXTS[key][language(lang)]
    return text.format(**values) if values else text


def both(key: str, **values: Any) -> str:
    """English, then Kiswahili: for the screens shown before a language is chosen."""
    return t(key, "en", **values) + "\n" + t(key, "sw", **values)


def error_text(code: str, lang: str, limit: Any = "") -> str:
    entry = ERRORS.get(code) or ERRORS["server_error"]
    return entry[language(lang)].format(limit=limit)
