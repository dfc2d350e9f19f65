// The "now" card at the top of the phone: the live session, a break, or waiting for the start.
import { el } from "../live.js";
import { formatDate, timeRange } from "../text.js";
import { phone, tabsShown } from "./state.js";

const { state } = phone;
const card = document.getElementById("now");

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

export function renderNow() {
  const view = state.view;
  const item = view && view.item;
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
