"""The question wall: asking, upvoting, moderation states and private help requests.

- the tables are in ``roundtable/models/questions.py``;
- ``service``: plain functions over models that flush but never commit, raise
  ``RoundtableError`` and never emit;
- ``views``: the JSON each audience may see (participants, screens, staff).
Socket handlers are in ``roundtable/live/question_handlers.py``.
"""
