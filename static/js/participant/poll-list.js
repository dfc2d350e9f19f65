// The Polls panel: one PollCard per poll of the live session, kept in the server's order, a calm
// note while none is open, and the count of polls still to answer on the Polls tab.
import { el } from "../live.js";
import { kindOf } from "../kinds/index.js";
import { PollCard } from "./poll-card.js";
import { phone, saveHeld } from "./state.js";

const { state, cards } = phone;
const list = document.getElementById("polls");
const badge = document.getElementById("tab-polls-badge");
let emptyNote = null;

export function renderPolls() {
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
    const there = list.children[index];
    if (there !== card.root) list.insertBefore(card.root, there || null);
  });
  for (const [id, card] of cards) {
    if (!seen.has(id)) {
      card.root.remove();
      cards.delete(id);
      // A vote refused just before its poll left the screen (the ack and the snapshot that
      // removes the poll can arrive in either order after a reconnect): still say so.
      const note = state.notes.get(id);
      if (note && note.kind === "error" && Date.now() - (note.at || 0) < 15000) {
        phone.notify(`Your vote could not be saved. ${note.text}`);
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
    if (!emptyNote.isConnected) list.append(emptyNote);
  } else if (emptyNote) emptyNote.remove();
  renderPollsBadge();
}

// Open polls this phone has not answered yet: a count on the Polls tab, so a poll that opens
// while the participant reads the questions is not missed.
function renderPollsBadge() {
  const polls = state.view ? state.view.polls : [];
  const waiting = polls.filter(
    (p) => p.status === "open" && kindOf(p.kind) && !state.answers.has(p.id) && !state.pending.has(p.id),
  ).length;
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

// A new view: forget answers, held texts and drafts that a reset, a close or a change of kind
// made stale.
export function reconcilePolls(view) {
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
}
