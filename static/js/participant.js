// The participant's phone page: the live session, its polls, and the participant's votes.
//
// The server is the source of truth (docs/socket-protocol.md). This page keeps a little local
// state on top of the latest participant view:
//   answers  poll id -> {answer, generation, ack?}
//                                              answers the server has confirmed (snapshot `mine`
//                                              or a vote ack); forgotten when the poll's
//                                              generation grows (the facilitator reset it)
//   pending  poll id -> {poll_id, client_id, answer, generation}
//                                              a vote sent but not yet acknowledged; mirrored in
//                                              sessionStorage so a reload during an outage
//                                              resends it with the same client_id (counted once)
//   drafts   poll id -> {options: Set, generation} (multiple choice), or an answer-shaped
//            draft {words | texts | order | points, kind, generation} (answer-kinds.js)
//                                              answers being put together, not yet submitted;
//                                              they survive every re-render
//   held     poll id -> {texts, generation}    the participant's own free text that a moderator
//                                              still holds (from the vote ack); mirrored in
//                                              sessionStorage so a reload still marks it
//   notes    poll id -> {kind, text}           the last error or notice shown under a poll
//   tallies  poll id -> tally                  results; the server sends only those this phone
//                                              may see (revealed, "live", or after its own vote)
// Each poll is one PollCard, updated in place, so a new state never resets focus, selections or
// the result bars' animation. Choice and quiz polls are drawn here; every other kind's answer area
// is a widget from answer-kinds.js, driven by the same vote path.
//
// While a session is live the page has two tabs, Polls and Questions; the question wall and the
// private help sheet live in questions.js, fed from here (views, snapshots, the connection) and
// from their own socket messages ("wall", "my_question").

import { LiveClient, el, clear, newClientId } from "./live.js";
import { renderResults } from "./charts.js"; // bars for choice polls (bars.js), and every other drawing
import { drawPhoneSplit, notePhoneSplit, notePhoneView } from "./phone-split.js";
import { KIND_LABELS, WIDGET_KINDS, answerKey, createAnswerWidget } from "./answer-kinds.js";
import { HelpSheet, QuestionWall, fillHelpline } from "./questions.js";

const body = document.body;
const code = body.dataset.code;
const joinUrl = body.dataset.joinUrl || `/j/${encodeURIComponent(code)}`;
const STORE_KEY = `roundtable:pending-votes:${code}`;
const HELD_KEY = `roundtable:held:${code}`;
const NICKNAME_KEY = `roundtable:nickname:${code}`;
const TAB_KEY = `roundtable:tab:${code}`;
const HELP_FALLBACK = "Talk to a facilitator at any time.";
const NICKNAME_MAX = 20; // roundtable/polls/service.py NICKNAME_MAX
// Joined as a child: never asked for a name or a leaderboard nickname.
const isChild = body.dataset.child === "true";

const nodes = {
  now: document.getElementById("now"),
  polls: document.getElementById("polls"),
  pill: document.getElementById("conn-status"),
  banner: document.getElementById("conn-banner"),
  title: document.getElementById("event-title"),
  helpline: document.getElementById("helpline-text"),
  tabs: document.getElementById("tabs"),
  tabPolls: document.getElementById("tab-polls"),
  tabQuestions: document.getElementById("tab-questions"),
  pollsBadge: document.getElementById("tab-polls-badge"),
  questionsCount: document.getElementById("tab-questions-count"),
  panelPolls: document.getElementById("panel-polls"),
  panelQuestions: document.getElementById("panel-questions"),
};

const state = {
  view: null,
  answers: new Map(),
  pending: new Map(),
  drafts: new Map(),
  held: new Map(),
  notes: new Map(),
  tallies: new Map(),
  connection: "connecting", // connecting | online | reconnecting | offline | refused
  everOnline: false,
  nowKey: null, // which "now" card is showing, to animate only real changes
  acks: 0, // vote acks received so far: lets a snapshot tell which answers it may predate
  snapshotMark: 0, // `acks` when the latest snapshot was requested
  tab: "polls", // polls | questions: the tab shown while a session is live
  nickname: null, // this participant's leaderboard nickname, as the server last confirmed it
};
const cards = new Map(); // poll id -> PollCard

// --- small helpers ----------------------------------------------------------------------------

function chosenIds(answer) {
  if (!answer) return [];
  if (Array.isArray(answer.options)) return answer.options;
  if (answer.option !== undefined && answer.option !== null) return [answer.option];
  return [];
}

function sameSet(a, b) {
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

function timeRange(item) {
  if (item.starts_at && item.ends_at) return `${item.starts_at}–${item.ends_at}`;
  return item.starts_at || item.ends_at || "";
}

function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(`${iso}T12:00:00`);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
}

// Kinds this page can answer: one option ({option}), several ({options}), and the kinds with
// their own answer widget (answer-kinds.js).
const ONE_OPTION = new Set(["single", "quiz"]);
const SEVERAL_OPTIONS = new Set(["multiple"]);
const answerable = (poll) => ONE_OPTION.has(poll.kind) || SEVERAL_OPTIONS.has(poll.kind) || WIDGET_KINDS.has(poll.kind);

// Whether results may be shown, as the server decides it (roundtable/live/state.py): "live"
// always, "on_reveal" once revealed, "after_vote" once this participant's answer is stored.
// The server only sends tallies that this phone may see; this check also hides results again
// when a facilitator takes a reveal back.
function resultsAllowed(poll) {
  const mode = poll.results_mode || "on_reveal";
  if (mode === "live") return true;
  if (mode === "after_vote") return state.answers.has(poll.id);
  return Boolean(poll.results_revealed);
}

// A quiz with a leaderboard, offered to this participant: never to a child, never in a session
// with children (the server refuses such a quiz anyway).
function leaderboardOffered(poll) {
  const item = state.view && state.view.item;
  return poll.kind === "quiz" && Boolean(poll.settings && poll.settings.leaderboard) && !isChild && !(item && item.involves_children);
}

function maxSelections(poll) {
  const count = (poll.options || []).length;
  const limit = Number(poll.settings && poll.settings.max_selections);
  return limit > 0 ? Math.min(limit, count) : count;
}

// --- pending votes in sessionStorage ----------------------------------------------------------

function loadStoredVotes() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORE_KEY) || "{}");
    return Object.values(stored).filter(
      (v) => v && Number.isInteger(v.poll_id) && typeof v.client_id === "string" && v.answer,
    );
  } catch {
    return [];
  }
}

function saveStoredVotes() {
  const out = {};
  for (const [pollId, vote] of state.pending) {
    const { poll_id, client_id, answer, generation } = vote;
    out[pollId] = { poll_id, client_id, answer, generation };
  }
  try {
    if (Object.keys(out).length) sessionStorage.setItem(STORE_KEY, JSON.stringify(out));
    else sessionStorage.removeItem(STORE_KEY);
  } catch {
    // Private mode or a full storage: the in-memory retry still works while the page stays open.
  }
}

