// The console's session pane: the selected session (its time, facilitator, badges and points,
// "Go live" and "Edit session") and its polls, one card each (poll-card.js), with "Add poll".
import { el } from "../live.js";
import { icon } from "../icons.js";
import { formatDate, timeRange } from "../text.js";
import { setLive } from "./actions.js";
import { itemBadges } from "./agenda.js";
import { forgetHeld } from "./held.js";
import { forgetResults, pollCard } from "./poll-card.js";
import { $, allItems, canRun, desk, findItem, liveItemId } from "./store.js";
import { t } from "../i18n.js";

const { state } = desk;
const pane = $('[data-testid="session-pane"]');

export function renderSession() {
  const item = findItem(state.selectedItemId);
  const changed = state.renderedItemId !== (item && item.id);
  const scrollTop = changed ? 0 : pane.scrollTop;
  state.renderedItemId = item && item.id;
  pane.replaceChildren();
  if (!item) {
    pane.append(el("div", { class: "empty-state" }, el("p", { text: t("This event has no sessions yet.") })));
    return;
  }
  const isLive = item.id === liveItemId();
  const kicker = [item.dayTitle, item.dayDate ? formatDate(item.dayDate) : null, timeRange(item)].filter(Boolean).join(" · ");

  const head = el("header", { class: `session-head${isLive ? " is-live" : ""}`, "data-testid": "session-head" },
    el("div", { class: "session-kicker" },
      el("span", { text: kicker }),
      isLive ? el("span", { class: "live-tag" }, el("span", { class: "pulse" }), t("Live on phones")) : null),
    el("h1", { class: "session-title", "data-testid": "session-title", text: item.title }),
    el("div", { class: "session-meta" },
      item.facilitator ? el("span", { class: "session-facilitator" }, icon("user"), item.facilitator) : null,
      ...itemBadges(item)),
    item.points.length ? el("ul", { class: "session-points" }, item.points.map((point) => el("li", { text: point }))) : null,
    el("div", { class: "session-actions" },
      isLive
        ? el("button", { type: "button", class: "button", "data-testid": "session-end-live", disabled: !canRun(), onclick: (ev) => setLive(null, ev.currentTarget) }, icon("stop"), t("End live session"))
        : el("button", { type: "button", class: "button primary", "data-testid": "session-go-live", disabled: !canRun(), onclick: (ev) => setLive(item.id, ev.currentTarget) }, icon("play"), t("Go live")),
      el("button", { type: "button", class: "button ghost", "data-testid": "edit-session", onclick: () => desk.settings.open("sessions", item.id) }, icon("edit"), t("Edit session"))));

  const polls = item.polls;
  const section = el("section", { class: "polls-section", "aria-labelledby": "polls-heading" },
    el("div", { class: "section-head" },
      el("h2", { id: "polls-heading", class: "section-title" }, t("Polls"), el("span", { class: "count-chip", text: String(polls.length) })),
      el("span", { class: "section-hint", text: isLive ? t("Open a poll and phones see it at once.") : t("Phones only see polls of the live session.") }),
      el("button", { type: "button", class: "button primary", "data-testid": "add-poll", disabled: !canRun(), onclick: () => desk.editor.open(item) }, icon("plus"), t("Add poll"))));

  if (!polls.length) {
    section.append(el("div", { class: "empty-state", "data-testid": "no-polls" },
      el("div", { class: "empty-icon" }, icon(item.is_break ? "coffee" : "chart")),
      el("p", { class: "empty-title", text: item.is_break ? t("A break: no polls needed") : t("No polls in this session yet") }),
      el("p", { class: "muted", text: t("Prepare questions ahead of time; open each one when the room is ready.") })));
  } else {
    const list = el("div", { class: "poll-list" });
    polls.forEach((poll, index) => list.append(pollCard(poll, item, index, polls.length, isLive)));
    section.append(list);
  }
  // Forget result containers of polls that are gone.
  const ids = new Set(allItems().flatMap((i) => i.polls.map((p) => p.id)));
  forgetResults(ids);
  forgetHeld(ids);

  pane.append(head, section);
  pane.scrollTop = scrollTop;

  if (state.flashPollId !== null && flashPoll(state.flashPollId)) state.flashPollId = null;
}

// Scroll a poll card into view and highlight it once; false if it is not on the page (yet).
export function flashPoll(pollId) {
  const card = pane.querySelector(`[data-testid="console-poll-${pollId}"]`);
  if (!card) return false;
  card.classList.remove("flash");
  void card.offsetWidth; // restart the animation
  card.classList.add("flash");
  card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  return true;
}
