// The facilitator console: agenda, the selected session's polls, the projector, event settings.
//
// How it stays correct with several facilitators at once:
// - the server's staff view is the only truth. Every "state" re-renders the agenda, the session
//   pane and the side panel from it; what belongs to this browser only (the selected session, the
//   day in view, an open editor or settings dialog, the focused button) is kept outside the view
//   and survives each re-render;
// - an action is a socket request whose acknowledgement only says whether it worked: the change
//   itself shows up through the "state" that the server broadcasts to every console;
// - tallies are kept per poll (newest seq wins, see LiveClient) and drawn in place with
//   charts.js (bars for choice polls, and every other kind's drawing), so results animate
//   instead of being rebuilt on every vote.
import { LiveClient, el, clear, percent } from "./live.js";
import { renderResults } from "./charts.js";
import { groupTools, installConsoleGroups } from "./console-groups.js";
import { svgIcon } from "./icons.js";

const body = document.body;
const CODE = body.dataset.code;
const SHORT_ADDRESS = body.dataset.shortAddress;
const JOIN_URL = body.dataset.joinUrl;

const $ = (selector, root = document) => root.querySelector(selector);

const ui = {
  presence: $('[data-testid="presence-count"]'),
  responseTotal: $('[data-testid="response-total"]'),
  connection: $('[data-testid="connection"]'),
  banner: $('[data-testid="console-banner"]'),
  topTitle: $('[data-testid="event-title"]'),
  dayTabs: $('[data-testid="day-tabs"]'),
  agenda: $('[data-testid="agenda"]'),
  session: $('[data-testid="session-pane"]'),
  screenPreview: $('[data-testid="screen-preview"]'),
  screenStatus: $('[data-testid="screen-status"]'),
  screenButtons: document.querySelectorAll(".segmented [data-mode]"),
  liveNow: $('[data-testid="live-now"]'),
  openPolls: $('[data-testid="open-polls"]'),
  toasts: $('[data-testid="toasts"]'),
};

const state = {
  view: null, // the latest staff view
  presence: 0,
  tallies: new Map(), // String(poll id) -> newest tally
  me: { username: body.dataset.username, role: body.dataset.role },
  selectedItemId: null,
  renderedItemId: null, // the session the pane showed last time (to reset its scroll on change)
  flashPollId: null, // a poll just saved: scrolled to and highlighted once
  queue: null, // the live session's question queue (a "queue" event may be newer than the view's)
};

// Result containers, kept across re-renders so that renderResults updates them in place.
const barsCache = new Map(); // poll id -> {node, signature}

const canRun = () => state.me.role === "admin" || state.me.role === "facilitator";

// --- icons ----------------------------------------------------------------------------------
// Stroke icons drawn with DOM calls (no innerHTML). 24x24, in the style of Feather (MIT).
const ICONS = {
  copy: ["M9 9h11a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9a2 2 0 0 1-2-2z", "M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"],
  external: ["M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6", "M15 3h6v6", "M10 14 21 3"],
  settings: ["M4 21v-7", "M4 10V3", "M12 21v-9", "M12 8V3", "M20 21v-5", "M20 12V3", "M1 14h6", "M9 8h6", "M17 16h6"],
  logout: ["M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4", "M16 17l5-5-5-5", "M21 12H9"],
  qr: ["M3 3h7v7H3z", "M14 3h7v7h-7z", "M3 14h7v7H3z", "M14 14h3v3h-3z", "M20 14v.01", "M14 20v.01", "M20 20h-3v-3"],
  list: ["M9 6h12", "M9 12h12", "M9 18h12", "M4 6h.01", "M4 12h.01", "M4 18h.01"],
  blank: ["M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z", "M8 21h8", "M12 17v4", "M3 3l18 14"],
  monitor: ["M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z", "M8 21h8", "M12 17v4"],
  plus: ["M12 5v14", "M5 12h14"],
  close: ["M18 6 6 18", "M6 6l12 12"],
  edit: ["M12 20h9", "M16.5 3.5a2.12 2.12 0 0 1 3 3L7 19l-4 1 1-4z"],
  trash: ["M3 6h18", "M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6", "M10 11v6", "M14 11v6", "M9 6V4a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2"],
  up: ["M12 19V5", "M5 12l7-7 7 7"],
  down: ["M12 5v14", "M19 12l-7 7-7-7"],
  reset: ["M1 4v6h6", "M3.5 15a9 9 0 1 0 2.1-9.4L1 10"],
  play: ["M7 4.5v15l12-7.5z"],
  stop: ["M6 6h12v12H6z"],
  eye: ["M1 12s4-8 11-8 11 8 11 8-4 8-11 8-11-8-11-8z", "M12 9a3 3 0 1 0 0 6 3 3 0 1 0 0-6z"],
  eyeOff: ["M17.9 17.9A10 10 0 0 1 12 20c-7 0-11-8-11-8a18.5 18.5 0 0 1 5.1-5.9", "M9.9 4.2A9 9 0 0 1 12 4c7 0 11 8 11 8a18.5 18.5 0 0 1-2.2 3.2", "M14.1 14.1a3 3 0 1 1-4.2-4.2", "M1 1l22 22"],
  live: ["M12 10a2 2 0 1 0 0 4 2 2 0 1 0 0-4z", "M16.2 7.8a6 6 0 0 1 0 8.5", "M7.8 16.2a6 6 0 0 1 0-8.5", "M19.1 4.9a10 10 0 0 1 0 14.2", "M4.9 19.1a10 10 0 0 1 0-14.2"],
  check: ["M20 6 9 17l-5-5"],
  alert: ["M12 9v4", "M12 17h.01", "M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"],
  child: ["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M8 14s1.5 2 4 2 4-2 4-2", "M9 9h.01", "M15 9h.01"],
  shield: ["M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"],
  message: ["M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"],
  split: ["M12 20V10", "M18 20V4", "M6 20v-4"],
  coffee: ["M18 8h1a4 4 0 0 1 0 8h-1", "M2 8h16v9a4 4 0 0 1-4 4H6a4 4 0 0 1-4-4z", "M6 1v3", "M10 1v3", "M14 1v3"],
  clock: ["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M12 6v6l4 2"],
  user: ["M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2", "M12 3a4 4 0 1 0 0 8 4 4 0 0 0 0-8z"],
  chart: ["M3 3v18h18", "M7 14h4", "M7 10h10", "M7 6h7"],
  inbox: ["M22 12h-6l-2 3h-4l-2-3H2", "M5.45 5.1 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.9A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.1z"],
  // The poll kinds, in the editor's picker.
  kindSingle: ["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"],
  kindMultiple: ["M9 11l3 3L22 4", "M21 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11"],
  kindQuiz: ["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3", "M12 17h.01"],
  kindRating: ["M12 2l3.1 6.3 6.9 1-5 4.9 1.2 6.8L12 17.8 5.8 21l1.2-6.8-5-4.9 6.9-1z"],
  kindRanking: ["M10 6h11", "M10 12h11", "M10 18h11", "M4 6h1v4", "M4 10h2", "M6 18H4c0-1 2-2 2-3s-1-1.5-2-1"],
  kindPoints: ["M21.2 15.9A10 10 0 1 1 8 2.8", "M22 12A10 10 0 0 0 12 2v10z"],
  kindCloud: ["M18 10h-1.3A8 8 0 1 0 9 20h9a5 5 0 0 0 0-10z"],
  kindText: ["M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z", "M7 8h10", "M7 12h6"],
};

function icon(name, className = "icon") {
  return svgIcon(ICONS[name], className);
}

function decorateIcons(root = document) {
  for (const node of root.querySelectorAll("[data-icon]")) {
    if (!node.querySelector("svg.icon")) node.prepend(icon(node.dataset.icon));
  }
}

// --- small helpers ---------------------------------------------------------------------------

function days() {
  return state.view ? state.view.agenda : [];
}

function allItems() {
  return days().flatMap((day) => day.items.map((item) => ({ ...item, dayId: day.id, dayTitle: day.title, dayDate: day.date })));
}

function findItem(id) {
  return allItems().find((item) => item.id === id) || null;
}

function findPoll(id) {
  for (const item of allItems()) {
    const poll = item.polls.find((p) => p.id === id);
    if (poll) return { poll, item };
  }
  return null;
}

function liveItemId() {
  return state.view ? state.view.live.item_id : null;
}