// --- free text a moderator still holds -------------------------------------------------------
// The vote ack lists the participant's own held texts; a snapshot does not, so the list is kept
// in sessionStorage (this tab only: it may hold a child's words) to survive a reload. A text that
// shows up in the public results has been let through.

function loadHeld() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(HELD_KEY) || "{}");
    for (const [id, entry] of Object.entries(stored)) {
      if (entry && Array.isArray(entry.texts)) state.held.set(Number(id), entry);
    }
  } catch {
    // Nothing stored, or storage unavailable: held texts are simply not marked after a reload.
  }
}

function saveHeld() {
  const out = {};
  for (const [id, entry] of state.held) if (entry.texts.length) out[id] = entry;
  try {
    if (Object.keys(out).length) sessionStorage.setItem(HELD_KEY, JSON.stringify(out));
    else sessionStorage.removeItem(HELD_KEY);
  } catch {
    // See loadHeld.
  }
}

function setHeld(pollId, texts, generation) {
  if (!Array.isArray(texts)) return;
  state.held.set(pollId, { texts: texts.filter((t) => typeof t === "string"), generation: generation ?? 0 });
  saveHeld();
}

// The participant's held texts for this poll's current answer, as a Set.
function heldSet(poll) {
  const entry = state.held.get(poll.id);
  if (!entry || (entry.generation ?? 0) !== (poll.generation ?? 0)) return new Set();
  return new Set(entry.texts);
}

// Drop held texts that the results now show: a moderator approved them.
function pruneHeld(poll, tally) {
  const entry = state.held.get(poll.id);
  if (!entry || !entry.texts.length || !tally) return;
  const shown = new Set();
  for (const pair of tally.words || []) shown.add(pair[0]);
  for (const answer of tally.answers || []) shown.add(answer.text);
  const texts = entry.texts.filter((text) => !shown.has(text));
  if (texts.length !== entry.texts.length) {
    entry.texts = texts;
    saveHeld();
  }
}

// --- voting -----------------------------------------------------------------------------------

function sendVote(poll, answer) {
  if (state.pending.has(poll.id)) return; // one vote in flight per poll; its ack unlocks the next
  const vote = { poll_id: poll.id, client_id: newClientId(), answer, generation: poll.generation };
  state.pending.set(poll.id, vote);
  state.notes.delete(poll.id);
  saveStoredVotes();
  renderPolls();
  dispatch(vote);
}

// Send (or resend, after a reload) a vote. live.js keeps it across reconnects until acknowledged,
// and the server applies a client_id once, so a resend never counts twice.
function dispatch(vote) {
  const payload = { poll_id: vote.poll_id, client_id: vote.client_id, answer: vote.answer };
  client.request("vote", payload, { retry: true }).then((reply) => onVoteAck(vote, reply));
}

function onVoteAck(vote, reply) {
  const id = vote.poll_id;
  if (state.pending.get(id) === vote) state.pending.delete(id);
  saveStoredVotes();
  if (reply && reply.ok) {
    state.drafts.delete(id);
    if (reply.tally) mergeTally(reply.tally); // "after_vote" polls: results come with the receipt
    // Free text: the participant's own words a moderator holds (never anyone else's).
    if (Array.isArray(reply.held)) setHeld(id, reply.held, reply.generation ?? vote.generation);
    if (reply.answer) {
      state.acks += 1;
      state.answers.set(id, {
        answer: reply.answer,
        generation: reply.generation ?? vote.generation,
        ack: state.acks,
      });
    } else {
      // A retried vote from before a reset: the server kept its receipt but the answer is gone.
      state.answers.delete(id);
      state.notes.set(id, { kind: "info", text: "This poll was restarted, so please answer again." });
    }
  } else {
    const error = (reply && reply.error) || {};
    state.notes.set(id, {
      kind: "error",
      text: error.message || "Your vote could not be saved. Please try again.",
      at: Date.now(),
    });
    // The server knows better what we answered (another tab, a reset): ask for the truth.
    if (error.code === "already_answered" || error.code === "client_id_reused") client.snapshot();
  }
  const card = cards.get(id);
  if (card) card.justConfirmed = Boolean(reply && reply.ok && reply.answer);
  else if (!(reply && reply.ok)) {
    // The poll left the screen while the vote was on its way (closed during an outage, say):
    // say so, rather than let the vote vanish without a word.
    const text = state.notes.get(id).text;
    state.notes.delete(id);
    toast(`Your vote could not be saved. ${text}`);
  }
  renderPolls();
}

// --- the leaderboard nickname (one per participant, shared by every quiz card) ----------------

const NICKNAME_ERRORS = {
  nickname_refused: "Please choose another nickname.",
  too_long: `A nickname can be at most ${NICKNAME_MAX} characters.`,
  rate_limited: "Too many changes at once. Wait a moment and try again.",
};

function loadNickname() {
  try {
    state.nickname = localStorage.getItem(NICKNAME_KEY) || null;
  } catch {
    state.nickname = null;
  }
}

function saveNickname(nick) {
  if (nick.saving) return;
  const nickname = nick.input.value.split(/\s+/).filter(Boolean).join(" ");
  nick.saving = true;
  nick.errorText = "";
  renderPolls();
  client.request("nickname:set", { nickname }, { retry: true }).then((reply) => {
    nick.saving = false;
    if (reply && reply.ok) {
      state.nickname = reply.nickname || null;
      try {
        if (state.nickname) localStorage.setItem(NICKNAME_KEY, state.nickname);
        else localStorage.removeItem(NICKNAME_KEY);
      } catch {
        // Storage unavailable: the nickname is still saved on the server.
      }
      for (const card of cards.values()) if (card.nick) card.nick.editing = false;
      if (!state.nickname) nick.input.value = "";
    } else {
      const error = (reply && reply.error) || {};
      nick.errorText = NICKNAME_ERRORS[error.code] || error.message || "Your nickname could not be saved. Please try again.";
    }
    renderPolls();
    for (const card of cards.values()) card.renderResults(card.poll); // mark "You" on the board
  });
}

let toastTimer = 0;
function toast(text) {
  let node = document.getElementById("toast");
  if (!node) {
    node = el("div", {
      id: "toast",
      class: "toast",
      role: "alert",
      "data-testid": "toast",
      onclick: () => node.classList.add("hidden"), // tap to dismiss
    });
    document.body.append(node);
  }
  node.textContent = text;
  node.classList.remove("hidden");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => node.classList.add("hidden"), 8000);
}

// --- one poll card ----------------------------------------------------------------------------

