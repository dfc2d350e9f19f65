// The Polls panel: what is live now comes first. Open polls at the top (in the server's order);
// closed polls whose results are shown fold into "Earlier in this session", collapsed, their
// results one tap away; a closed poll nobody answered is not shown. When a poll opens, the
// page brings it into view and says so to screen readers (the announcer), without moving or
// rebuilding any other card, so an answer being typed elsewhere keeps its text and focus.
import { el } from "../live.js";
import { kindOf } from "../kinds/index.js";
import { announce } from "./announcer.js";
import { PollCard } from "./poll-card.js";
import { phone, saveHeld } from "./state.js";
import { t, tn } from "../i18n.js";

const { state, cards } = phone;
const list = document.getElementById("polls");
const badge = document.getElementById("tab-polls-badge");
let emptyNote = null;
const openSeen = new Set(); // polls seen open, so each opening is brought into view once
let firstRender = true;

const earlier = el("details", { class: "earlier", "data-testid": "earlier" });
const earlierCount = el("span", { class: "earlier-count", "data-testid": "earlier-count" });
const earlierList = el("div", { class: "earlier-list", "data-testid": "earlier-list" });
earlier.append(
  el("summary", { class: "earlier-summary", "data-testid": "earlier-toggle" },
    el("span", { class: "earlier-title", text: t("Earlier in this session") }), earlierCount),
  earlierList,
);

function answeredByAnyone(poll) {
  const tally = state.tallies.get(poll.id);
  return Boolean((tally && tally.total > 0) || state.answers.has(poll.id));
}

// Put the cards in `parent` in this order, moving a node only when it is out of place: moving
// the node that holds the focus would drop the focus.
function place(parent, nodes, before = null) {
  nodes.forEach((node, index) => {
    const there = parent.children[index];
    if (there !== node) parent.insertBefore(node, there || before);
  });
}

function reducedMotion() {
  return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export function renderPolls() {
  const view = state.view;
  const polls = view ? view.polls : [];
  const seen = new Set();
  const open = [];
  const closed = [];
  const opened = [];
  for (const poll of polls) {
    let card = cards.get(poll.id);
    if (!card) {
      card = new PollCard(poll);
      cards.set(poll.id, card);
    }
    card.update(poll);
    seen.add(poll.id);
    if (poll.status === "open") {
      open.push(card);
      if (!openSeen.has(poll.id)) {
        openSeen.add(poll.id);
        if (!firstRender) opened.push(poll);
      }
    } else {
      openSeen.delete(poll.id);
      if (answeredByAnyone(poll)) closed.push(card);
      else card.root.remove();
    }
  }
  place(list, open.map((card) => card.root), earlier.isConnected ? earlier : null);
  place(earlierList, closed.map((card) => card.root));
  for (const node of [...earlierList.children]) if (!closed.some((card) => card.root === node)) node.remove();
  if (closed.length) {
    earlierCount.textContent = tn("%(num)s poll", "%(num)s polls", closed.length);
    if (!earlier.isConnected || earlier.previousElementSibling !== (open.length ? open[open.length - 1].root : null)) {
      list.append(earlier);
    }
  } else earlier.remove();

  for (const [id, card] of cards) {
    if (!seen.has(id)) {
      card.root.remove();
      cards.delete(id);
      openSeen.delete(id);
      // A vote refused just before its poll left the screen (the ack and the snapshot that
      // removes the poll can arrive in either order after a reconnect): still say so.
      const note = state.notes.get(id);
      if (note && note.kind === "error" && Date.now() - (note.at || 0) < 15000) {
        phone.notify(t("Your vote could not be saved. %(reason)s", { reason: note.text }));
      }
      state.notes.delete(id);
    }
  }
  // A calm note when a session is live but no poll is open yet.
  const item = view && view.item;
  const showEmpty = Boolean(item && !item.is_break && open.length === 0);
  if (showEmpty) {
    emptyNote ||= el(
      "p",
      { class: "empty-polls", "data-testid": "no-polls" },
      el("span", { class: "empty-icon", "aria-hidden": "true" }),
      el("span", { text: t("No poll open right now. When the facilitator opens one, it will appear here.") }),
    );
    if (list.firstChild !== emptyNote) list.prepend(emptyNote);
  } else if (emptyNote) emptyNote.remove();
  renderPollsBadge();
  if (view) firstRender = false;
  if (opened.length) bringIntoView(opened[0]);
}

// A poll just opened: into view (on the Polls tab) and announced; the focus stays where it is.
function bringIntoView(poll) {
  announce(t("New poll open: %(question)s", { question: poll.question }));
  if (state.tab === "questions") return; // the tab's badge says it; switching tabs is theirs to do
  const card = cards.get(poll.id);
  if (!card) return;
  requestAnimationFrame(() => {
    card.root.scrollIntoView({ block: "start", behavior: reducedMotion() ? "auto" : "smooth" });
    card.root.classList.remove("just-opened");
    void card.root.offsetWidth;
    card.root.classList.add("just-opened");
  });
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
  badge.setAttribute("aria-label", tn("%(num)s poll to answer", "%(num)s polls to answer", waiting));
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
      state.notes.set(poll.id, { kind: "info", text: t("The facilitator restarted this poll: please answer again.") });
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
