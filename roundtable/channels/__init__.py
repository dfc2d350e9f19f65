"""Feature phones: the USSD menu and SMS commands, through Africa's Talking.

- ``texts``: every menu text and reply, in English and Kiswahili (one module);
- ``screens``: the GSM alphabet, 182-character screens and paged lists;
- ``service``: who a caller is (a keyed hash of the number per event, never the number), what is
  open, and the answers, questions and help requests, through the same business functions as
  the phone page (``cast_response``, ``ask``, ``send_help``);
- ``ussd``: the menu's state machine; ``sms``: the commands; ``senders``: SMS replies.

Plain functions over models like every feature folder: they flush, never commit, never read the
request and never emit; ``roundtable/web/channels.py`` holds the gateway's callbacks.
"""