function formatDate(iso, style = "short") {
  if (!iso) return "";
  const date = new Date(`${iso}T12:00:00Z`);
  const options = style === "long"
    ? { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }
    : { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" };
  return new Intl.DateTimeFormat("en-GB", options).format(date);
}

function timeRange(item) {
  return item.starts_at && item.ends_at ? `${item.starts_at}–${item.ends_at}` : item.starts_at || "";
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// The freshest tally of a poll, or null. A tally from before the poll's last reset is ignored.
function tallyFor(poll) {
  const tally = state.tallies.get(String(poll.id));
  if (!tally || (tally.generation ?? 0) < (poll.generation ?? 0)) return null;
  return tally;
}

function countFor(poll) {
  const tally = tallyFor(poll);
  if (tally) return tally.total;
  return (state.view && state.view.response_counts[String(poll.id)]) || 0;
}

const KIND_LABELS = {
  single: "Single choice",
  multiple: "Multiple choice",
  quiz: "Quiz",
  rating: "Rating scale",
  ranking: "Ranking",
  points: "100 points",
  wordcloud: "Word cloud",
  opentext: "Open text",
};

function kindLabel(poll) {
  const s = poll.settings || {};
  if (poll.kind === "multiple") {
    const max = s.max_selections;
    return max && max < poll.options.length ? `Multiple choice · up to ${max}` : "Multiple choice";
  }
  if (poll.kind === "rating") return `Rating 1–${s.scale || 5}`;
  if (poll.kind === "quiz" && s.leaderboard) return "Quiz · leaderboard";
  if (poll.kind === "wordcloud" && s.max_words) return `Word cloud · ${s.max_words === 1 ? "1 word" : `up to ${s.max_words} words`}`;
  if (poll.kind === "opentext" && s.max_answers > 1) return `Open text · up to ${s.max_answers} answers`;
  return KIND_LABELS[poll.kind] || poll.kind;
}

const isFreeText = (poll) => poll.kind === "wordcloud" || poll.kind === "opentext";

// Free text waiting for a moderator (the staff tally's "held"; the server sends at most 200).
function heldOf(poll) {
  const tally = isFreeText(poll) ? tallyFor(poll) : null;
  return (tally && tally.held) || [];
}

function heldCountText(n) {
  return n >= 200 ? "200+" : String(n);
}

// When participants see a poll's results (poll.results_mode; "on_reveal" when the server has none).
const resultsMode = (poll) => poll.results_mode || "on_reveal";
const MODE_TAGS = { after_vote: "Results after answering", live: "Results live on phones", never: "Results never on phones" };
// "Reveal" changes what phones see only for on_reveal polls (and marks a quiz's right answer).
const revealMatters = (poll) => resultsMode(poll) === "on_reveal" || poll.kind === "quiz";

const STATUS_LABEL = { draft: "Draft", open: "Open", closed: "Closed" };

// --- toasts and actions -----------------------------------------------------------------------

function toast(message, kind = "ok") {
  const node = el("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": "toast", dataset: { kind } },
    icon(kind === "error" ? "alert" : "check"),
    el("span", { class: "toast-text", text: message }),
    el("button", { type: "button", class: "toast-close", "aria-label": "Dismiss", onclick: () => node.remove() }, icon("close")));
  ui.toasts.append(node);
  while (ui.toasts.children.length > 4) ui.toasts.firstElementChild.remove();
  if (ui.toasts.showPopover) {
    // Re-show, so the toasts are the newest thing in the top layer (above an open dialog).
    if (ui.toasts.matches(":popover-open")) ui.toasts.hidePopover();
    ui.toasts.showPopover();
  }
  setTimeout(() => node.classList.add("leaving"), kind === "error" ? 7000 : 2600);
  setTimeout(() => node.remove(), kind === "error" ? 7400 : 3000);
}

function errorText(reply) {
  const error = reply && reply.error;
  // live.js says "trying again" for a dropped connection, but staff actions are not retried.
  if (error && error.code === "offline") return "No connection to the server: nothing was changed. Try again once it reconnects.";
  if (error && error.code === "timeout") return "The server did not answer in time: check whether the change arrived before trying again.";
  return (error && error.message) || "Something went wrong: try again.";
}

// Send a staff action and report the outcome; resolve with the acknowledgement.
// The change itself arrives as a "state" (to every console, this one included).
// `anyStaff`: moderators may do it too (moderating answers), so the button stays enabled for them.
async function act(name, payload, { success, button, quiet = false, anyStaff = false } = {}) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  const reply = (await client.request(name, payload)) || { ok: false };
  if (button && button.isConnected) {
    button.disabled = !(anyStaff || canRun());
    button.removeAttribute("aria-busy");
  }
  if (!reply.ok && !quiet) toast(errorText(reply), "error");
  else if (success) toast(success, "ok");
  return reply;
}

function setLive(itemId, button) {
  const item = itemId === null ? null : findItem(itemId);
  if (itemId !== null) {
    // Follow what I just put live (the new state will render it).
    state.selectedItemId = itemId;
    history.replaceState(null, "", `#item-${itemId}`);
  }
  return act("staff:set_live", { item_id: itemId }, {
    button,
    success: item ? `Live on phones: ${item.title}` : "Nothing is live now",
  });
}

function setScreen(mode, pollId, button) {
  const labels = { join: "join instructions", agenda: "the agenda", questions: "the questions from the room", blank: "a blank screen", results: "the results" };
  const payload = mode === "results" ? { mode, poll_id: pollId } : { mode };
  return act("staff:screen", payload, { button, success: `Projector shows ${labels[mode]}` });
}

// --- rendering --------------------------------------------------------------------------------

function applyView(view) {
  state.view = view;
  noteQueue(view.queue);
  const items = allItems();
  if (!items.some((item) => item.id === state.selectedItemId)) state.selectedItemId = defaultItemId(items);
  render();
  editor.onState();
  settings.onState();
}

function defaultItemId(items) {
  const fromHash = /^#item-(\d+)$/.exec(location.hash);
  if (fromHash && items.some((i) => i.id === Number(fromHash[1]))) return Number(fromHash[1]);
  const live = liveItemId();
  if (live !== null && items.some((i) => i.id === live)) return live;
  const first = items.find((i) => !i.is_break) || items[0];
  return first ? first.id : null;
}

function selectItem(id) {
  state.selectedItemId = id;
  history.replaceState(null, "", `#item-${id}`);
  render();
}

function render() {
  if (!state.view) return;
  // Re-rendering replaces buttons: give focus back to the same control (same test id) afterwards.
  const focused = document.activeElement && document.activeElement.closest(".console-grid [data-testid]");
  const focusId = focused ? focused.dataset.testid : null;

  ui.topTitle.textContent = state.view.event.title;
  ui.topTitle.title = state.view.event.title;
  document.title = `Console · ${state.view.event.title}`;
  renderStats();
  renderAgenda();
  renderSession();
  renderSide();
  decorateIcons();

  if (focusId) {
    const again = document.querySelector(`[data-testid="${CSS.escape(focusId)}"]`);
    if (again && !again.disabled) again.focus({ preventScroll: true });
  }
}

function renderStats() {
  ui.presence.textContent = String(state.presence);
  let total = 0;
  for (const item of allItems()) for (const poll of item.polls) total += countFor(poll);
  ui.responseTotal.textContent = String(total);
}

// What kind of session this is. In the agenda (compact) the common flags are icons with a tooltip,
// so that the two that change how a session is run stand out: children-led, and questions to someone.
function itemBadges(item, { compact = false } = {}) {
  const badges = [];
  if (item.children_led) badges.push(["child", compact ? "Children-led" : "Children's session", "children-led", false]);
  else if (item.involves_children) badges.push(["child", "Children present", "children", compact]);
  if (item.question_mode === "premoderated") badges.push(["shield", "Pre-moderated questions", "premoderated", compact]);
  if (item.question_mode === "closed" && !item.is_break) badges.push(["message", "No questions", "closed", compact]);
  if (item.questions_to) badges.push(["message", `Questions to ${item.questions_to}`, "questions-to", false]);
  if (item.split_by_group) badges.push(["split", "Results by group", "split", compact]);
  return badges.map(([name, text, kind, iconOnly]) =>
    el("span", {
      class: `badge badge-${kind}${iconOnly ? " icon-only" : ""}`, title: text, "aria-label": iconOnly ? text : null,
      "data-testid": `badge-${kind}-${item.id}`,
    }, icon(name), iconOnly ? null : el("span", { class: "badge-text", text })));
}

function renderAgenda() {
  const live = liveItemId();
  const selected = findItem(state.selectedItemId);
  const scrollTop = ui.agenda.scrollTop;

  clear(ui.dayTabs);
  for (const day of days()) {
    const hasLive = day.items.some((item) => item.id === live);
    ui.dayTabs.append(el("button", {
      type: "button", role: "tab", class: "day-tab", "aria-selected": "false",
      "data-testid": `day-tab-${day.id}`, dataset: { dayId: String(day.id) },
      onclick: () => {
        const section = ui.agenda.querySelector(`[data-day-id="${day.id}"]`);
        if (!section) return;
        markDayTab(day.id);
        spyPausedUntil = Date.now() + 900; // let the smooth scroll finish before following it
        ui.agenda.scrollTo({ top: section.offsetTop, behavior: "smooth" });
      },
    },
    el("span", { class: "day-tab-title", text: day.title }),
    el("span", { class: "day-tab-date", text: formatDate(day.date) || "Date not set" }),
    hasLive ? el("span", { class: "live-dot", title: "A session of this day is live" }) : null));
  }

  clear(ui.agenda);
  for (const day of days()) {
    const group = el("li", { class: "agenda-day", dataset: { dayId: String(day.id) } },
      el("h3", { class: "agenda-day-head" },
        el("span", { text: day.title }),
        el("span", { class: "agenda-day-date", text: day.date ? formatDate(day.date, "long") : "Date not set" })));
    const list = el("ol", { class: "agenda-items" });
    for (const item of day.items) list.append(agendaRow(item, live));
    group.append(list);
    ui.agenda.append(group);
  }
  ui.agenda.scrollTop = scrollTop;
  if (!state.agendaScrolled && selected) {
    // First render: bring the selected (usually the live) session into view.
    state.agendaScrolled = true;
    const row = ui.agenda.querySelector(`[data-item-id="${selected.id}"]`);
    if (row) row.scrollIntoView({ block: "center" });
  }
  followAgendaScroll();
}

// The day tabs follow the agenda's scroll: the active tab is the day at the top of the list.
let spyPausedUntil = 0;

function markDayTab(dayId) {
  for (const tab of ui.dayTabs.children) {
    const active = tab.dataset.dayId === String(dayId);
    tab.classList.toggle("active", active);
    tab.setAttribute("aria-selected", active ? "true" : "false");
  }
}

