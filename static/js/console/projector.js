// The console's side panel: what the projector shows (the mode buttons and a small likeness of
// the screen), what phones see now, and every open poll of the event.
import { el } from "../live.js";
import { icon } from "../icons.js";
import { timeRange } from "../text.js";
import { renderResults } from "../results.js";
import { selectItem, setLive, setScreen } from "./actions.js";
import { $, allItems, canRun, countFor, days, desk, findItem, findPoll, liveItemId, tallyFor } from "./store.js";
import { t, tn } from "../i18n.js";

const { state } = desk;
const side = {
  screenPreview: $('[data-testid="screen-preview"]'),
  screenStatus: $('[data-testid="screen-status"]'),
  screenButtons: document.querySelectorAll(".segmented [data-mode]"),
  liveNow: $('[data-testid="live-now"]'),
  openPolls: $('[data-testid="open-polls"]'),
};

for (const button of side.screenButtons) {
  button.addEventListener("click", () => setScreen(button.dataset.mode, null, button));
}

// The projector's question wall in miniature: the live session's top published questions
// (the staff view's queue; the projector itself shows the top six).
function questionsPreview() {
  const queue = state.queue || state.view.queue;
  const live = findItem(liveItemId());
  const top = queue && live && queue.item_id === live.id
    ? queue.questions.filter((q) => q.status === "published")
      .sort((a, b) => b.upvotes - a.upvotes || String(b.created_at).localeCompare(String(a.created_at))).slice(0, 3)
    : [];
  const highlighted = state.view.live.highlighted_question_id;
  return el("div", { class: "pv-questions" },
    el("p", { class: "pv-small", text: live ? `Questions · ${live.title}` : t("Questions") }),
    top.length
      ? el("ol", {}, top.map((q) => el("li", { class: q.id === highlighted ? "now" : "" },
        el("span", { class: "pv-votes", text: String(q.upvotes) }), el("span", { class: "pv-q", text: q.text }))))
      : el("p", { class: "pv-empty", text: live ? t("No questions on the wall yet") : t("Nothing is live") }));
}

export function renderSide() {
  const view = state.view;
  const { screen_mode: mode, screen_poll_id: screenPollId } = view.live;
  const shown = mode === "results" && screenPollId !== null ? findPoll(screenPollId) : null;
  const effective = mode === "results" && !shown ? "join" : mode;

  for (const button of side.screenButtons) {
    const active = button.dataset.mode === effective;
    button.classList.toggle("active", active);
    button.setAttribute("aria-pressed", active ? "true" : "false");
    button.disabled = !canRun();
  }

  // A small likeness of the projector.
  side.screenPreview.replaceChildren();
  side.screenPreview.dataset.mode = effective;
  if (effective === "join") {
    side.screenPreview.append(el("div", { class: "pv-join" },
      el("img", { class: "pv-qr", src: `/qr/${encodeURIComponent(desk.code)}.svg`, alt: "" }),
      el("div", { class: "pv-join-text" },
        el("span", { class: "pv-small", text: t("Join at") }),
        el("span", { class: "pv-address", text: desk.shortAddress }),
        el("span", { class: "pv-small", text: t("code") }),
        el("span", { class: "pv-code", text: desk.code }))));
    side.screenStatus.textContent = t("Showing: join instructions and QR code");
  } else if (effective === "results") {
    const bars = el("div", { class: "pv-bars" });
    renderResults(bars, shown.poll, tallyFor(shown.poll));
    side.screenPreview.append(el("div", { class: "pv-results" }, el("p", { class: "pv-question", text: shown.poll.question }), bars));
    side.screenStatus.textContent = t("Showing: results of “%(question)s”", { question: shown.poll.question });
  } else if (effective === "questions") {
    side.screenPreview.append(questionsPreview());
    side.screenStatus.textContent = t("Showing: questions from the room");
  } else if (effective === "agenda") {
    const live = findItem(liveItemId());
    const day = live ? days().find((d) => d.id === live.dayId) : days()[0];
    const rows = (day ? day.items : []).slice(0, 8).map((item) =>
      el("li", { class: item.id === liveItemId() ? "now" : "" }, el("span", { text: item.starts_at }), el("span", { text: item.title })));
    side.screenPreview.append(el("div", { class: "pv-agenda" }, el("p", { class: "pv-small", text: day ? day.title : t("Agenda") }), el("ol", {}, rows)));
    side.screenStatus.textContent = t("Showing: the agenda");
  } else {
    side.screenPreview.append(el("div", { class: "pv-blank", text: t("Blank") }));
    side.screenStatus.textContent = t("Showing: a blank screen");
  }

  // What phones see now.
  side.liveNow.replaceChildren();
  const live = findItem(liveItemId());
  if (live) {
    const items = allItems();
    const next = items[items.findIndex((i) => i.id === live.id) + 1];
    const open = live.polls.filter((p) => p.status === "open");
    side.liveNow.append(
      el("button", { type: "button", class: "live-card", "data-testid": "live-item", onclick: () => selectItem(live.id) },
        el("span", { class: "live-card-kicker" }, el("span", { class: "pulse" }), `${live.dayTitle} · ${timeRange(live)}`),
        el("span", { class: "live-card-title", text: live.title }),
        el("span", { class: "live-card-meta", text: open.length ? tn("%(num)s poll open on phones", "%(num)s polls open on phones", open.length) : t("No poll open") })),
      next ? el("p", { class: "next-up" }, el("span", { class: "next-label", text: t("Next") }), el("span", { text: `${next.starts_at} ${next.title}` })) : null,
      el("button", { type: "button", class: "button block", "data-testid": "end-live", disabled: !canRun(), onclick: (ev) => setLive(null, ev.currentTarget) }, icon("stop"), t("End live session")));
  } else {
    side.liveNow.append(el("p", { class: "side-empty", "data-testid": "nothing-live" },
      t("Nothing is live. Phones show a welcome screen until you press "), el("strong", { text: t("Go live") }), t(" on a session.")));
  }

  // Every open poll of the event, wherever it is: easy to forget one in another session.
  side.openPolls.replaceChildren();
  const open = allItems().flatMap((item) => item.polls.filter((p) => p.status === "open").map((poll) => ({ poll, item })));
  if (!open.length) {
    side.openPolls.append(el("li", { class: "side-empty", text: t("No poll is open.") }));
  }
  for (const { poll, item } of open) {
    const count = countFor(poll);
    side.openPolls.append(el("li", {},
      el("button", { type: "button", class: "open-poll", onclick: () => { state.flashPollId = poll.id; selectItem(item.id); } },
        el("span", { class: "open-poll-q", text: poll.question }),
        el("span", { class: "open-poll-meta" },
          el("span", { class: item.id === liveItemId() ? "" : "warn-text", text: item.id === liveItemId() ? item.title : `${item.title} (not live)` }),
          el("strong", { dataset: { countFor: String(poll.id) }, text: String(count) })))));
  }
}

// A new tally for the poll on the projector: update its likeness in place.
export function redrawPreview(poll) {
  const { screen_mode: mode, screen_poll_id: screenPollId } = state.view.live;
  if (mode === "results" && screenPollId === poll.id) {
    const bars = side.screenPreview.querySelector(".pv-bars");
    if (bars) renderResults(bars, poll, tallyFor(poll));
  }
}