class PollCard {
  constructor(poll) {
    const id = poll.id;
    this.id = id;
    this.poll = poll;
    this.optionsKey = "";
    this.buttons = new Map();
    this.justConfirmed = false;
    this.widget = null; // the answer widget of a non-choice kind (answer-kinds.js)
    this.widgetKind = null;

    this.kindChip = el("span", { class: "chip" });
    this.stateChip = el("span", { class: "chip", "data-testid": `poll-status-${id}` });
    this.question = el("h2", { class: "poll-question", id: `poll-q-${id}` });
    this.hint = el("p", { class: "poll-hint", id: `poll-hint-${id}`, "data-testid": `hint-${id}` });
    this.list = el("div", {
      class: "options",
      role: "group",
      "aria-labelledby": `poll-q-${id}`,
      "aria-describedby": `poll-hint-${id}`,
    });
    this.submit = el("button", {
      type: "button",
      class: "button primary big submit",
      "data-testid": `submit-${id}`,
      onclick: () => this.onSubmit(),
    });
    this.status = el("div", { class: "poll-status", role: "status", "aria-live": "polite" });
    this.receipt = el(
      "p",
      { class: "receipt", "data-testid": `receipt-${id}` },
      el("span", { class: "receipt-tick", "aria-hidden": "true", text: "✓" }),
      el("span", { text: "Vote received" }),
      el("span", { class: "sr-only", text: " ✓" }),
    );
    this.changeNote = el("p", { class: "change-note", "data-testid": `change-note-${id}` });
    // Quiz, once revealed: whether this participant got it right.
    this.verdict = el("div", { class: "quiz-verdict", role: "status", "data-testid": `quiz-verdict-${id}` });
    this.barsBox = el("div", { class: "results-bars" });
    this.results = el(
      "section",
      { class: "poll-results", "data-testid": `results-${id}`, "aria-label": "Results" },
      el("h3", { class: "results-title", text: "Results" }),
      this.barsBox,
    );
    this.root = el(
      "article",
      { class: "poll-card", "data-testid": `poll-${id}`, dataset: { pollId: String(id) } },
      el("div", { class: "poll-meta" }, this.kindChip, this.stateChip),
      this.question,
      this.hint,
      this.list,
      this.submit,
      this.status,
      this.changeNote,
    );
  }

  buildOptions(poll) {
    const key = JSON.stringify([poll.kind, poll.options.map((o) => [o.id, o.label])]);
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    this.buttons.clear();
    clear(this.list);
    poll.options.forEach((option, index) => {
      const button = el(
        "button",
        {
          type: "button",
          class: "option",
          "data-testid": `option-${option.id}`,
          dataset: { optionId: String(option.id) },
          onclick: () => this.onOption(option.id),
        },
        el("span", { class: "option-mark", "aria-hidden": "true" }),
        el("span", { class: "option-label", text: option.label }),
      );
      button.style.setProperty("--i", String(index)); // staggered entrance (CSS)
      this.buttons.set(option.id, button);
      this.list.append(button);
    });
  }

  // What this card shows as chosen: the vote in flight, else the draft, else the confirmed answer.
  selection() {
    const pending = state.pending.get(this.id);
    if (pending) return new Set(chosenIds(pending.answer));
    const draft = state.drafts.get(this.id);
    if (draft) return new Set(draft.options);
    const confirmed = state.answers.get(this.id);
    return new Set(confirmed ? chosenIds(confirmed.answer) : []);
  }

  canChange() {
    const poll = this.poll;
    if (poll.status !== "open" || state.pending.has(this.id)) return false;
    return !state.answers.has(this.id) || poll.allow_change;
  }

  update(poll) {
    this.poll = poll;
    const id = this.id;
    const open = poll.status === "open";
    const multiple = SEVERAL_OPTIONS.has(poll.kind);
    const max = maxSelections(poll);
    const pending = state.pending.get(id);
    const confirmed = state.answers.get(id);
    const note = state.notes.get(id);
    const selected = this.selection();
    const canChange = this.canChange();

    this.root.classList.toggle("is-closed", !open);
    this.root.classList.toggle("is-multiple", multiple);
    this.root.dataset.kind = poll.kind;
    this.kindChip.textContent = KIND_LABELS[poll.kind] || "Question";
    this.stateChip.textContent = open ? "Open" : "Voting closed";
    this.stateChip.className = `chip ${open ? "chip-open" : "chip-closed"}`;
    this.question.textContent = poll.question;

    if (!answerable(poll)) {
      // A kind this page cannot answer yet: say so calmly, and still show results when allowed.
      this.kindChip.textContent = "Question";
      this.hint.textContent = open
        ? "This kind of question can't be answered on this page yet. Please follow along on the screen."
        : "Voting closed";
      this.list.hidden = true;
      this.submit.hidden = true;
      this.status.replaceChildren();
      this.changeNote.remove();
      this.renderResults(poll);
      return;
    }

    const widget = this.widgetFor(poll);
    if (widget) {
      this.updateWidget(poll, widget, { open, pending, confirmed, note, canChange });
      return;
    }
    this.list.hidden = false;

    if (!open) {
      this.hint.textContent = this.closedHint(poll);
    } else if (multiple) {
      const count = selected.size;
      this.hint.textContent = `Choose up to ${max}` + (count ? ` · ${count} of ${max} chosen` : "");
    } else this.hint.textContent = poll.kind === "quiz" ? "Tap the answer you think is right" : "Tap one answer";

    this.buildOptions(poll);
    for (const [optionId, button] of this.buttons) {
      const isChosen = selected.has(optionId);
      button.classList.toggle("selected", isChosen);
      button.classList.toggle("sending", Boolean(pending) && isChosen);
      button.setAttribute("aria-pressed", String(isChosen));
      // Multiple choice: once the limit is reached, the other options are disabled.
      const overLimit = multiple && !isChosen && selected.size >= max;
      button.disabled = !canChange || overLimit;
    }

    // Submit: multiple choice only, while the poll is open. Once an answer is stored it steps
    // aside until the participant changes a selection ("Update answer").
    if (multiple && open) {
      const draft = state.drafts.get(id);
      const current = new Set(confirmed ? chosenIds(confirmed.answer) : []);
      const changed = draft && draft.options.size > 0 && !sameSet(draft.options, current);
      const untouched = !draft || sameSet(draft.options, current);
      this.submit.hidden = Boolean(confirmed && untouched && !pending);
      this.submit.disabled = Boolean(pending) || !changed || !canChange;
      this.submit.textContent = pending ? "Sending…" : confirmed ? "Update answer" : "Submit";
    } else {
      this.submit.hidden = true;
    }
    if (this.submit.previousElementSibling !== this.list) this.list.after(this.submit);

    this.renderStatus(poll, { pending, confirmed, note });
    this.renderChangeNote(poll, { open, confirmed });
    this.renderNickname(poll);
    this.renderResults(poll);
  }

  closedHint(poll) {
    const shown = resultsAllowed(poll) && state.tallies.has(poll.id);
    return shown ? "Voting closed · results below" : "Voting closed";
  }