function followAgendaScroll() {
  if (Date.now() < spyPausedUntil) return;
  const sections = [...ui.agenda.querySelectorAll(".agenda-day")];
  if (!sections.length) return;
  const list = ui.agenda;
  let current = sections[0];
  for (const section of sections) if (section.offsetTop <= list.scrollTop + 24) current = section;
  if (list.scrollTop + list.clientHeight >= list.scrollHeight - 4) current = sections[sections.length - 1];
  markDayTab(current.dataset.dayId);
}

ui.agenda.addEventListener("scroll", followAgendaScroll, { passive: true });

function agendaRow(item, live) {
  const isLive = item.id === live;
  const isSelected = item.id === state.selectedItemId;
  const open = item.polls.filter((p) => p.status === "open").length;
  const meta = [];
  if (item.polls.length) meta.push(el("span", { class: "poll-count", title: plural(item.polls.length, "poll") }, icon("chart"), plural(item.polls.length, "poll")));
  if (open) meta.push(el("span", { class: "open-count", "data-testid": `open-count-${item.id}` }, `${open} open`));
  if (item.polls.some(isFreeText)) {
    const held = itemHeld(item);
    meta.push(el("span", {
      class: `held-chip${held ? "" : " hidden"}`, "data-testid": `agenda-held-${item.id}`, dataset: { heldItem: String(item.id) },
      title: "Answers waiting for a moderator",
    }, icon("inbox"), el("span", { text: `${held} waiting` })));
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
      ? el("span", { class: "live-tag", "data-testid": `go-live-${item.id}`, title: "Live on phones now" }, el("span", { class: "pulse" }), "Live")
      : el("button", {
        type: "button", class: `go-live${item.is_break ? " quiet" : ""}`, "data-testid": `go-live-${item.id}`,
        disabled: !canRun(), title: "Make this the session participants see now",
        onclick: (ev) => setLive(item.id, ev.currentTarget),
      }, icon("play"), "Go live"));
}

function renderSession() {
  const item = findItem(state.selectedItemId);
  const changed = state.renderedItemId !== (item && item.id);
  const scrollTop = changed ? 0 : ui.session.scrollTop;
  state.renderedItemId = item && item.id;
  clear(ui.session);
  if (!item) {
    ui.session.append(el("div", { class: "empty-state" }, el("p", { text: "This event has no sessions yet." })));
    return;
  }
  const isLive = item.id === liveItemId();
  const kicker = [item.dayTitle, item.dayDate ? formatDate(item.dayDate) : null, timeRange(item)].filter(Boolean).join(" · ");

  const head = el("header", { class: `session-head${isLive ? " is-live" : ""}`, "data-testid": "session-head" },
    el("div", { class: "session-kicker" },
      el("span", { text: kicker }),
      isLive ? el("span", { class: "live-tag" }, el("span", { class: "pulse" }), "Live on phones") : null),
    el("h1", { class: "session-title", "data-testid": "session-title", text: item.title }),
    el("div", { class: "session-meta" },
      item.facilitator ? el("span", { class: "session-facilitator" }, icon("user"), item.facilitator) : null,
      ...itemBadges(item)),
    item.points.length ? el("ul", { class: "session-points" }, item.points.map((point) => el("li", { text: point }))) : null,
    el("div", { class: "session-actions" },
      isLive
        ? el("button", { type: "button", class: "button", "data-testid": "session-end-live", disabled: !canRun(), onclick: (ev) => setLive(null, ev.currentTarget) }, icon("stop"), "End live session")
        : el("button", { type: "button", class: "button primary", "data-testid": "session-go-live", disabled: !canRun(), onclick: (ev) => setLive(item.id, ev.currentTarget) }, icon("play"), "Go live"),
      el("button", { type: "button", class: "button ghost", "data-testid": "edit-session", onclick: () => settings.open("sessions", item.id) }, icon("edit"), "Edit session")));

  const polls = item.polls;
  const section = el("section", { class: "polls-section", "aria-labelledby": "polls-heading" },
    el("div", { class: "section-head" },
      el("h2", { id: "polls-heading", class: "section-title" }, "Polls", el("span", { class: "count-chip", text: String(polls.length) })),
      el("span", { class: "section-hint", text: isLive ? "Open a poll and phones see it at once." : "Phones only see polls of the live session." }),
      el("button", { type: "button", class: "button primary", "data-testid": "add-poll", disabled: !canRun(), onclick: () => editor.open(item) }, icon("plus"), "Add poll")));

  if (!polls.length) {
    section.append(el("div", { class: "empty-state", "data-testid": "no-polls" },
      el("div", { class: "empty-icon" }, icon(item.is_break ? "coffee" : "chart")),
      el("p", { class: "empty-title", text: item.is_break ? "A break: no polls needed" : "No polls in this session yet" }),
      el("p", { class: "muted", text: "Prepare questions ahead of time; open each one when the room is ready." })));
  } else {
    const list = el("div", { class: "poll-list" });
    polls.forEach((poll, index) => list.append(pollCard(poll, item, index, polls.length, isLive)));
    section.append(list);
  }
  // Forget result containers of polls that are gone.
  const ids = new Set(allItems().flatMap((i) => i.polls.map((p) => p.id)));
  for (const id of barsCache.keys()) if (!ids.has(id)) barsCache.delete(id);
  for (const id of heldCache.keys()) if (!ids.has(id)) heldCache.delete(id);

  ui.session.append(head, section);
  ui.session.scrollTop = scrollTop;

  if (state.flashPollId !== null && flashPoll(state.flashPollId)) state.flashPollId = null;
}

// Scroll a poll card into view and highlight it once; false if it is not on the page (yet).
function flashPoll(pollId) {
  const card = ui.session.querySelector(`[data-testid="console-poll-${pollId}"]`);
  if (!card) return false;
  card.classList.remove("flash");
  void card.offsetWidth; // restart the animation
  card.classList.add("flash");
  card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  return true;
}

function resultsNode(poll) {
  const signature = `${poll.renderer}:${poll.options.map((o) => o.id).join(",")}`;
  let entry = barsCache.get(poll.id);
  if (!entry || entry.signature !== signature) {
    const node = el("div", { class: "poll-results", "data-testid": `results-${poll.id}` });
    if (poll.kind === "wordcloud") listenForWordClicks(node, poll.id);
    entry = { node, signature };
    barsCache.set(poll.id, entry);
  }
  drawResults(entry.node, poll);
  return entry.node;
}

// charts.js draws what the room sees; the console adds what only staff see: the answer of a
// quiz before it is revealed, and words that can be clicked to hide them.
function drawResults(node, poll) {
  const tally = tallyFor(poll);
  renderResults(node, poll, tally);
  if (poll.kind === "quiz") markAnswer(node, poll, tally);
  if (poll.kind === "wordcloud") decorateCloud(node, poll);
}

function markAnswer(node, poll, tally) {
  const answer = poll.options.find((o) => o.correct);
  for (const row of node.querySelectorAll(".bar-row")) {
    row.classList.toggle("answer-key", !!answer && row.dataset.optionId === String(answer.id));
  }
  // Before the reveal the tally has no share correct: work it out here, for staff eyes only.
  let note = node.querySelector(":scope > .answer-share");
  const revealed = tally && tally.correct_option;
  if (!answer || revealed || !tally || !tally.total) {
    if (note) note.remove();
    return;
  }
  if (!note) {
    note = el("p", { class: "answer-share", "data-testid": `answer-share-${poll.id}` });
    node.append(note);
  }
  const right = tally.counts[String(answer.id)] || 0;
  note.textContent = `${percent(right, tally.total)}% chose the correct answer · only you see this until you reveal it`;
}

function decorateCloud(node, poll) {
  const cloud = node.querySelector(".cloud");
  if (!cloud) return;
  cloud.removeAttribute("role"); // the words are buttons here, not list items
  for (const word of cloud.querySelectorAll(".cloud-word")) {
    const text = word.dataset.word;
    const count = Number(word.dataset.count || 0);
    word.dataset.testid = `word-${poll.id}-${text}`;
    word.setAttribute("role", "button");
    word.tabIndex = 0;
    word.title = `“${text}”: ${plural(count, "entry", "entries")}. Click to hide it from the cloud.`;
    word.setAttribute("aria-label", `Hide “${text}” (${plural(count, "entry", "entries")})`);
  }
  let hint = node.querySelector(":scope > .cloud-hint");
  if (!hint) {
    hint = el("p", { class: "cloud-hint" }, icon("eyeOff"), el("span", { text: "Click a word to hide it from phones and the projector." }));
    node.append(hint);
  }
  hint.hidden = !cloud.children.length;
}

function listenForWordClicks(node, pollId) {
  const hide = (word) => {
    const found = findPoll(pollId);
    if (found && word) hideWord(found.poll, word.dataset.word);
  };
  node.addEventListener("click", (ev) => hide(ev.target.closest(".cloud-word")));
  node.addEventListener("keydown", (ev) => {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches(".cloud-word")) {
      ev.preventDefault();
      hide(ev.target);
    }
  });
}

function hideWord(poll, word) {
  if (!confirm(`Hide “${word}” from the cloud?\n\nIt disappears from phones and the projector, and anyone who sends it later stays hidden too. You can show it again.`)) return;
  act("staff:word_hide", { poll_id: poll.id, word, hidden: true }, { anyStaff: true, success: `“${word}” is hidden from the cloud` });
}

