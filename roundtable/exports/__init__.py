"""Everything that leaves the room: CSV, XLSX and JSON exports and the outcome report.

Invariants (the tests check each one): no export ever holds a help request, the text of a
rejected or still-held question, held or hidden free text (only their counts), a network
address, a participant's nickname or name, or a database id of a participant (participants are
numbered per event instead). Results by stakeholder group always go through the disclosure
control (``roundtable.polls.disclosure``).
"""
