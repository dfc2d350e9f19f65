// The phone page's state, shared by its panels (participant.js wires them).
//
// The server is the source of truth (docs/socket-protocol.md). The page keeps a little local
// state on top of the latest participant view:
//   answers  poll id -> {answer, generation, ack?}
//                                              answers the server has confirmed (snapshot `mine`
//                                              or a vote ack); forgotten when the poll's
//                                              generation grows (the facilitator reset it)
//   pending  poll id -> {poll_id, client_id, answer, generation}
//                                              a vote sent but not yet acknowledged; mirrored in
//                                              sessionStorage so a reload during an outage
//                                              resends it with the same client_id (counted once)
//   drafts   poll id -> an answer-shaped draft {options (a Set) | words | texts | order | points,
//            kind, generation}                 answers being put together, not yet submitted;
//                                              they survive every re-render
//   held     poll id -> {texts, generation}    the participant's own free text that a moderator
//                                              still holds (from the vote ack); mirrored in
//                                              sessionStorage so a reload still marks it
//   notes    poll id -> {kind, text}           the last error or notice shown under a poll
//   tallies  poll id -> tally                  results; the server sends only those this phone
//                                              may see (revealed, "live", or after its own vote)
//
// `phone` also carries what the panels call on each other (set by participant.js), so that no
// panel imports the page that imports it: client, renderPolls(), notify(text).
import { t } from "../i18n.js";

const code = document.body.dataset.code;

export const phone = {
  code,
  joinUrl: document.body.dataset.joinUrl || `/j/${encodeURIComponent(code)}`,
  // Joined as a child: never asked for a name or a leaderboard nickname.
  isChild: document.body.dataset.child === "true",
  keys: {
    votes: `roundtable:pending-votes:${code}`,
    held: `roundtable:held:${code}`,
    nickname: `roundtable:nickname:${code}`,
    tab: `roundtable:tab:${code}`,
  },
  state: {
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
  },
  cards: new Map(), // poll id -> PollCard
  client: null,
  renderPolls: () => {},
  notify: () => {},
};

export const HELP_FALLBACK = t("Talk to a facilitator at any time.");

// Whether results may be shown, as the server decides it (roundtable/live/state.py): "live"
// always, "on_reveal" once revealed, "after_vote" once this participant's answer is stored.
// The server only sends tallies that this phone may see; this check also hides results again
// when a facilitator takes a reveal back.
export function resultsAllowed(poll) {
  const mode = poll.results_mode || "on_reveal";
  if (mode === "live") return true;
  if (mode === "after_vote") return phone.state.answers.has(poll.id);
  return Boolean(poll.results_revealed);
}

// A poll with a leaderboard (a quiz's setting), offered to this participant: never to a child, never in a session
// with children (the server refuses such a quiz anyway).
export function leaderboardOffered(poll) {
  const item = phone.state.view && phone.state.view.item;
  return Boolean(poll.settings && poll.settings.leaderboard) && !phone.isChild && !(item && item.involves_children);
}

export function mergeTally(tally) {
  if (!tally) return;
  const tallies = phone.state.tallies;
  const known = tallies.get(tally.poll_id);
  if (known && known.seq > tally.seq && (known.generation ?? 0) >= (tally.generation ?? 0)) return;
  tallies.set(tally.poll_id, tally);
}

// --- storage (this tab only: it may hold a child's words) ---------------------------------------

export function readSession(key, fallback) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || "null") ?? fallback;
  } catch {
    return fallback;
  }
}

export function writeSession(key, value) {
  try {
    if (value === null || value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full storage: the in-memory state still works while the page stays open.
  }
}

// --- free text a moderator still holds -------------------------------------------------------
// The vote ack lists the participant's own held texts; a snapshot may not, so the list is kept
// in sessionStorage to survive a reload. A text that shows up in the public results has been let
// through.

export function loadHeld() {
  const stored = readSession(phone.keys.held, {});
  for (const [id, entry] of Object.entries(stored || {})) {
    if (entry && Array.isArray(entry.texts)) phone.state.held.set(Number(id), entry);
  }
}

export function saveHeld() {
  const out = {};
  for (const [id, entry] of phone.state.held) if (entry.texts.length) out[id] = entry;
  writeSession(phone.keys.held, Object.keys(out).length ? out : null);
}

export function setHeld(pollId, texts, generation) {
  if (!Array.isArray(texts)) return;
  phone.state.held.set(pollId, { texts: texts.filter((t) => typeof t === "string"), generation: generation ?? 0 });
  saveHeld();
}

// The participant's held texts for this poll's current answer, as a Set.
export function heldSet(poll) {
  const entry = phone.state.held.get(poll.id);
  if (!entry || (entry.generation ?? 0) !== (poll.generation ?? 0)) return new Set();
  return new Set(entry.texts);
}

// Drop held texts that the results now show: a moderator approved them.
export function pruneHeld(poll, tally) {
  const entry = phone.state.held.get(poll.id);
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

// While a session is live the page has two tabs, Polls and Questions.
export function tabsShown() {
  const item = phone.state.view && phone.state.view.item;
  return Boolean(item && !item.is_break);
}