// The words a moderator hid from a cloud, each with "Show again".
function hiddenWords(poll) {
  const words = (poll.settings && poll.settings.hidden_words) || [];
  return el("div", { class: `hidden-words${words.length ? "" : " is-empty"}`, "data-testid": `hidden-words-${poll.id}` },
    el("span", { class: "hidden-words-label" }, icon("eyeOff"), `Hidden words (${words.length})`),
    el("ul", { class: "hidden-word-list" }, words.map((word) =>
      el("li", { class: "hidden-word" },
        el("span", { class: "hidden-word-text", text: word }),
        el("button", {
          type: "button", class: "hidden-word-show", "data-testid": `show-word-${poll.id}-${word}`, title: `Show “${word}” in the cloud again`,
          onclick: (ev) => act("staff:word_hide", { poll_id: poll.id, word, hidden: false }, { button: ev.currentTarget, anyStaff: true, success: `“${word}” is back in the cloud` }),
        }, "Show again")))));
}

// --- held free text -------------------------------------------------------------------------
// A card's "Waiting for you" list is kept across re-renders (like the results) and rebuilt only
// when what it holds changes, so a moderator's place in it survives every vote and state.

const heldCache = new Map(); // poll id -> {node, signature}

function heldPanel(poll) {
  let entry = heldCache.get(poll.id);
  if (!entry) {
    entry = { node: el("section", { class: "held-panel", "data-testid": `held-panel-${poll.id}`, "aria-label": "Answers waiting for a moderator" }), signature: null };
    heldCache.set(poll.id, entry);
  }
  fillHeld(entry, poll);
  return entry.node;
}

