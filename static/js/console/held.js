// Free text waiting for a moderator, in the console: a poll card's "Waiting for you" list (one
// row per answer, or per word of a cloud), its counts on the card and in the agenda.
// The list is kept across re-renders (like the results) and rebuilt only when what it holds
// changes, so a moderator's place in it survives every vote and state.
import { el } from "../live.js";
import { icon } from "../icons.js";
import { plural } from "../text.js";
import { staffKind } from "../kinds/staff/index.js";
import { act, toast } from "./actions.js";
import { categoryChips, isFlagged, openAnswerEditor } from "../moderation/safety.js";
import { $, findItem, tallyFor } from "./store.js";

// The reason the server gives for an answer held only because the poll is pre-moderated.
const WAITING_REASON = "Waiting for a moderator";

const heldCache = new Map(); // poll id -> {node, signature}
let heldFocus = null; // {pollId, index, action}: the keyboard's place in a held list during a request

export const isFreeText = (poll) => Boolean(staffKind(poll.kind) && staffKind(poll.kind).freeText);
const nounsOf = (poll) => staffKind(poll.kind).nouns;

// Free text waiting for a moderator (the staff tally's "held"; the server sends at most 200).
export function heldOf(poll) {
  const tally = isFreeText(poll) ? tallyFor(poll) : null;
  return (tally && tally.held) || [];
}

function heldCountText(n) {
  return n >= 200 ? "200+" : String(n);
}

export function heldPanel(poll) {
  let entry = heldCache.get(poll.id);
  if (!entry) {
    entry = { node: el("section", { class: "held-panel", "data-testid": `held-panel-${poll.id}`, "aria-label": "Answers waiting for a moderator" }), signature: null };
    heldCache.set(poll.id, entry);
  }
  fillHeld(entry, poll);
  return entry.node;
}

// A new tally: refresh the poll's list (if it is on the page) and its counts.
export function refreshHeld(poll) {
  const entry = heldCache.get(poll.id);
  if (entry) fillHeld(entry, poll);
  updateHeldCounts(poll);
}

// Forget the lists of polls that are gone.
export function forgetHeld(ids) {
  for (const id of heldCache.keys()) if (!ids.has(id)) heldCache.delete(id);
}

function fillHeld(entry, poll) {
  const items = heldOf(poll);
  const premoderated = !!(poll.settings && poll.settings.premoderate);
  const signature = JSON.stringify([items.map((i) => [i.id, i.reasons]), premoderated, poll.status]);
  if (signature === entry.signature) return;
  entry.signature = signature;
  const node = entry.node;
  // Keep the keyboard where it was: the same button, or the one that took its row's place.
  // (A button loses focus while its request is in flight: moderateAnswers() noted where it was.)
  const focused = node.contains(document.activeElement) ? document.activeElement : null;
  const noted = !focused && heldFocus && heldFocus.pollId === poll.id ? heldFocus : null;
  if (noted) heldFocus = null;
  const focusId = focused && focused.dataset.testid;
  const focusRow = focused && focused.closest(".held-item");
  const focusIndex = focusRow ? [...focusRow.parentNode.children].indexOf(focusRow) : noted ? noted.index : -1;
  const focusAction = focused ? focused.dataset.action : noted && noted.action;

  node.replaceChildren();
  node.classList.toggle("hidden", !items.length && !(premoderated && poll.status !== "draft"));
  node.classList.toggle("is-empty", !items.length);
  const word = nounsOf(poll);
  node.append(el("header", { class: "held-head" },
    el("span", { class: "held-icon" }, icon("inbox")),
    el("div", { class: "held-title-wrap" },
      items.length
        ? el("h4", { class: "held-title" }, "Waiting for you ", el("span", { class: "held-count", text: `(${heldCountText(items.length)})` }))
        : el("h4", { class: "held-title", text: "Nothing waiting for you" }),
      el("p", { class: "held-sub", text: items.length
        ? `Nobody else sees these ${word[1]} until you approve them.`
        : `Moderated: every new ${word[0]} stops here until you approve it.` })),
    items.length > 1 ? el("button", {
      type: "button", class: "button small-button held-approve-all", "data-testid": `approve-all-${poll.id}`,
      onclick: (ev) => approveAll(poll, items, ev.currentTarget),
    }, icon("check"), `Approve all ${heldCountText(items.length)}`) : null));

  const list = el("ul", { class: "held-list", "data-testid": `held-${poll.id}` });
  for (const group of heldGroups(poll, items)) {
    const id = group.ids[0];
    // Only what the safety check found: "held because the poll is moderated" goes without saying.
    const reasons = group.reasons.filter((r) => r !== WAITING_REASON);
    list.append(el("li", {
      class: `held-item${reasons.length ? " is-flagged" : ""}`, "data-testid": `held-entry-${id}`,
      dataset: { itemId: String(id), itemIds: group.ids.join(",") },
    },
    el("div", { class: "held-body" },
      el("p", { class: "held-text", text: group.text }),
      group.ids.length > 1 ? el("span", { class: "held-times", title: `Sent by ${group.ids.length} people`, text: `×${group.ids.length}` }) : null,
      categoryChips(group.item),
      ...reasons.map((reason) => el("span", { class: "reason-chip", text: reason }))),
    el("div", { class: "held-actions" },
      el("button", {
        type: "button", class: "button small-button approve", "data-testid": `approve-item-${id}`, dataset: { action: "approve" },
        // A flagged answer is never published by one click: "Approve" opens the redact editor.
        onclick: (ev) => (isFlagged(group.item) ? editFlagged(poll, group) : moderateAnswers(poll, group.ids, "approve", ev.currentTarget)),
      }, icon("check"), "Approve"),
      el("button", {
        type: "button", class: "button small-button ghost hide", "data-testid": `hide-item-${id}`, dataset: { action: "hide" },
        onclick: (ev) => moderateAnswers(poll, group.ids, "hide", ev.currentTarget),
      }, icon("eyeOff"), "Hide"))));
  }
  node.append(list);

  if (focused || noted) {
    let again = focusId ? node.querySelector(`[data-testid="${CSS.escape(focusId)}"]`) : null;
    if (!again && focusIndex >= 0 && focusAction) {
      const row = list.children[Math.min(focusIndex, list.children.length - 1)];
      again = row ? row.querySelector(`[data-action="${focusAction}"]`) : null;
    }
    if (again) again.focus({ preventScroll: true });
  }
}


