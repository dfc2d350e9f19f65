// The console's agenda panel: day tabs that follow the scroll, and one row per session with its
// badges, its polls and answers waiting for a moderator, and "Go live".
import { el } from "../live.js";
import { icon } from "../icons.js";
import { formatDate } from "../text.js";
import { staffKind } from "../kinds/staff/index.js";
import { selectItem, setLive } from "./actions.js";
import { itemHeld } from "./held.js";
import { $, canRun, days, desk, findItem, liveItemId } from "./store.js";
import { t, tn } from "../i18n.js";

const { state } = desk;
const dayTabs = $('[data-testid="day-tabs"]');
const agenda = $('[data-testid="agenda"]');
let spyPausedUntil = 0; // the day tabs wait for a smooth scroll to end before following it

// What kind of session this is. In the agenda (compact) the common flags are icons with a tooltip,
// so that the two that change how a session is run stand out: children-led, and questions to someone.
export function itemBadges(item, { compact = false } = {}) {
  const badges = [];
  if (item.children_led) badges.push(["child", compact ? t("Children-led") : t("Children's session"), "children-led", false]);
  else if (item.involves_children) badges.push(["child", t("Children present"), "children", compact]);
  if (item.question_mode === "premoderated") badges.push(["shield", t("Pre-moderated questions"), "premoderated", compact]);
  if (item.question_mode === "closed" && !item.is_break) badges.push(["message", t("No questions"), "closed", compact]);
  if (item.questions_to) badges.push(["message", t("Questions to %(who)s", { who: item.questions_to }), "questions-to", false]);
  if (item.split_by_group) badges.push(["split", t("Results by group"), "split", compact]);
  return badges.map(([name, text, kind, iconOnly]) =>
    el("span", {
      class: `badge badge-${kind}${iconOnly ? " icon-only" : ""}`, title: text, "aria-label": iconOnly ? text : null,
      "data-testid": `badge-${kind}-${item.id}`,
    }, icon(name), iconOnly ? null : el("span", { class: "badge-text", text })));
}

export function renderAgendaPanel() {
  const live = liveItemId();
  const selected = findItem(state.selectedItemId);
  const scrollTop = agenda.scrollTop;

  dayTabs.replaceChildren();
  for (const day of days()) {
    const hasLive = day.items.some((item) => item.id === live);
    dayTabs.append(el("button", {
      type: "button", role: "tab", class: "day-tab", "aria-selected": "false",
      "data-testid": `day-tab-${day.id}`, dataset: { dayId: String(day.id) },
      onclick: () => {
        const section = agenda.querySelector(`[data-day-id="${day.id}"]`);
        if (!section) return;
        markDayTab(day.id);
        spyPausedUntil = Date.now() + 900; // let the smooth scroll finish before following it
        agenda.scrollTo({ top: section.offsetTop, behavior: "smooth" });
      },
    },
    el("span", { class: "day-tab-title", text: day.title }),
    el("span", { class: "day-tab-date", text: formatDate(day.date) || t("Date not set") }),
    hasLive ? el("span", { class: "live-dot", title: t("A session of this day is live") }) : null));
  }

  agenda.replaceChildren();
  for (const day of days()) {
    const group = el("li", { class: "agenda-day", dataset: { dayId: String(day.id) } },
      el("h3", { class: "agenda-day-head" },
        el("span", { text: day.title }),
        el("span", { class: "agenda-day-date", text: day.date ? formatDate(day.date, "long") : t("Date not set") })));
    const list = el("ol", { class: "agenda-items" });
    for (const item of day.items) list.append(agendaRow(item, live));
    group.append(list);
    agenda.append(group);
  }
  agenda.scrollTop = scrollTop;
  if (!state.agendaScrolled && selected) {
    // First render: bring the selected (usually the live) session into view.
    state.agendaScrolled = true;
    const row = agenda.querySelector(`[data-item-id="${selected.id}"]`);
    if (row) row.scrollIntoView({ block: "center" });
  }
  followAgendaScroll();
}

// The day tabs follow the agenda's scroll: the active tab is the day at the top of the list.
function markDayTab(dayId) {
  for (const tab of dayTabs.children) {
    const active = tab.dataset.dayId === String(dayId);
    tab.classList.toggle("active", active);
    tab.setAttribute("aria-selected", active ? "true" : "false");
  }
}

function followAgendaScroll() {
  if (Date.now() < spyPausedUntil) return;
  const sections = [...agenda.querySelectorAll(".agenda-day")];
  if (!sections.length) return;
  let current = sections[0];
  for (const section of sections) if (section.offsetTop <= agenda.scrollTop + 24) current = section;
  if (agenda.scrollTop + agenda.clientHeight >= agenda.scrollHeight - 4) current = sections[sections.length - 1];
  markDayTab(current.dataset.dayId);
}

agenda.addEventListener("scroll", followAgendaScroll, { passive: true });

function agendaRow(item, live) {
  const isLive = item.id === live;
  const isSelected = item.id === state.selectedItemId;
  const open = item.polls.filter((p) => p.status === "open").length;
  const meta = [];
  if (item.polls.length) meta.push(el("span", { class: "poll-count", title: tn("%(num)s poll", "%(num)s polls", item.polls.length) }, icon("chart"), tn("%(num)s poll", "%(num)s polls", item.polls.length)));
  if (open) meta.push(el("span", { class: "open-count", "data-testid": `open-count-${item.id}` }, `${open} open`));
  if (item.polls.some((poll) => staffKind(poll.kind) && staffKind(poll.kind).freeText)) {
    const held = itemHeld(item);
    meta.push(el("span", {
      class: `held-chip${held ? "" : " hidden"}`, "data-testid": `agenda-held-${item.id}`, dataset: { heldItem: String(item.id) },
      title: t("Answers waiting for a moderator"),
    }, icon("inbox"), el("span", { text: t("%(count)s waiting", { count: held }) })));
  }
  const classes = ["agenda-item", item.is_break ? "is-break" : "", isLive ? "is-live" : "", isSelected ? "is-selected" : ""];
  return el("li", { class: classes.filter(Boolean).join(" "), "data-testid": `agenda-item-${item.id}`, dataset: { itemId: String(item.id) } },
    el("button", {
      type: "button", class: "item-select", "aria-current": isSelected ? "true" : null,
      "data-testid": `select-item-${item.id}`, onclick: () => selectItem(item.id),
    },
    el("span", { class: "item-time" },
      el("span", { class: "item-start", text: item.starts_at }),
      el("span", { class: "item-end", text: item.ends_at })),
    el("span", { class: "item-body" },
      el("span", { class: "item-title" }, item.is_break ? icon("coffee", "icon break-icon") : null, item.title),
      item.is_break ? null : el("span", { class: "item-meta" }, ...meta, ...itemBadges(item, { compact: true })))),
    isLive
      ? el("span", { class: "live-tag", "data-testid": `go-live-${item.id}`, title: t("Live on phones now") }, el("span", { class: "pulse" }), t("Live"))
      : el("button", {
        type: "button", class: `go-live${item.is_break ? " quiet" : ""}`, "data-testid": `go-live-${item.id}`,
        disabled: !canRun(), title: t("Make this the session participants see now"),
        onclick: (ev) => setLive(item.id, ev.currentTarget), "aria-label": t("Go live"),
      }, icon("play"), el("span", { class: "go-live-label", text: t("Go live") })));
}