function fillHeld(entry, poll) {
  const items = heldOf(poll);
  const premoderated = !!(poll.settings && poll.settings.premoderate);
  const signature = JSON.stringify([items.map((i) => [i.id, i.reasons]), premoderated, poll.status]);
  if (signature === entry.signature) return;
  entry.signature = signature;
  const node = entry.node;
  // Keep the keyboard where it was: the same button, or the one that took its row's place.
  // (A button loses focus while its request is in flight: moderate() noted where it was.)
  const focused = node.contains(document.activeElement) ? document.activeElement : null;
  const noted = !focused && heldFocus && heldFocus.pollId === poll.id ? heldFocus : null;
  if (noted) heldFocus = null;
  const focusId = focused && focused.dataset.testid;
  const focusRow = focused && focused.closest(".held-item");
  const focusIndex = focusRow ? [...focusRow.parentNode.children].indexOf(focusRow) : noted ? noted.index : -1;
  const focusAction = focused ? focused.dataset.action : noted && noted.action;

  clear(node);
  node.classList.toggle("hidden", !items.length && !(premoderated && poll.status !== "draft"));
  node.classList.toggle("is-empty", !items.length);
  const word = poll.kind === "wordcloud" ? ["word", "words"] : ["answer", "answers"];
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
      ...reasons.map((reason) => el("span", { class: "reason-chip", text: reason }))),
    el("div", { class: "held-actions" },
      el("button", {
        type: "button", class: "button small-button approve", "data-testid": `approve-item-${id}`, dataset: { action: "approve" },
        onclick: (ev) => moderate(poll, group.ids, "approve", ev.currentTarget),
      }, icon("check"), "Approve"),
      el("button", {
        type: "button", class: "button small-button ghost hide", "data-testid": `hide-item-${id}`, dataset: { action: "hide" },
        onclick: (ev) => moderate(poll, group.ids, "hide", ev.currentTarget),
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

// The reason the server gives for an answer held only because the poll is pre-moderated.
const WAITING_REASON = "Waiting for a moderator";

// A word cloud's identical words are one row (a hundred children may send "safe"): one decision
// for all of them. Open-text answers stay one row each.
function heldGroups(poll, items) {
  if (poll.kind !== "wordcloud") return items.map((item) => ({ ids: [item.id], text: item.text, reasons: item.reasons || [] }));
  const groups = new Map();
  for (const item of items) {
    const key = JSON.stringify([item.text, item.reasons || []]);
    if (!groups.has(key)) groups.set(key, { ids: [], text: item.text, reasons: item.reasons || [] });
    groups.get(key).ids.push(item.id);
  }
  return [...groups.values()];
}

let heldFocus = null; // {pollId, index, action}: the keyboard's place in a held list during a request

async function moderate(poll, itemIds, action, button) {
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

function approveAll(poll, items, button) {
  const flagged = items.filter((item) => (item.reasons || []).some((r) => r !== WAITING_REASON));
  if (flagged.length) {
    const what = flagged.length === 1 ? "One of them was" : `${flagged.length} of them were`;
    if (!confirm(`${what} flagged by the safety check (for example personal data such as a phone number).\n\nApprove all ${items.length} anyway? Everyone will see them.`)) return;
  }
  const panel = button.closest(".held-panel");
  for (const row of panel.querySelectorAll(".held-item")) row.classList.add("is-leaving");
  act("staff:answers_moderate", { poll_id: poll.id, item_ids: items.map((i) => i.id), action: "approve" }, {
    button, anyStaff: true, success: `Approved ${plural(items.length, poll.kind === "wordcloud" ? "word" : "answer")}`,
  }).then((reply) => {
    if (!reply.ok) for (const row of panel.querySelectorAll(".held-item")) row.classList.remove("is-leaving");
  });
}

// Held counts outside the card (its header badge and the session's row in the agenda).
function heldBadge(poll) {
  const n = heldOf(poll).length;
  return el("span", {
    class: `tag tag-held${n ? "" : " hidden"}`, "data-testid": `held-count-${poll.id}`, dataset: { heldFor: String(poll.id) },
    title: "Answers waiting for a moderator",
  }, icon("inbox"), el("span", { class: "tag-held-text", text: `${heldCountText(n)} waiting` }));
}

function itemHeld(item) {
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

// A draft nobody has answered: what participants will be asked, compactly (no empty bars).
function draftPreview(poll) {
  const node = el("div", { class: "poll-preview", "data-testid": `results-${poll.id}` });
  if (poll.options.length) {
    node.append(el("ol", { class: "option-chips" }, poll.options.map((option, i) =>
      el("li", { class: option.correct && poll.kind === "quiz" ? "is-correct" : null, title: option.correct && poll.kind === "quiz" ? "The correct answer" : null },
        el("span", { class: "chip-letter", text: String.fromCharCode(65 + i) }),
        el("span", { class: "chip-text", text: option.label }),
        option.correct && poll.kind === "quiz" ? icon("check") : null))));
    const note = describeKind(poll);
    if (note) node.append(el("p", { class: "preview-note", text: note }));
  } else {
    node.append(el("p", { class: "preview-note", text: describeKind(poll) }));
  }
  return node;
}

function describeKind(poll) {
  const s = poll.settings || {};
  if (poll.kind === "ranking") return "Each person puts the options in order; results by Borda score.";
  if (poll.kind === "points") return "Each person shares 100 points over the options.";
  if (poll.kind === "rating") return `A scale from 1 (${s.min_label || "lowest"}) to ${s.scale || 5} (${s.max_label || "highest"}).`;
  if (poll.kind === "wordcloud") return `Each person gives up to ${plural(s.max_words || 3, "word")}; the room sees a word cloud.`;
  if (poll.kind === "opentext") return `Each person writes up to ${plural(s.max_answers || 1, "short answer")}.`;
  return "";
}

function pollCard(poll, item, index, count, isLive) {
  const view = state.view;
  const onScreen = view.live.screen_mode === "results" && view.live.screen_poll_id === poll.id;
  const responses = countFor(poll);
  const disabled = !canRun();

  const tags = [
    el("span", { class: `status-badge ${poll.status}`, "data-testid": `status-${poll.id}`, text: STATUS_LABEL[poll.status] || poll.status }),
    el("span", { class: "tag", text: kindLabel(poll) }),
    isFreeText(poll) ? heldBadge(poll) : null,
    poll.allow_change ? null : el("span", { class: "tag", title: "Participants cannot change their answer", text: "One answer each" }),
    poll.settings && poll.settings.premoderate
      ? el("span", { class: "tag tag-moderated", title: "Answers wait for a moderator before anyone sees them" }, icon("shield"), "Moderated answers")
      : null,
    resultsMode(poll) !== "on_reveal"
      ? el("span", { class: "tag", title: "When participants see the results" }, icon("eye"), MODE_TAGS[resultsMode(poll)] || resultsMode(poll))
      : null,
    poll.results_revealed && revealMatters(poll) ? el("span", { class: "tag tag-revealed" }, icon("eye"), poll.kind === "quiz" ? "Answer revealed" : "Results on phones") : null,
    onScreen ? el("span", { class: "tag tag-screen" }, icon("monitor"), "On screen") : null,
  ];

  const tools = el("div", { class: "card-tools" },
    el("button", { type: "button", class: "icon-button", title: "Move up", "aria-label": "Move up", "data-testid": `move-up-${poll.id}`, disabled: disabled || index === 0, onclick: (ev) => act("staff:poll_move", { poll_id: poll.id, direction: "up" }, { button: ev.currentTarget }) }, icon("up")),
    el("button", { type: "button", class: "icon-button", title: "Move down", "aria-label": "Move down", "data-testid": `move-down-${poll.id}`, disabled: disabled || index === count - 1, onclick: (ev) => act("staff:poll_move", { poll_id: poll.id, direction: "down" }, { button: ev.currentTarget }) }, icon("down")),
    el("span", { class: "tools-sep", "aria-hidden": "true" }),
    el("button", { type: "button", class: "icon-button", title: "Edit poll", "aria-label": "Edit poll", "data-testid": `edit-${poll.id}`, disabled, onclick: () => editor.open(item, poll) }, icon("edit")),
    el("button", {
      type: "button", class: "icon-button", title: "Reset: delete every answer", "aria-label": "Reset answers", "data-testid": `reset-${poll.id}`, disabled,
      onclick: (ev) => {
        if (!confirm(`Delete all ${plural(countFor(poll), "answer")} to “${poll.question}”? This cannot be undone.`)) return;
        act("staff:poll_reset", { poll_id: poll.id }, { button: ev.currentTarget, success: "Answers cleared" });
      },
    }, icon("reset")),
    el("button", {
      type: "button", class: "icon-button danger", title: "Delete poll", "aria-label": "Delete poll", "data-testid": `delete-${poll.id}`, disabled,
      onclick: (ev) => {
        const answers = countFor(poll);
        const extra = answers ? ` Its ${plural(answers, "answer")} will be lost.` : "";
        if (!confirm(`Delete the poll “${poll.question}”?${extra}`)) return;
        act("staff:poll_delete", { poll_id: poll.id }, { button: ev.currentTarget, success: "Poll deleted" });
      },
    }, icon("trash")));

  let primary;
  if (poll.status === "open") {
    primary = el("button", { type: "button", class: "button stop", "data-testid": `close-${poll.id}`, disabled, onclick: (ev) => act("staff:poll_close", { poll_id: poll.id }, { button: ev.currentTarget, success: "Poll closed" }) }, icon("stop"), "Close poll");
  } else {
    primary = el("button", { type: "button", class: "button primary", "data-testid": `open-${poll.id}`, disabled, onclick: (ev) => act("staff:poll_open", { poll_id: poll.id }, { button: ev.currentTarget, success: isLive ? "Poll open: phones can answer" : "Poll open (its session is not live yet)" }) }, icon("play"), poll.status === "closed" ? "Reopen" : "Open poll");
  }
  const quiz = poll.kind === "quiz";
  const revealWords = quiz
    ? { on: "Hide answer", off: "Reveal answer", title: "Show the correct answer and the results on phones and the projector", shown: "Answer revealed", hidden: "Answer hidden again" }
    : { on: "Hide results", off: "Reveal results", title: "Whether participants see the results on their phones", shown: "Results shown on phones", hidden: "Results hidden from phones" };
  const reveal = revealMatters(poll) ? el("button", {
    type: "button", class: `button toggle${poll.results_revealed ? " on" : ""}`, "aria-pressed": poll.results_revealed ? "true" : "false",
    "data-testid": `reveal-${poll.id}`, disabled, title: revealWords.title,
    onclick: (ev) => act("staff:poll_reveal", { poll_id: poll.id, revealed: !poll.results_revealed }, {
      button: ev.currentTarget, success: poll.results_revealed ? revealWords.hidden : revealWords.shown,
    }),
  }, icon(poll.results_revealed ? "eyeOff" : "eye"), poll.results_revealed ? revealWords.on : revealWords.off) : null;
  const screen = el("button", {
    type: "button", class: `button toggle${onScreen ? " on" : ""}`, "aria-pressed": onScreen ? "true" : "false",
    "data-testid": `screen-poll-${poll.id}`, disabled, title: onScreen ? "Take the results off the projector (back to join instructions)" : "Show the live results on the projector",
    onclick: (ev) => (onScreen ? setScreen("join", null, ev.currentTarget) : setScreen("results", poll.id, ev.currentTarget)),
  }, icon("monitor"), onScreen ? "Take off screen" : "Show on screen");

  const warning = poll.status === "open" && !isLive
    ? el("p", { class: "card-warning", "data-testid": `not-live-${poll.id}` }, icon("alert"),
      el("span", { text: "Open, but phones can't see it: its session is not live." }),
      el("button", { type: "button", class: "link-button", disabled, onclick: (ev) => setLive(item.id, ev.currentTarget) }, "Go live"))
    : null;

  return el("article", { class: `poll-card status-${poll.status}${onScreen ? " on-screen" : ""}`, "data-testid": `console-poll-${poll.id}`, dataset: { pollId: String(poll.id), status: poll.status } },
    el("header", { class: "poll-card-head" },
      el("span", { class: "poll-index", text: String(index + 1) }),
      el("div", { class: "poll-tags" }, ...tags),
      tools,
      el("h3", { class: "poll-question", "data-testid": `question-${poll.id}`, text: poll.question })),
    warning,
    isFreeText(poll) ? heldPanel(poll) : null,
    poll.status === "draft" && responses === 0 ? draftPreview(poll) : resultsNode(poll),
    poll.status === "draft" && responses === 0 ? null : groupTools(poll, { groups: view.groups, live: view.live, canRun: !disabled }),
    poll.kind === "wordcloud" ? hiddenWords(poll) : null,
    el("footer", { class: "poll-actions" },
      primary, reveal, screen,
      el("span", { class: "spacer" }),
      el("span", { class: "response-count" },
        el("strong", { "data-testid": `count-${poll.id}`, dataset: { countFor: String(poll.id) }, text: String(responses) }),
        el("span", { dataset: { nounFor: String(poll.id) }, text: responses === 1 ? "response" : "responses" }))));
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
    el("p", { class: "pv-small", text: live ? `Questions · ${live.title}` : "Questions" }),
    top.length
      ? el("ol", {}, top.map((q) => el("li", { class: q.id === highlighted ? "now" : "" },
        el("span", { class: "pv-votes", text: String(q.upvotes) }), el("span", { class: "pv-q", text: q.text }))))
      : el("p", { class: "pv-empty", text: live ? "No questions on the wall yet" : "Nothing is live" }));
}

function renderSide() {
  const view = state.view;
  const { screen_mode: mode, screen_poll_id: screenPollId } = view.live;
  const shown = mode === "results" && screenPollId !== null ? findPoll(screenPollId) : null;
  const effective = mode === "results" && !shown ? "join" : mode;

  for (const button of ui.screenButtons) {
    const active = button.dataset.mode === effective;
    button.classList.toggle("active", active);
    button.setAttribute("aria-pressed", active ? "true" : "false");
    button.disabled = !canRun();
  }

  // A small likeness of the projector.
  clear(ui.screenPreview);
  ui.screenPreview.dataset.mode = effective;
  if (effective === "join") {
    ui.screenPreview.append(el("div", { class: "pv-join" },
      el("img", { class: "pv-qr", src: `/qr/${encodeURIComponent(CODE)}.svg`, alt: "" }),
      el("div", { class: "pv-join-text" },
        el("span", { class: "pv-small", text: "Join at" }),
        el("span", { class: "pv-address", text: SHORT_ADDRESS }),
        el("span", { class: "pv-small", text: "code" }),
        el("span", { class: "pv-code", text: CODE }))));
    ui.screenStatus.textContent = "Showing: join instructions and QR code";
  } else if (effective === "results") {
    const bars = el("div", { class: "pv-bars" });
    renderResults(bars, shown.poll, tallyFor(shown.poll));
    ui.screenPreview.append(el("div", { class: "pv-results" }, el("p", { class: "pv-question", text: shown.poll.question }), bars));
    ui.screenStatus.textContent = `Showing: results of “${shown.poll.question}”`;
  } else if (effective === "questions") {
    ui.screenPreview.append(questionsPreview());
    ui.screenStatus.textContent = "Showing: questions from the room";
  } else if (effective === "agenda") {
    const live = findItem(liveItemId());
    const day = live ? days().find((d) => d.id === live.dayId) : days()[0];
    const rows = (day ? day.items : []).slice(0, 8).map((item) =>
      el("li", { class: item.id === liveItemId() ? "now" : "" }, el("span", { text: item.starts_at }), el("span", { text: item.title })));
    ui.screenPreview.append(el("div", { class: "pv-agenda" }, el("p", { class: "pv-small", text: day ? day.title : "Agenda" }), el("ol", {}, rows)));
    ui.screenStatus.textContent = "Showing: the agenda";
  } else {
    ui.screenPreview.append(el("div", { class: "pv-blank", text: "Blank" }));
    ui.screenStatus.textContent = "Showing: a blank screen";
  }

  // What phones see now.
  clear(ui.liveNow);
  const live = findItem(liveItemId());
  if (live) {
    const items = allItems();
    const next = items[items.findIndex((i) => i.id === live.id) + 1];
    const open = live.polls.filter((p) => p.status === "open");
    ui.liveNow.append(
      el("button", { type: "button", class: "live-card", "data-testid": "live-item", onclick: () => selectItem(live.id) },
        el("span", { class: "live-card-kicker" }, el("span", { class: "pulse" }), `${live.dayTitle} · ${timeRange(live)}`),
        el("span", { class: "live-card-title", text: live.title }),
        el("span", { class: "live-card-meta", text: open.length ? `${plural(open.length, "poll")} open on phones` : "No poll open" })),
      next ? el("p", { class: "next-up" }, el("span", { class: "next-label", text: "Next" }), el("span", { text: `${next.starts_at} ${next.title}` })) : null,
      el("button", { type: "button", class: "button block", "data-testid": "end-live", disabled: !canRun(), onclick: (ev) => setLive(null, ev.currentTarget) }, icon("stop"), "End live session"));
  } else {
    ui.liveNow.append(el("p", { class: "side-empty", "data-testid": "nothing-live" },
      "Nothing is live. Phones show a welcome screen until you press ", el("strong", { text: "Go live" }), " on a session."));
  }

  // Every open poll of the event, wherever it is: easy to forget one in another session.
  clear(ui.openPolls);
  const open = allItems().flatMap((item) => item.polls.filter((p) => p.status === "open").map((poll) => ({ poll, item })));
  if (!open.length) {
    ui.openPolls.append(el("li", { class: "side-empty", text: "No poll is open." }));
  }
  for (const { poll, item } of open) {
    const count = countFor(poll);
    ui.openPolls.append(el("li", {},
      el("button", { type: "button", class: "open-poll", onclick: () => { state.flashPollId = poll.id; selectItem(item.id); } },
        el("span", { class: "open-poll-q", text: poll.question }),
        el("span", { class: "open-poll-meta" },
          el("span", { class: item.id === liveItemId() ? "" : "warn-text", text: item.id === liveItemId() ? item.title : `${item.title} (not live)` }),
          el("strong", { dataset: { countFor: String(poll.id) }, text: String(count) })))));
  }
}

// A new tally: update that poll's bars and counts in place.
function applyTally(tally) {
  const id = String(tally.poll_id);
  const previous = state.tallies.get(id);
  if (previous && previous.seq > tally.seq) return;
  state.tallies.set(id, tally);
  const found = findPoll(tally.poll_id);
  if (!found) return;
  const { poll } = found;
  const entry = barsCache.get(poll.id);
  if (entry) drawResults(entry.node, poll);
  if (isFreeText(poll)) {
    const held = heldCache.get(poll.id);
    if (held) fillHeld(held, poll);
    updateHeldCounts(poll);
  }
  const count = countFor(poll);
  for (const node of document.querySelectorAll(`[data-count-for="${id}"]`)) node.textContent = String(count);
  for (const node of document.querySelectorAll(`[data-noun-for="${id}"]`)) node.textContent = count === 1 ? "response" : "responses";
  const { screen_mode: mode, screen_poll_id: screenPollId } = state.view.live;
  if (mode === "results" && screenPollId === poll.id) {
    const bars = ui.screenPreview.querySelector(".pv-bars");
    if (bars) renderResults(bars, poll, tallyFor(poll));
  }
  renderStats();
}

// --- the poll editor --------------------------------------------------------------------------
// One dialog for every kind. The kind picker decides which blocks show ([data-kinds] lists the
// kinds a block belongs to); collect() builds the staff:poll_save payload with exactly the
// settings of that kind (kinds.py validates them again: its codes are mapped back to fields).

const editor = (() => {
  const dialog = $('[data-testid="poll-editor"]');
  const form = $("form", dialog);
  const rows = $('[data-testid="poll-options"]', dialog);
  const errorBox = $('[data-role="error"]', dialog);
  const answersNote = $('[data-role="answers-note"]', dialog);
  const title = $("#poll-editor-title", dialog);
  const sessionName = $('[data-role="session-name"]', dialog);
  const questionCount = $('[data-role="question-count"]', dialog);
  const optionCount = $('[data-role="option-count"]', dialog);
  const kindLocked = $('[data-role="kind-locked"]', dialog);
  const modeHelp = $('[data-role="results-mode-help"]', dialog);
  const leaderboardHelp = $('[data-role="leaderboard-help"]', dialog);
  const maxInput = form.elements.max_selections;
  const saveButton = $('[data-testid="poll-save"]', dialog);
  const otherKind = $('[data-role="other-kind"]', dialog);
  const otherRadio = $("input", otherKind);
  const KNOWN = new Set(Object.keys(KIND_LABELS));
  const NO_OPTIONS = new Set(["rating", "wordcloud", "opentext"]);
  const FREE_TEXT = new Set(["wordcloud", "opentext"]);
  const MIN = 2;
  const LEADERBOARD_HELP = leaderboardHelp.textContent.trim();
  const MODE_HELP = {
    live: "Phones show the results as answers come in.",
    after_vote: "Each person sees the results once they have answered.",
    on_reveal: "Phones show the results when you press Reveal on the poll card.",
    never: "Only this console and the projector show the results.",
  };
  let MAX = 12;
  let pollId = null;
  let itemId = null;
  let childrenPresent = false;

  const kind = () => form.elements.kind.value;
  const maxOptions = (k) => (k === "ranking" || k === "points" ? 10 : 12);

  function showError(message, field = null) {
    errorBox.textContent = message || "";
    errorBox.classList.toggle("hidden", !message);
    for (const node of dialog.querySelectorAll(".has-error")) node.classList.remove("has-error");
    const target = field && dialog.querySelector(`[data-field="${field}"]`);
    if (message && target) {
      target.classList.add("has-error");
      target.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  // Which field a server error is about (kinds.py and service.py codes).
  function fieldFor(error) {
    const code = error && error.code;
    const message = (error && error.message) || "";
    // With answers the kind radios are locked, so "poll_has_answers" is about the option set.
    if (["bad_options", "duplicate_option", "unknown_option", "poll_has_answers"].includes(code)) return "options";
    if (code === "leaderboard_unavailable") return "settings-quiz";
    if (code === "unknown_kind") return "kind";
    if (code === "bad_settings") {
      if (FREE_TEXT.has(kind()) && /premoderate/i.test(message)) return "settings-premoderate";
      return `settings-${kind()}`;
    }
    if (code === "empty_text" || code === "too_long") return /option/i.test(message) ? "options" : "question";
    return null;
  }

  function addRow(option = { id: null, label: "", correct: false }, focus = false) {
    const input = el("input", { type: "text", class: "option-input", maxlength: "200", value: option.label, placeholder: "Option text", "aria-label": "Option" });
    const correct = el("input", { type: "radio", name: "correct_option", class: "correct-radio", checked: !!option.correct });
    const row = el("li", { class: `option-row${option.correct ? " is-correct" : ""}`, dataset: { optionId: option.id === null ? "" : String(option.id) } },
      el("span", { class: "option-letter", "aria-hidden": "true" }),
      input,
      el("label", { class: "correct-pick", title: "The correct answer" }, correct, el("span", { text: "Correct" })),
      el("button", { type: "button", class: "icon-button", dataset: { move: "up" }, title: "Move up", "aria-label": "Move option up" }, icon("up")),
      el("button", { type: "button", class: "icon-button", dataset: { move: "down" }, title: "Move down", "aria-label": "Move option down" }, icon("down")),
      el("button", { type: "button", class: "icon-button danger", dataset: { remove: "1" }, title: "Remove option", "aria-label": "Remove option" }, icon("close")));
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        const next = row.nextElementSibling;
        if (next) $("input", next).focus();
        else if (rows.children.length < MAX) addRow(undefined, true);
      }
    });
    correct.addEventListener("change", markCorrect);
    rows.append(row);
    renumber();
    if (focus) input.focus();
    return row;
  }

  function markCorrect() {
    for (const row of rows.children) row.classList.toggle("is-correct", $(".correct-radio", row).checked);
  }

  function renumber() {
    const list = [...rows.children];
    list.forEach((row, i) => {
      const letter = String.fromCharCode(65 + i);
      $(".option-letter", row).textContent = letter;
      const input = $(".option-input", row);
      input.dataset.testid = `poll-option-input-${i}`;
      input.setAttribute("aria-label", `Option ${letter}`);
      const radio = $(".correct-radio", row);
      radio.dataset.testid = `poll-correct-${i}`;
      radio.setAttribute("aria-label", `Option ${letter} is the correct answer`);
      const [up, down, remove] = row.querySelectorAll("button");
      up.dataset.testid = `poll-option-up-${i}`;
      down.dataset.testid = `poll-option-down-${i}`;
      remove.dataset.testid = `poll-option-remove-${i}`;
      up.disabled = i === 0;
      down.disabled = i === list.length - 1;
      remove.disabled = list.length <= MIN;
    });
    $('[data-testid="poll-add-option"]', dialog).disabled = list.length >= MAX;
    optionCount.textContent = `${list.length} of ${MIN}–${MAX}`;
    optionCount.classList.toggle("warn-text", list.length > MAX);
    maxInput.max = String(Math.max(list.length, 1));
  }

  // Show the blocks of the chosen kind; wording that depends on it.
  function syncKind() {
    const k = kind();
    dialog.dataset.kind = k;
    dialog.classList.toggle("no-options", NO_OPTIONS.has(k));
    for (const block of dialog.querySelectorAll(".kind-settings")) block.hidden = !block.dataset.kinds.split(" ").includes(k);
    $('[data-role="premoderate-title"]', dialog).textContent = k === "wordcloud" ? "Hold every entry for a moderator" : "Hold every answer for a moderator";
    MAX = maxOptions(k);
    renumber();
    syncMode();
  }

  function syncMode() {
    const mode = form.elements.results_mode.value;
    modeHelp.textContent = kind() === "quiz" && mode === "on_reveal"
      ? "The right answer and the results show on phones and the projector when you press Reveal answer."
      : MODE_HELP[mode] || "";
  }

  function syncScale() {
    $('[data-role="scale-top"]', dialog).textContent = form.elements.scale.value;
  }

  rows.addEventListener("click", (ev) => {
    const button = ev.target.closest("button");
    if (!button || button.disabled) return;
    const row = button.closest(".option-row");
    if (button.dataset.remove) {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (next) $("input", next).focus();
    } else if (button.dataset.move === "up" && row.previousElementSibling) {
      row.previousElementSibling.before(row);
      button.focus();
    } else if (button.dataset.move === "down" && row.nextElementSibling) {
      row.nextElementSibling.after(row);
      button.focus();
    }
    renumber();
  });
  $('[data-action="add-option"]', dialog).addEventListener("click", () => addRow(undefined, true));
  for (const radio of form.elements.kind) radio.addEventListener("change", syncKind);
  form.elements.results_mode.addEventListener("change", syncMode);
  form.elements.scale.addEventListener("change", syncScale);
  form.elements.question.addEventListener("input", () => { questionCount.textContent = String(form.elements.question.value.length); });
  form.addEventListener("input", (ev) => {
    const field = ev.target.closest(".has-error");
    if (field) field.classList.remove("has-error");
  });
  for (const button of dialog.querySelectorAll('[data-action="cancel"]')) button.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { pollId = null; itemId = null; });

  function updateAnswersNote() {
    const found = pollId !== null ? findPoll(pollId) : null;
    const answers = found ? countFor(found.poll) : 0;
    answersNote.textContent = answers
      ? `This poll already has ${plural(answers, "answer")}. You can fix the wording and the settings, but changing the kind or the set of options needs a reset first.`
      : "";
    answersNote.classList.toggle("hidden", !answers);
    // With answers, the kind cannot change: lock the other kinds rather than fail on save.
    for (const radio of form.elements.kind) radio.disabled = !!answers && !radio.checked;
    kindLocked.classList.toggle("hidden", !answers);
  }

  // The leaderboard shows nicknames on the projector: never in a session with children.
  function syncLeaderboard(item) {
    childrenPresent = !!(item.involves_children || item.children_led);
    const box = form.elements.leaderboard;
    box.disabled = childrenPresent;
    if (childrenPresent) box.checked = false;
    $('[data-role="leaderboard-check"]', dialog).classList.toggle("is-disabled", childrenPresent);
    leaderboardHelp.textContent = childrenPresent
      ? "Not available: children take part in this session, so no names or nicknames go on screen."
      : LEADERBOARD_HELP;
  }

  function open(item, poll = null) {
    pollId = poll ? poll.id : null;
    itemId = item.id;
    form.reset();
    showError("");
    saveButton.disabled = false;
    title.textContent = poll ? "Edit poll" : "New poll";
    sessionName.textContent = `${item.dayTitle} · ${timeRange(item)} · ${item.title}`;
    clear(rows);
    const foreign = poll && !KNOWN.has(poll.kind);
    otherKind.classList.toggle("hidden", !foreign);
    otherRadio.value = foreign ? poll.kind : "";
    $('[data-role="other-kind-name"]', dialog).textContent = foreign ? poll.kind : "";
    const s = (poll && poll.settings) || {};
    form.elements.kind.value = poll ? poll.kind : "single";
    form.elements.results_mode.value = poll ? resultsMode(poll) : "on_reveal";
    form.elements.question.value = poll ? poll.question : "";
    form.elements.allow_change.checked = poll ? !!poll.allow_change : true;
    if (poll && poll.options.length) {
      for (const option of poll.options) addRow({ id: option.id, label: option.label, correct: !!option.correct });
    } else {
      addRow();
      addRow();
    }
    // Every kind's fields get a value (a default when the poll is of another kind), so that
    // switching kinds in the dialog shows sensible settings.
    maxInput.value = poll && poll.kind === "multiple" && s.max_selections && s.max_selections < poll.options.length ? String(s.max_selections) : "";
    form.elements.scale.value = String(s.scale || 5);
    form.elements.min_label.value = poll && poll.kind === "rating" ? s.min_label || "" : "Not at all";
    form.elements.max_label.value = poll && poll.kind === "rating" ? s.max_label || "" : "Very much";
    form.elements.max_words.value = String(s.max_words || 3);
    form.elements.max_answers.value = String(s.max_answers || 1);
    // The server holds children-led sessions' free text by default: show that default.
    form.elements.premoderate.checked = poll && FREE_TEXT.has(poll.kind) ? !!s.premoderate : !!item.children_led;
    form.elements.leaderboard.checked = !!s.leaderboard;
    syncLeaderboard(item);
    questionCount.textContent = String(form.elements.question.value.length);
    syncScale();
    syncKind();
    updateAnswersNote();
    dialog.showModal();
    form.elements.question.focus();
  }

  // Build the payload, or say what is wrong (and where) before asking the server.
  function collect() {
    const k = kind();
    const question = form.elements.question.value.trim();
    if (!question) return { error: "Write the question.", field: "question" };
    const options = [];
    const withOptions = !NO_OPTIONS.has(k);
    for (const [i, row] of (withOptions ? [...rows.children] : []).entries()) {
      const label = $(".option-input", row).value.trim();
      const id = row.dataset.optionId ? Number(row.dataset.optionId) : null;
      const correct = k === "quiz" && $(".correct-radio", row).checked;
      if (!label) {
        if (id === null && !correct) continue; // an empty new row: just leave it out
        return { error: `Option ${String.fromCharCode(65 + i)} is empty: write it or remove it.`, field: "options" };
      }
      const option = { label, correct };
      if (id !== null) option.id = id;
      options.push(option);
    }
    if (withOptions && (options.length < MIN || options.length > MAX)) {
      return { error: `A ${KIND_LABELS[k] ? KIND_LABELS[k].toLowerCase() : ""} poll needs ${MIN} to ${MAX} options.`, field: "options" };
    }
    const seen = new Set();
    for (const option of options) {
      const key = option.label.toLocaleLowerCase();
      if (seen.has(key)) return { error: `Two options say “${option.label}”.`, field: "options" };
      seen.add(key);
    }
    if (k === "quiz" && options.filter((o) => o.correct).length !== 1) {
      return { error: "Mark the correct answer: choose “Correct” on one option.", field: "options" };
    }
    const payload = {
      item_id: itemId, kind: k, question, options, allow_change: form.elements.allow_change.checked,
      results_mode: form.elements.results_mode.value,
    };
    if (pollId !== null) payload.poll_id = pollId;
    const settings = kindSettings(k, options.length);
    if (settings.error) return settings;
    // Without "settings" the server keeps a poll's own (for a kind this page does not know).
    if (KNOWN.has(k)) payload.settings = settings.value;
    return { payload };
  }

  function kindSettings(k, optionCount) {
    const f = form.elements;
    if (k === "multiple") {
      const raw = maxInput.value.trim();
      const max = raw === "" ? optionCount : Number(raw);
      if (!Number.isInteger(max) || max < 1 || max > optionCount) {
        return { error: `“Most choices” must be between 1 and ${optionCount}.`, field: "settings-multiple" };
      }
      return { value: { max_selections: max } };
    }
    if (k === "quiz") return { value: { leaderboard: f.leaderboard.checked && !childrenPresent } };
    if (k === "rating") return { value: { scale: Number(f.scale.value), min_label: f.min_label.value.trim(), max_label: f.max_label.value.trim() } };
    if (k === "wordcloud") {
      // Keep the words a moderator hid (read now: someone may have hidden one meanwhile).
      const found = pollId !== null ? findPoll(pollId) : null;
      const hidden = found && found.poll.kind === "wordcloud" ? found.poll.settings.hidden_words || [] : [];
      return { value: { max_words: Number(f.max_words.value), premoderate: f.premoderate.checked, hidden_words: hidden } };
    }
    if (k === "opentext") return { value: { max_answers: Number(f.max_answers.value), premoderate: f.premoderate.checked } };
    return { value: {} };
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const { payload, error, field } = collect();
    if (error) {
      showError(error, field);
      return;
    }
    showError("");
    const editing = pollId !== null;
    saveButton.disabled = true;
    const reply = await client.request("staff:poll_save", payload);
    saveButton.disabled = false;
    if (!reply || !reply.ok) {
      // In the dialog's footer, beside the Save button, with the field it is about marked.
      showError(errorText(reply), fieldFor(reply && reply.error));
      return;
    }
    // The new state usually arrives before this acknowledgement: flash now, or on the next render.
    dialog.close();
    if (!flashPoll(reply.poll_id)) state.flashPollId = reply.poll_id;
    toast(editing ? "Poll saved" : "Poll added", "ok");
  });

  // Someone else may change or delete this poll while it is being edited: say so, keep the edits.
  function onState() {
    if (!dialog.open) return;
    if (pollId !== null && !findPoll(pollId)) {
      showError("Another facilitator deleted this poll. Cancel, or copy your text into a new poll.");
      saveButton.disabled = true;
      return;
    }
    const item = findItem(itemId);
    if (!item) {
      showError("This session no longer exists.");
      saveButton.disabled = true;
      return;
    }
    syncLeaderboard(item);
    updateAnswersNote();
  }

  return { open, onState };
})();

// --- event settings ---------------------------------------------------------------------------

const settings = (() => {
  const dialog = $('[data-testid="settings-dialog"]');
  const eventForm = $('[data-testid="event-form"]', dialog);
  const itemForm = $('[data-testid="item-form"]', dialog);
  const dayForms = $('[data-testid="day-forms"]', dialog);
  const picker = $('[data-testid="settings-sessions"]', dialog);
  const errorBox = $('[data-testid="settings-error"]', dialog);
  let tab = "event";
  let itemId = null;
  // Forms the user has typed in are not overwritten by other facilitators' changes.
  const dirty = { event: false, item: false, days: new Set() };

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.classList.toggle("hidden", !message);
  }

  function markDirty(form, isDirty) {
    form.classList.toggle("is-dirty", isDirty);
  }

  function showTab(name) {
    tab = name;
    for (const button of dialog.querySelectorAll("[data-tab]")) {
      const active = button.dataset.tab === name;
      button.classList.toggle("active", active);
      button.setAttribute("aria-selected", active ? "true" : "false");
    }
    for (const panel of dialog.querySelectorAll("[data-panel]")) panel.classList.toggle("hidden", panel.dataset.panel !== name);
    showError("");
  }

  function fillEvent() {
    const event = state.view.event;
    for (const name of ["title", "hosts", "objective", "outcomes", "helpline"]) eventForm.elements[name].value = event[name] || "";
    dirty.event = false;
    markDirty(eventForm, false);
  }

  function renderDays() {
    const list = days();
    const ids = list.map((d) => String(d.id)).join(",");
    if (dayForms.dataset.ids !== ids) {
      clear(dayForms);
      dirty.days.clear();
      for (const day of list) dayForms.append(dayForm(day));
      dayForms.dataset.ids = ids;
      decorateIcons(dayForms);
    }
    for (const day of list) {
      const form = dayForms.querySelector(`[data-day-id="${day.id}"]`);
      if (!form || dirty.days.has(day.id)) continue;
      form.elements.title.value = day.title;
      form.elements.date.value = day.date || "";
      $(".day-form-sessions", form).textContent = `${plural(day.items.length, "session")}${day.date ? ` · ${formatDate(day.date, "long")}` : ""}`;
      markDirty(form, false);
    }
  }

  function dayForm(day) {
    const form = el("form", { class: "day-form", novalidate: true, "data-testid": `day-form-${day.id}`, dataset: { dayId: String(day.id) } },
      el("div", { class: "field" },
        el("label", { class: "field-label", for: `day-title-${day.id}`, text: "Title" }),
        el("input", { id: `day-title-${day.id}`, name: "title", maxlength: "120", required: true, "data-testid": `day-title-${day.id}` })),
      el("div", { class: "field" },
        el("label", { class: "field-label", for: `day-date-${day.id}`, text: "Date" }),
        el("input", { id: `day-date-${day.id}`, name: "date", type: "date", "data-testid": `day-date-${day.id}` })),
      el("div", { class: "day-form-foot" },
        el("span", { class: "day-form-sessions muted small" }),
        el("span", { class: "dirty-note", text: "Unsaved" }),
        el("button", { type: "submit", class: "button primary", "data-testid": `day-save-${day.id}` }, "Save day")));
    form.addEventListener("input", () => { dirty.days.add(day.id); markDirty(form, true); });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const payload = { day_id: day.id, title: form.elements.title.value, date: form.elements.date.value || "" };
      const reply = await save("staff:day_save", payload, $("button[type=submit]", form), "Day saved");
      if (reply) { dirty.days.delete(day.id); markDirty(form, false); }
    });
    return form;
  }

  function renderPicker() {
    clear(picker);
    for (const day of days()) {
      picker.append(el("p", { class: "picker-day", text: day.title }));
      for (const item of day.items) {
        picker.append(el("button", {
          type: "button", class: `picker-item${item.id === itemId ? " active" : ""}${item.is_break ? " is-break" : ""}`,
          "aria-current": item.id === itemId ? "true" : null, "data-testid": `settings-item-${item.id}`,
          onclick: () => {
            if (item.id === itemId) return;
            if (dirty.item && !confirm("Discard the unsaved changes to this session?")) return;
            itemId = item.id;
            fillItem();
            renderPicker();
          },
        }, el("span", { class: "picker-time", text: item.starts_at }), el("span", { class: "picker-title", text: item.title })));
      }
    }
  }

  function fillItem() {
    const item = findItem(itemId);
    if (!item) return;
    const f = itemForm.elements;
    f.title.value = item.title;
    f.starts_at.value = item.starts_at;
    f.ends_at.value = item.ends_at;
    f.facilitator.value = item.facilitator || "";
    f.points.value = (item.points || []).join("\n");
    f.question_mode.value = item.question_mode;
    f.questions_to.value = item.questions_to || "";
    for (const name of ["involves_children", "children_led", "split_by_group", "is_break"]) f[name].checked = !!item[name];
    dirty.item = false;
    markDirty(itemForm, false);
  }

  async function save(name, payload, button, success) {
    showError("");
    // An error shows in the dialog, above the form (a toast could hide the dialog's buttons).
    const reply = await act(name, payload, { button, success, quiet: true });
    if (!reply.ok) showError(errorText(reply));
    return reply.ok;
  }

  eventForm.addEventListener("input", () => { dirty.event = true; markDirty(eventForm, true); });
  itemForm.addEventListener("input", () => { dirty.item = true; markDirty(itemForm, true); });
  itemForm.addEventListener("change", () => { dirty.item = true; markDirty(itemForm, true); });

  eventForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = eventForm.elements;
    const payload = { title: f.title.value, hosts: f.hosts.value, objective: f.objective.value, outcomes: f.outcomes.value, helpline: f.helpline.value };
    if (await save("staff:event_save", payload, $('[data-testid="event-save"]', dialog), "Event details saved")) {
      dirty.event = false;
      markDirty(eventForm, false);
    }
  });

  itemForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = itemForm.elements;
    const payload = {
      item_id: itemId,
      title: f.title.value,
      starts_at: f.starts_at.value,
      ends_at: f.ends_at.value,
      facilitator: f.facilitator.value,
      points: f.points.value,
      question_mode: f.question_mode.value,
      questions_to: f.questions_to.value,
    };
    for (const name of ["involves_children", "children_led", "split_by_group", "is_break"]) payload[name] = f[name].checked;
    if (await save("staff:item_save", payload, $('[data-testid="item-save"]', dialog), "Session saved")) {
      dirty.item = false;
      markDirty(itemForm, false);
    }
  });

  for (const button of dialog.querySelectorAll("[data-tab]")) button.addEventListener("click", () => showTab(button.dataset.tab));
  $('[data-action="close"]', dialog).addEventListener("click", () => dialog.close());
  dialog.addEventListener("cancel", (ev) => {
    if ((dirty.event || dirty.item || dirty.days.size) && !confirm("Close without saving your changes?")) ev.preventDefault();
  });

  function open(name = "event", forItem = null) {
    if (!state.view) return;
    itemId = forItem ?? (findItem(itemId) ? itemId : state.selectedItemId);
    fillEvent();
    dayForms.dataset.ids = "";
    renderDays();
    fillItem();
    renderPicker();
    showTab(name);
    lockForRole();
    dialog.showModal();
    const active = picker.querySelector(".picker-item.active");
    if (name === "sessions" && active) active.scrollIntoView({ block: "nearest" });
  }

  // Moderators may read the settings; only facilitators may save them (the server checks too).
  function lockForRole() {
    for (const button of dialog.querySelectorAll('button[type="submit"]')) {
      button.disabled = !canRun();
      button.title = canRun() ? "" : "Only facilitators can change the programme";
    }
  }

  function onState() {
    if (!dialog.open) return;
    if (!dirty.event) fillEvent();
    renderDays();
    lockForRole();
    if (!findItem(itemId)) itemId = state.selectedItemId;
    if (!dirty.item) fillItem();
    renderPicker();
  }

  return { open, onState };
})();