  // --- kinds with an answer widget (word cloud, open text, rating, ranking, 100 points) ---

  widgetFor(poll) {
    const kind = WIDGET_KINDS.has(poll.kind) ? poll.kind : null;
    if (kind === this.widgetKind) return this.widget;
    if (this.widget) this.widget.node.remove(); // a facilitator changed the kind (no answers yet)
    this.widgetKind = kind;
    this.widget = kind ? createAnswerWidget(kind, this.widgetContext()) : null;
    if (this.widget) this.list.after(this.widget.node);
    return this.widget;
  }

  widgetContext() {
    return {
      id: this.id,
      vote: (answer) => {
        if (!this.canChange()) return;
        state.notes.delete(this.id);
        sendVote(this.poll, answer);
      },
      setDraft: (value) => {
        if (!this.canChange()) return;
        state.drafts.set(this.id, { ...value, kind: this.poll.kind, generation: this.poll.generation });
        state.notes.delete(this.id); // a fresh edit replaces the last error
        this.update(this.poll);
      },
      dropDraft: () => {
        state.drafts.delete(this.id);
        state.notes.delete(this.id);
        this.update(this.poll);
      },
      submit: () => this.onSubmit(),
    };
  }

  // What a widget draws from: answers in the vote payload's shape.
  widgetView(poll) {
    const open = poll.status === "open";
    const pending = state.pending.get(this.id);
    const confirmed = state.answers.get(this.id);
    const draft = state.drafts.get(this.id);
    return {
      open,
      canChange: this.canChange(),
      pending: pending ? pending.answer : null,
      confirmed: confirmed ? confirmed.answer : null,
      draft: open && draft && (!draft.kind || draft.kind === poll.kind) ? draft : null,
      held: heldSet(poll),
    };
  }

  updateWidget(poll, widget, { open, pending, confirmed, note, canChange }) {
    this.list.hidden = true;
    this.verdict.remove();
    const view = this.widgetView(poll);
    widget.render(poll, view);
    // Closed without an answer from this phone: nothing to show but the results.
    widget.node.hidden = !open && !confirmed && !pending;
    this.hint.textContent = open ? widget.hint(poll, view) : this.closedHint(poll);

    // Submit (every widget kind but rating, where one tap votes): shown while an answer is being
    // put together; enabled once it is complete and differs from the stored one.
    const info = open ? widget.submitInfo(poll, view) : null;
    if (info) {
      const changed = Boolean(info.answer) && (!confirmed || answerKey(info.answer) !== answerKey(confirmed.answer));
      this.submit.hidden = !pending && !info.editing;
      this.submit.disabled = Boolean(pending) || !canChange || !changed;
      this.submit.textContent = pending ? "Sending…" : confirmed ? "Update answer" : "Submit";
    } else {
      this.submit.hidden = true;
    }
    const slot = widget.submitSlot;
    if (slot) {
      if (this.submit.parentNode !== slot) slot.prepend(this.submit);
    } else if (this.submit.previousElementSibling !== widget.node) widget.node.after(this.submit);

    this.renderStatus(poll, { pending, confirmed, note });
    this.renderChangeNote(poll, { open, confirmed });
    this.renderResults(poll);
  }

  renderChangeNote(poll, { open, confirmed }) {
    if (open && poll.allow_change) {
      this.changeNote.textContent = "You can change your answer while the poll is open.";
      if (!this.changeNote.isConnected) this.root.append(this.changeNote);
    } else if (open && confirmed) {
      this.changeNote.textContent = "This poll takes one answer per person.";
      if (!this.changeNote.isConnected) this.root.append(this.changeNote);
    } else {
      this.changeNote.remove();
    }
  }

