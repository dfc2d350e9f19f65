"""Staff: who may open which event with which role, and the management of staff accounts.

``access`` answers "what may this person do at this event" (admins: everything everywhere;
everyone else: what their role at that event allows, nothing elsewhere). ``accounts`` creates,
changes and deactivates accounts; every change that must end someone's logins replaces their
``session_token``. Plain functions over models: they flush, never commit, never emit.
"""