// A word cloud's identical words are one row (a hundred children may send "safe"): one decision
// for all of them. Open-text answers stay one row each.
function heldGroups(poll, items) {
  if (!staffKind(poll.kind).groupHeld) return items.map((item) => ({ ids: [item.id], text: item.text, reasons: item.reasons || [], item }));
  const groups = new Map();
  for (const item of items) {
    const key = JSON.stringify([item.text, item.reasons || []]);
    if (!groups.has(key)) groups.set(key, { ids: [], text: item.text, reasons: item.reasons || [], item });
    groups.get(key).ids.push(item.id);
  }
  return [...groups.values()];
}


async function moderateAnswers(poll, itemIds, action, button) {
  const row = button.closest(".held-item");
  if (row) row.classList.add("is-leaving");
  if (document.activeElement === button && row) {
    heldFocus = { pollId: poll.id, index: [...row.parentNode.children].indexOf(row), action };
  }
  // No toast: the row leaving the list is the feedback (a moderator may clear dozens in a row).
  const reply = await act("staff:answers_moderate", { poll_id: poll.id, item_ids: itemIds, action }, { button, anyStaff: true });
  // The list itself changes with the next tally; on failure, put the row back as it was.
  if (!reply.ok && row) row.classList.remove("is-leaving");
}

function editFlagged(poll, group) {
  openAnswerEditor(poll, group.item, group.ids, (name, payload) => act(name, payload, { anyStaff: true, quiet: true }), (message) => toast(message, "ok"));
}

// Flagged ones stay: each needs its redact editor (the server refuses them in a batch).
function approveAll(poll, all, button) {
  const items = all.filter((item) => !isFlagged(item));
  const flagged = all.length - items.length;
  if (flagged) toast(`${plural(flagged, nounsOf(poll)[0])} flagged by the safety check: open ${flagged === 1 ? "it" : "each"} to remove the marked parts.`, "error");
  if (!items.length) return;
  const panel = button.closest(".held-panel");
  for (const row of panel.querySelectorAll(".held-item")) if (!isFlagged(heldOf(poll).find((i) => String(i.id) === row.dataset.itemId))) row.classList.add("is-leaving");
  act("staff:answers_moderate", { poll_id: poll.id, item_ids: items.map((i) => i.id), action: "approve" }, {
    button, anyStaff: true, success: `Approved ${plural(items.length, nounsOf(poll)[0])}`,
  }).then((reply) => {
    if (!reply.ok) for (const row of panel.querySelectorAll(".held-item")) row.classList.remove("is-leaving");
  });
}

// Held counts outside the card (its header badge and the session's row in the agenda).
export function heldBadge(poll) {
  const n = heldOf(poll).length;
  return el("span", {
    class: `tag tag-held${n ? "" : " hidden"}`, "data-testid": `held-count-${poll.id}`, dataset: { heldFor: String(poll.id) },
    title: "Answers waiting for a moderator",
  }, icon("inbox"), el("span", { class: "tag-held-text", text: `${heldCountText(n)} waiting` }));
}

export function itemHeld(item) {
  return item.polls.reduce((sum, poll) => sum + heldOf(poll).length, 0);
}

function updateHeldCounts(poll) {
  const n = heldOf(poll).length;
  for (const badge of document.querySelectorAll(`[data-held-for="${poll.id}"]`)) {
    badge.classList.toggle("hidden", !n);
    $(".tag-held-text", badge).textContent = `${heldCountText(n)} waiting`;
  }
  const item = findItem(poll.item_id);
  const chip = item && document.querySelector(`[data-held-item="${item.id}"]`);
  if (chip) {
    const total = itemHeld(item);
    chip.classList.toggle("hidden", !total);
    chip.lastChild.textContent = `${total} waiting`;
  }
}