// --- top bar ----------------------------------------------------------------------------------

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall through to the older way */ }
  }
  // Plain http on a venue network is not a secure context: use a temporary text field.
  const area = el("textarea", { class: "sr-only", readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  return ok;
}

$('[data-testid="copy-screen-link"]').addEventListener("click", async (ev) => {
  const ok = await copyText(ev.currentTarget.dataset.copy);
  if (ok) toast("Projector link copied. Open it on the projector's computer.", "ok");
  else toast("Could not copy: use “Open” and copy the address bar.", "error");
});
$('[data-testid="settings-open"]').addEventListener("click", () => settings.open("event"));
for (const button of ui.screenButtons) {
  button.addEventListener("click", () => setScreen(button.dataset.mode, null, button));
}

function setConnection(status) {
  const labels = { online: "Connected", offline: "Reconnecting…", refused: "Not connected" };
  ui.connection.className = `status-pill ${status}`;
  ui.connection.textContent = labels[status] || "Connecting…";
  body.classList.toggle("is-offline", status !== "online");
}

function showBanner(message, link = null) {
  clear(ui.banner);
  ui.banner.append(icon("alert"), el("span", { text: message }));
  if (link) ui.banner.append(el("a", { href: link.href, text: link.text }));
  ui.banner.classList.remove("hidden");
}

function applyRole() {
  body.classList.toggle("read-only", !canRun());
  if (!canRun()) {
    showBanner(`You are logged in as a ${state.me.role}: you can follow the session here, but only facilitators can run polls and the screen.`);
  }
}

// --- connect ----------------------------------------------------------------------------------

const client = new LiveClient({
  role: "staff",
  code: CODE,
  onSnapshot(reply) {
    const view = reply.view;
    if (typeof view.presence === "number") state.presence = view.presence;
    for (const [id, tally] of Object.entries(view.tallies || {})) {
      const previous = state.tallies.get(id);
      if (!previous || tally.seq >= previous.seq) state.tallies.set(id, tally);
    }
    if (view.me) state.me = view.me;
    applyRole();
    applyView(view);
  },
  onState: applyView,
  onTally: applyTally,
  onPresence(data) {
    state.presence = data.participants;
    renderStats();
  },
  onStatus: setConnection,
  onRefused(data) {
    if (data.code === "login_required") {
      showBanner("Your login has expired.", { href: `/staff/login?next=${encodeURIComponent(location.pathname)}`, text: "Log in again" });
    } else {
      showBanner(data.message || "The console could not connect.");
    }
  },
});

decorateIcons();
setConnection("connecting");
client.connect();
installConsoleGroups(client, { notify: toast });

// The live session's question queue, newest seq wins (for the projector preview). The moderation
// panel keeps its own copy; this one only draws the "Questions" preview.
function noteQueue(queue) {
  if (!queue || queue.item_id !== liveItemId()) return false;
  if (state.queue && state.queue.item_id === queue.item_id && state.queue.seq > queue.seq) return false;
  state.queue = queue;
  return true;
}
client.socket.on("queue", (queue) => {
  if (state.view && noteQueue(queue) && state.view.live.screen_mode === "questions") renderSide();
});

// For manual checks in the browser console and for end-to-end tests.
window.roundtableConsole = { state, client, joinUrl: JOIN_URL };