  renderStatus(poll, { pending, confirmed, note }) {
    const parts = [];
    if (pending) {
      const waiting = state.connection !== "online";
      parts.push(
        el(
          "p",
          { class: "sending-line", "data-testid": `sending-${this.id}` },
          el("span", { class: "spinner", "aria-hidden": "true" }),
          el("span", {
            text: waiting ? "Waiting for the connection… your vote will be sent automatically." : "Sending…",
          }),
        ),
      );
    } else if (confirmed) {
      // A confirmed answer: the ack said ok (or the snapshot listed it as stored).
      parts.push(this.receipt);
      this.receipt.classList.toggle("pop", this.justConfirmed);
    }
    const reveal = this.justConfirmed;
    if (note && !pending) {
      parts.push(
        el("p", {
          class: note.kind === "error" ? "poll-error" : "poll-info",
          role: note.kind === "error" ? "alert" : null,
          "data-testid": `poll-error-${this.id}`,
          text: note.text,
        }),
      );
    }
    this.justConfirmed = false;
    // Replace only what changed, so the receipt's entrance animation plays once.
    const current = Array.from(this.status.children);
    if (current.length !== parts.length || current.some((node, i) => node !== parts[i])) {
      this.status.replaceChildren(...parts);
    }
    // Just confirmed but below the fold (long options on a small phone): bring the receipt up.
    if (reveal && this.receipt.isConnected) {
      const box = this.receipt.getBoundingClientRect();
      if (box.bottom > window.innerHeight || box.top < 56) {
        this.receipt.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    }
  }

  renderResults(poll) {
    const tally = state.tallies.get(poll.id);
    const show = resultsAllowed(poll) && tally && (tally.generation ?? 0) >= (poll.generation ?? 0);
    this.renderVerdict(poll, show ? tally : null);
    if (!show) {
      this.results.remove();
      return;
    }
    if (!this.results.isConnected) this.root.append(this.results);
    const heldBefore = heldSet(poll).size;
    pruneHeld(poll, tally);
    renderResults(this.barsBox, poll, tally);
    drawPhoneSplit(this.results, poll);
    this.markMine(poll);
    this.renderLeaderboard(poll, tally);
    // A moderator let some of this participant's words through: drop the "waiting" marks.
    if (this.widget && heldSet(poll).size !== heldBefore) this.widget.render(poll, this.widgetView(poll));
  }

  // Mark the participant's own answer in the results, so they read as "you and the room".
  markMine(poll) {
    const answer = (state.answers.get(poll.id) || {}).answer || {};
    if (poll.renderer === "rating") {
      for (const col of this.barsBox.querySelectorAll(".rating-col")) {
        col.classList.toggle("mine", Number(col.dataset.value) === answer.value);
      }
      return;
    }
    if (poll.renderer === "cloud") {
      const words = new Set(answer.words || []);
      for (const word of this.barsBox.querySelectorAll(".cloud-word")) word.classList.toggle("mine", words.has(word.dataset.word));
      return;
    }
    if (poll.renderer === "wall") {
      const texts = new Set(answer.texts || []);
      for (const card of this.barsBox.querySelectorAll(".wall-card")) card.classList.toggle("mine", texts.has(card.textContent));
      return;
    }
    // Mark the participant's own choice in the bars, so results read as "you and the room".
    const mine = new Set(chosenIds((state.answers.get(poll.id) || {}).answer).map(String));
    for (const row of this.barsBox.querySelectorAll(".bar-row")) {
      const isMine = mine.has(row.dataset.optionId);
      row.classList.toggle("mine", isMine);
      let mark = row.querySelector(".mine-mark");
      if (isMine && !mark) {
        mark = el("span", { class: "mine-mark", title: "Your answer" },
          el("span", { "aria-hidden": "true", text: "✓" }),
          el("span", { class: "sr-only", text: "Your answer: " }));
        row.querySelector(".bar-text").before(mark);
      } else if (!isMine && mark) mark.remove();
    }
    let legend = this.barsBox.querySelector(".mine-legend");
    const total = this.barsBox.querySelector(".bars-total");
    if (mine.size && total && !legend) {
      legend = el("span", { class: "mine-legend", "aria-hidden": "true" },
        el("span", { class: "mine-mark", text: "✓" }), "your answer");
      total.append(legend);
    } else if (!mine.size && legend) legend.remove();
  }

  // --- quiz leaderboard: an optional, self-chosen nickname, and the board under the results ---

  renderNickname(poll) {
    const show = leaderboardOffered(poll) && (poll.status === "open" || resultsAllowed(poll));
    if (!show) {
      if (this.nick) this.nick.root.remove();
      return;
    }
    const nick = this.nick || this.buildNickname();
    const saved = state.nickname;
    const editing = nick.editing || !saved;
    nick.root.classList.toggle("is-saved", !editing);
    nick.summary.hidden = editing;
    nick.form.hidden = !editing;
    if (!editing) nick.name.textContent = saved;
    nick.cancel.hidden = !saved;
    nick.input.disabled = nick.saving;
    nick.save.disabled = nick.saving;
    nick.save.textContent = nick.saving ? "Saving…" : "Save";
    nick.error.textContent = nick.errorText || "";
    nick.error.hidden = !nick.errorText;
    // Right under the answers and the receipt, above the results and the board itself.
    if (this.status.nextElementSibling !== nick.root) this.status.after(nick.root);
  }

  buildNickname() {
    const id = this.id;
    const inputId = `nickname-${id}`;
    const nick = { editing: false, saving: false, errorText: "" };
    nick.input = el("input", {
      id: inputId,
      type: "text",
      class: "word-input nickname-input",
      "data-testid": "nickname-input",
      maxlength: String(NICKNAME_MAX),
      placeholder: "e.g. Simba",
      autocomplete: "off",
      autocapitalize: "words",
      enterkeyhint: "done",
      "aria-describedby": `${inputId}-note`,
      oninput: () => {
        nick.errorText = "";
        nick.error.hidden = true;
      },
    });
    nick.save = el("button", { type: "submit", class: "button secondary nickname-save", "data-testid": "nickname-save", text: "Save" });
    nick.cancel = el("button", {
      type: "button",
      class: "link-button nickname-cancel",
      text: "Cancel",
      onclick: () => {
        nick.editing = false;
        nick.errorText = "";
        this.renderNickname(this.poll);
      },
    });
    nick.error = el("p", { class: "nickname-error", role: "alert", "data-testid": "nickname-error" });
    nick.form = el(
      "form",
      { class: "nickname-form", novalidate: true, onsubmit: (event) => { event.preventDefault(); saveNickname(nick); } },
      el("label", { class: "nickname-label", for: inputId }, "Nickname for the leaderboard ", el("span", { class: "optional", text: "(optional)" })),
      el("div", { class: "nickname-row" }, nick.input, nick.save),
      el("p", {
        class: "nickname-note",
        id: `${inputId}-note`,
        text: "Only your nickname and how many answers you got right are shown. Leave it empty to stay off the board.",
      }),
      nick.error,
      nick.cancel,
    );
    nick.name = el("strong", { "data-testid": "nickname-current" });
    nick.summary = el(
      "p",
      { class: "nickname-summary" },
      el("span", { class: "nickname-badge", "aria-hidden": "true", text: "★" }),
      el("span", { class: "nickname-summary-text" }, "On the leaderboard as ", nick.name),
      el("button", {
        type: "button",
        class: "link-button nickname-change",
        "data-testid": "nickname-change",
        text: "Change",
        onclick: () => {
          nick.editing = true;
          nick.input.value = state.nickname || "";
          this.renderNickname(this.poll);
          nick.input.focus();
        },
      }),
    );
    nick.root = el("section", { class: "nickname", "data-testid": `nickname-${id}`, "aria-label": "Leaderboard nickname" }, nick.summary, nick.form);
    this.nick = nick;
    return nick;
  }

  // charts.js draws the board inside the results; give it this poll's test id, mark the
  // participant's own row, and say so when nobody is on it yet.
  renderLeaderboard(poll, tally) {
    const board = this.barsBox.querySelector(".leaderboard");
    const offered = leaderboardOffered(poll) && Array.isArray(tally.leaderboard);
    if (board) {
      board.dataset.testid = `leaderboard-${this.id}`;
      // Equal counts share a place (1, 1, 3): the order among them is only alphabetical.
      const entries = tally.leaderboard || [];
      board.querySelectorAll("li").forEach((row, index) => {
        const correct = entries[index] ? entries[index].correct : null;
        let rank = index + 1;
        while (rank > 1 && entries[rank - 2] && entries[rank - 2].correct === correct) rank -= 1;
        row.dataset.rank = String(rank);
        const name = row.querySelector(".leaderboard-name");
        const mine = Boolean(state.nickname) && name && name.textContent === state.nickname;
        row.classList.toggle("mine", Boolean(mine));
        if (mine && !row.querySelector(".leaderboard-you")) name.after(el("span", { class: "leaderboard-you", text: "You" }));
      });
    }
    const empty = offered && !board;
    if (empty) {
      this.boardEmpty ||= el("p", {
        class: "leaderboard-empty",
        "data-testid": `leaderboard-${this.id}`,
        text: "Leaderboard: nobody is on it yet. Choose a nickname above to take part.",
      });
      if (!this.boardEmpty.isConnected) this.results.append(this.boardEmpty);
    } else if (this.boardEmpty) this.boardEmpty.remove();
  }

  // Quiz, after the reveal (the tally then names the correct option): mark the correct option
  // and tell the participant whether they got it right. No scores, no speed.
  renderVerdict(poll, tally) {
    const correct = poll.kind === "quiz" && tally && tally.correct_option != null ? tally.correct_option : null;
    const mine = chosenIds((state.answers.get(poll.id) || {}).answer)[0];
    for (const [optionId, button] of this.buttons) {
      const isCorrect = correct !== null && optionId === correct;
      const isWrong = correct !== null && !isCorrect && optionId === mine;
      button.classList.toggle("correct", isCorrect);
      button.classList.toggle("wrong", isWrong);
      let tag = button.querySelector(".option-tag");
      const text = isCorrect ? (optionId === mine ? "Correct · your answer" : "Correct answer") : isWrong ? "Your answer" : "";
      if (text && !tag) {
        tag = el("span", { class: "option-tag" });
        button.append(tag);
      }
      if (tag) {
        if (text) tag.textContent = text;
        else tag.remove();
      }
    }
    if (correct === null || this.widget) {
      this.verdict.remove();
      return;
    }
    const option = poll.options.find((o) => o.id === correct);
    const right = mine === correct;
    // Rebuild only when something changed: the verdict is a live region.
    const key = JSON.stringify([correct, mine, tally.correct_share, option && option.label]);
    if (key !== this.verdictKey) {
      this.verdictKey = key;
      this.fillVerdict(option, right, mine, tally);
    }
    if (this.verdict.previousElementSibling !== this.submit) this.submit.after(this.verdict);
  }

  fillVerdict(option, right, mine, tally) {
    this.verdict.className = `quiz-verdict ${right ? "is-right" : mine === undefined ? "is-none" : "is-wrong"}`;
    this.verdict.replaceChildren(
      el("span", { class: "verdict-icon", "aria-hidden": "true", text: right ? "✓" : mine === undefined ? "i" : "✕" }),
      el("div", { class: "verdict-text" },
        el("p", { class: "verdict-title", text: right ? "You got it right" : `The answer was ${option ? option.label : "…"}` }),
        el("p", {
          class: "verdict-sub",
          text: right
            ? `${tally.correct_share}% of the room got it right.`
            : `${mine === undefined ? "You didn't answer. " : ""}${tally.correct_share}% of the room got it right.`,
        })),
    );
  }

  onOption(optionId) {
    const poll = this.poll;
    if (!this.canChange()) return;
    state.notes.delete(this.id);
    if (!SEVERAL_OPTIONS.has(poll.kind)) {
      const confirmed = state.answers.get(this.id);
      if (confirmed && chosenIds(confirmed.answer).includes(optionId)) return; // already this one
      sendVote(poll, { option: optionId });
      return;
    }
    let draft = state.drafts.get(this.id);
    if (!draft) {
      const confirmed = state.answers.get(this.id);
      draft = { options: new Set(confirmed ? chosenIds(confirmed.answer) : []), generation: poll.generation };
      state.drafts.set(this.id, draft);
    }
    if (draft.options.has(optionId)) draft.options.delete(optionId);
    else if (draft.options.size < maxSelections(poll)) draft.options.add(optionId);
    this.update(poll);
  }

  onSubmit() {
    if (this.widget) {
      if (!this.canChange()) return;
      const info = this.widget.submitInfo(this.poll, this.widgetView(this.poll));
      if (!info || !info.answer) return;
      // Put the phone keyboard away, so the receipt is in sight.
      if (this.root.contains(document.activeElement)) document.activeElement.blur();
      state.notes.delete(this.id);
      sendVote(this.poll, info.answer);
      return;
    }
    const draft = state.drafts.get(this.id);
    if (!draft || draft.options.size === 0 || !this.canChange()) return;
    sendVote(this.poll, { options: Array.from(draft.options).sort((a, b) => a - b) });
  }
}

// --- the "now" card: session, break or waiting ------------------------------------------------

function nextLine(next) {
  if (!next) return null;
  const when = next.starts_at ? ` at ${next.starts_at}` : "";
  return el(
    "p",
    { class: "next-line", "data-testid": "next" },
    el("span", { class: "next-label", text: "Next" }),
    el("span", { class: "next-text", text: `${next.title}${when}` }),
  );
}

function renderNow() {
  const view = state.view;
  const item = view && view.item;
  const card = nodes.now;
  card.classList.remove("is-loading", "is-waiting", "is-break", "is-session");
  // While a poll is on the phone, the session card shrinks so the poll (and its receipt) sits
  // near the top of a small screen; the points stay, clamped to two lines.
  // The same on the Questions tab: the ask box comes first.
  const questionsTab = tabsShown() && state.tab === "questions";
  card.classList.toggle("is-compact", Boolean(item && !item.is_break && (view.polls.length || questionsTab)));
  let key;
  let content;
  if (!item) {
    key = "waiting";
    card.classList.add("is-waiting");
    content = [
      el(
        "div",
        { class: "waiting", "data-testid": "waiting" },
        el("div", { class: "waiting-art", "aria-hidden": "true" }, el("span"), el("span"), el("span")),
        el("h1", { class: "now-title", text: "Waiting for the session to start" }),
        el("p", {
          class: "muted",
          text: "You're in. This page updates by itself: keep it open and the questions will appear here.",
        }),
      ),
      nextLine(view && view.next),
    ];
  } else if (item.is_break) {
    key = `break:${item.id}`;
    card.classList.add("is-break");
    const back = item.ends_at || (view.next && view.next.starts_at) || "";
    content = [
      el(
        "div",
        { class: "break", "data-testid": "break" },
        el("div", { class: "break-art", "aria-hidden": "true" }),
        el("p", { class: "now-eyebrow", text: [item.day, timeRange(item)].filter(Boolean).join(" · ") }),
        el("h1", { class: "now-title", text: item.title }),
        el("p", { class: "break-back", text: back ? `Break — see you at ${back}` : "Break — see you soon" }),
      ),
      nextLine(view.next),
    ];
  } else {
    key = `item:${item.id}`;
    card.classList.add("is-session");
    const when = [item.day, formatDate(item.date), timeRange(item)].filter(Boolean).join(" · ");
    const points = item.points || [];
    content = [
      el(
        "div",
        { class: "session", "data-testid": "session" },
        el(
          "p",
          { class: "now-eyebrow" },
          el("span", { class: "live-dot", "aria-hidden": "true" }),
          el("span", { class: "live-word", text: "Now" }),
          el("span", { class: "now-when", "data-testid": "session-time", text: when }),
        ),
        el("h1", { class: "now-title", "data-testid": "session-title", text: item.title }),
        item.facilitator && item.facilitator !== "ALL"
          ? el("p", { class: "now-by", text: `With ${item.facilitator}` })
          : null,
        points.length
          ? el("ul", { class: "now-points" }, points.map((point) => el("li", { text: point })))
          : null,
      ),
      nextLine(view.next),
    ];
  }
  card.replaceChildren(...content.filter(Boolean));
  if (key !== state.nowKey) {
    // Restart the entrance animation only when the session actually changes.
    card.classList.remove("enter");
    void card.offsetWidth;
    card.classList.add("enter");
    state.nowKey = key;
  }
}

// --- the poll list ----------------------------------------------------------------------------

let emptyNote = null;

function renderPolls() {
  const view = state.view;
  const polls = view ? view.polls : [];
  const seen = new Set();
  polls.forEach((poll, index) => {
    let card = cards.get(poll.id);
    if (!card) {
      card = new PollCard(poll);
      cards.set(poll.id, card);
    }
    card.update(poll);
    seen.add(poll.id);
    // Move nodes only when the order changed: moving a node would drop the focus inside it.
    const there = nodes.polls.children[index];
    if (there !== card.root) nodes.polls.insertBefore(card.root, there || null);
  });
  for (const [id, card] of cards) {
    if (!seen.has(id)) {
      card.root.remove();
      cards.delete(id);
      // A vote refused just before its poll left the screen (the ack and the snapshot that
      // removes the poll can arrive in either order after a reconnect): still say so.
      const note = state.notes.get(id);
      if (note && note.kind === "error" && Date.now() - (note.at || 0) < 15000) {
        toast(`Your vote could not be saved. ${note.text}`);
      }
      state.notes.delete(id);
    }
  }
  // A calm note when a session is live but no poll is open yet.
  const item = view && view.item;
  const showEmpty = Boolean(item && !item.is_break && polls.length === 0);
  if (showEmpty) {
    emptyNote ||= el(
      "p",
      { class: "empty-polls", "data-testid": "no-polls" },
      el("span", { class: "empty-icon", "aria-hidden": "true" }),
      el("span", { text: "No poll open right now. When the facilitator opens one, it will appear here." }),
    );
    if (!emptyNote.isConnected) nodes.polls.append(emptyNote);
  } else if (emptyNote) emptyNote.remove();
  renderPollsBadge();
}

// --- tabs: Polls | Questions (n) --------------------------------------------------------------
// Shown while a session is live. Before the first session and during breaks there is little to
// switch between: both panels then show one under the other (the questions panel only says that
// questions are closed, and lists the participant's own questions if they have any).

function tabsShown() {
  const item = state.view && state.view.item;
  return Boolean(item && !item.is_break);
}

function renderTabs() {
  const shown = tabsShown();
  nodes.tabs.classList.toggle("hidden", !shown);
  body.dataset.tab = shown ? state.tab : "all";
  for (const [tab, button, panel] of [
    ["polls", nodes.tabPolls, nodes.panelPolls],
    ["questions", nodes.tabQuestions, nodes.panelQuestions],
  ]) {
    const selected = state.tab === tab;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    panel.hidden = shown && !selected;
    if (shown) panel.setAttribute("role", "tabpanel");
    else panel.removeAttribute("role");
  }
}

function selectTab(tab, { focus = false } = {}) {
  if (tab !== "polls" && tab !== "questions") return;
  const changed = state.tab !== tab;
  state.tab = tab;
  try {
    sessionStorage.setItem(TAB_KEY, tab);
  } catch {
    // Storage unavailable: the tab is kept while the page is open.
  }
  renderTabs();
  renderNow();
  if (focus) (tab === "polls" ? nodes.tabPolls : nodes.tabQuestions).focus();
  // Deep in a long list, the tab bar sticks under the header: start the new panel at its top.
  if (changed && tabsShown()) {
    const bar = nodes.tabs.getBoundingClientRect();
    const panel = (tab === "polls" ? nodes.panelPolls : nodes.panelQuestions).getBoundingClientRect();
    if (panel.top < bar.bottom) window.scrollBy(0, panel.top - bar.bottom - 8);
  }
}

// Open polls this phone has not answered yet: a count on the Polls tab, so a poll that opens
// while the participant reads the questions is not missed.
function renderPollsBadge() {
  const polls = state.view ? state.view.polls : [];
  const waiting = polls.filter(
    (p) => p.status === "open" && answerable(p) && !state.answers.has(p.id) && !state.pending.has(p.id),
  ).length;
  const badge = nodes.pollsBadge;
  const text = waiting ? String(waiting) : "";
  if (badge.textContent !== text) {
    badge.textContent = text;
    badge.classList.remove("pop");
    if (waiting && state.tab === "questions") {
      void badge.offsetWidth; // restart the animation
      badge.classList.add("pop");
    }
  }
  badge.classList.toggle("hidden", !waiting);
  badge.setAttribute("aria-label", waiting === 1 ? "1 poll to answer" : `${waiting} polls to answer`);
}

function renderQuestionsCount(count) {
  const node = nodes.questionsCount;
  const text = count ? String(count) : "";
  if (node.textContent !== text) node.textContent = text;
  node.classList.toggle("hidden", !count);
  node.setAttribute("aria-label", count === 1 ? "1 question" : `${count} questions`);
}

nodes.tabPolls.addEventListener("click", () => selectTab("polls"));
nodes.tabQuestions.addEventListener("click", () => selectTab("questions"));
nodes.tabs.addEventListener("keydown", (event) => {
  // Arrow keys move between tabs (the ARIA tabs pattern).
  if (event.key === "ArrowLeft" || event.key === "ArrowRight" || event.key === "Home" || event.key === "End") {
    event.preventDefault();
    const next = event.key === "Home" ? "polls" : event.key === "End" ? "questions" : state.tab === "polls" ? "questions" : "polls";
    selectTab(next, { focus: true });
  }
});

// --- applying what the server sends -----------------------------------------------------------

function mergeTally(tally) {
  if (!tally) return;
  const id = tally.poll_id;
  const known = state.tallies.get(id);
  if (known && known.seq > tally.seq && (known.generation ?? 0) >= (tally.generation ?? 0)) return;
  state.tallies.set(id, tally);
}

// Keep only options that still exist (a facilitator may edit an open poll that has no answers).
function pruneDraft(draft, poll) {
  const ids = new Set((poll.options || []).map((o) => o.id));
  if (draft.options instanceof Set) {
    for (const optionId of draft.options) if (!ids.has(optionId)) draft.options.delete(optionId);
  }
  if (Array.isArray(draft.order)) draft.order = draft.order.filter((id) => ids.has(id));
  if (draft.points && typeof draft.points === "object") {
    for (const key of Object.keys(draft.points)) if (!ids.has(Number(key))) delete draft.points[key];
  }
}

function applyView(view) {
  state.view = view;
  for (const poll of view.polls) {
    const generation = poll.generation ?? 0;
    const answer = state.answers.get(poll.id);
    if (answer && (answer.generation ?? 0) < generation) {
      // The facilitator reset this poll: the earlier answer no longer counts.
      state.answers.delete(poll.id);
      state.notes.set(poll.id, { kind: "info", text: "The facilitator restarted this poll: please answer again." });
    }
    const held = state.held.get(poll.id);
    if (held && (held.generation ?? 0) < generation) {
      state.held.delete(poll.id);
      saveHeld();
    }
    const draft = state.drafts.get(poll.id);
    const stale = draft && ((draft.generation ?? 0) < generation || poll.status !== "open");
    if (stale || (draft && draft.kind && draft.kind !== poll.kind)) state.drafts.delete(poll.id);
    else if (draft) pruneDraft(draft, poll);
  }
  for (const tally of Object.values(view.tallies || {})) mergeTally(tally);
  notePhoneView(view);

  nodes.title.textContent = view.event.title;
  nodes.title.title = view.event.title;
  fillHelpline(nodes.helpline, view.helpline || HELP_FALLBACK);
  document.title = view.item ? `${view.item.title} · Roundtable` : `${view.event.title} · Roundtable`;
  renderTabs();
  renderNow();
  renderPolls();
  questionWall.applyView(view);
  helpSheet.render();
}

function onSnapshot(reply) {
  // A snapshot's `mine` is the truth for every visible poll, except for answers acknowledged
  // after the snapshot was asked for: on reconnect the snapshot and a resent vote race, and the
  // snapshot may have been read before the vote was committed.
  const newer = [...state.answers].filter(([, answer]) => (answer.ack || 0) > state.snapshotMark);
  state.answers.clear();
  const mine = reply.mine || {};
  for (const poll of reply.view.polls) {
    const answer = mine[String(poll.id)];
    if (answer) state.answers.set(poll.id, { answer, generation: poll.generation ?? 0 });
  }
  for (const [id, answer] of newer) state.answers.set(id, answer);
  // Held free text: from the snapshot when the server sends it ({poll_id: [texts]}); otherwise
  // keep what the vote acks said, for texts that are still part of the stored answer.
  for (const poll of reply.view.polls) {
    const fromServer = reply.held && reply.held[String(poll.id)];
    if (Array.isArray(fromServer)) {
      setHeld(poll.id, fromServer, poll.generation);
      continue;
    }
    const entry = state.held.get(poll.id);
    const answer = (state.answers.get(poll.id) || {}).answer;
    if (!entry) continue;
    const texts = new Set((answer && (answer.words || answer.texts)) || []);
    entry.texts = entry.texts.filter((text) => texts.has(text));
  }
  if (reply.held) {
    for (const id of [...state.held.keys()]) if (!(String(id) in reply.held)) state.held.delete(id);
  }
  saveHeld();
  questionWall.applySnapshot(reply);
  applyView(reply.view);
}

function onTally(tally) {
  mergeTally(tally);
  const card = cards.get(tally.poll_id);
  if (card) card.renderResults(card.poll);
}

// --- connection status ------------------------------------------------------------------------

const PILL = {
  connecting: ["Connecting…", ""],
  online: ["Live", "online"],
  reconnecting: ["Reconnecting…", "offline reconnecting"],
  offline: ["Offline", "offline"],
  refused: ["Not connected", "offline refused"],
};

function setConnection(status, message) {
  state.connection = status;
  if (status === "online") state.everOnline = true;
  const [text, classes] = PILL[status] || PILL.offline;
  nodes.pill.textContent = text;
  nodes.pill.className = `status-pill conn-pill ${classes}`.trim();
  body.dataset.connection = status;

  let banner = "";
  if (!state.everOnline && (status === "reconnecting" || status === "offline")) {
    banner = "Can't reach the server yet. Check your Wi-Fi or mobile data: we keep trying.";
  } else if (status === "reconnecting") {
    banner = "Reconnecting… Your answers are kept and sent when you're back.";
  } else if (status === "offline") {
    banner = "You're offline. Your answers are kept and sent when you're back.";
  } else if (status === "refused") banner = message || "This page could not connect.";
  nodes.banner.textContent = banner;
  nodes.banner.classList.toggle("hidden", !banner);
  nodes.banner.classList.toggle("is-error", status === "refused");
  // The tab bar sticks just under the header, and under the banner while it shows.
  document.documentElement.style.setProperty("--banner-height", `${banner ? nodes.banner.offsetHeight : 0}px`);
  renderPolls(); // "Sending…" becomes "Waiting for the connection…" and back
  questionWall.setConnection(status);
  helpSheet.setConnection(status);
}

function onStatus(status) {
  if (status === "online") setConnection("online");
  else if (status === "offline") setConnection(state.everOnline && navigator.onLine ? "reconnecting" : "offline");
  // "refused" is handled by onRefused, which has the reason.
}

function onRefused(data) {
  if (data.code === "not_joined") {
    window.location.replace(joinUrl);
    return;
  }
  setConnection("refused", data.message);
}

// --- start ------------------------------------------------------------------------------------

const client = new LiveClient({
  role: "participant",
  code,
  onSnapshot,
  onState: applyView,
  onTally,
  onStatus,
  onRefused,
});
// Note when each snapshot is asked for (live.js asks on every connect and on a revision gap).
const requestSnapshot = LiveClient.prototype.snapshot;
client.snapshot = function snapshot() {
  state.snapshotMark = state.acks;
  return requestSnapshot.call(this);
};

const questionWall = new QuestionWall({
  client,
  panel: nodes.panelQuestions,
  code,
  isChild,
  onChange: renderQuestionsCount,
});
const helpSheet = new HelpSheet({
  client,
  dialog: document.getElementById("help-sheet"),
  // Until a view arrives, the helpline the server put in the page.
  helpline: () => (state.view ? state.view.helpline : null) || nodes.helpline.textContent || HELP_FALLBACK,
  toast,
});

loadHeld();
loadNickname();
// The tab from before a reload, or the one a link asks for (/e/<code>#questions).
try {
  state.tab = sessionStorage.getItem(TAB_KEY) === "questions" ? "questions" : "polls";
} catch {
  state.tab = "polls";
}
if (window.location.hash === "#questions") state.tab = "questions";
else if (window.location.hash === "#polls") state.tab = "polls";
window.addEventListener("hashchange", () => {
  if (window.location.hash === "#questions" || window.location.hash === "#polls") selectTab(window.location.hash.slice(1));
});
// Votes that were still on their way when the page was last closed or reloaded.
for (const vote of loadStoredVotes()) {
  state.pending.set(vote.poll_id, vote);
  dispatch(vote);
}

client.connect();
client.socket.on("group_tally", (split) => {
  if (!notePhoneSplit(split)) return;
  const card = cards.get(split.poll_id);
  if (card) card.renderResults(card.poll);
});
// The question wall's own messages (the live session's wall; this participant's own questions).
client.socket.on("wall", (wall) => questionWall.onWall(wall));
client.socket.on("my_question", (question) => questionWall.onMyQuestion(question));
// A question that was still on its way when the page was last closed or reloaded.
questionWall.resume();
client.socket.io.on("reconnect_attempt", () => {
  if (state.connection !== "refused") setConnection(navigator.onLine ? "reconnecting" : "offline");
});
// The browser often knows about a lost network long before the socket's ping times out.
window.addEventListener("offline", () => {
  if (state.connection !== "refused") setConnection("offline");
});
window.addEventListener("online", () => {
  if (state.connection !== "refused") setConnection(client.socket.connected ? "online" : "reconnecting");
});
