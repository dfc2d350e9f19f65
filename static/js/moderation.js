// The moderation panel of the facilitator console: the question queue, help requests, the
// highlighted question. A separate module from console.js: it shares console.js's socket
// (window.roundtableConsole.client) and only adds its own listeners and requests.
//
// How it stays correct with several moderators at once:
// - the server is the only truth. A session's queue arrives whole ("queue", the staff "state" and
//   snapshot for the live session, "mod:queue" for another one) with a per-session `seq`; a queue
//   older than the one shown is dropped. An action's acknowledgement only says whether it worked:
//   the change itself shows up through the next queue, on every console at once;
// - every action sends the `version` of the question as this console showed it, so when two
//   moderators act on the same question the server lets one through and tells the other
//   (question_changed), whose card then updates from the next queue;
// - what belongs to this browser only (open tab, chosen session, ticked boxes, an edit or a
//   reject reason being typed) lives outside the data and survives every re-render: cards are
//   kept by id and only rebuilt when what they show changes, so typing is never interrupted.
//
// Every text from participants is inserted with textContent (el() from live.js).
import { el, clear } from "./live.js";
import { svgIcon } from "./icons.js";

const root = document.getElementById("moderation-root");
const body = document.body;

// Tabs of the queue; "closed" gathers both ends of the road.
const TABS = [
  { key: "pending", label: "Waiting", statuses: ["pending"] },
  { key: "published", label: "Published", statuses: ["published"] },
  { key: "answered", label: "Answered", statuses: ["answered"] },
  { key: "closed", label: "Rejected & archived", short: "Rejected · archived", statuses: ["rejected", "archived"] },
];
const STATUS_LABELS = {
  pending: "Waiting",
  published: "Published",
  answered: "Answered",
  rejected: "Rejected",
  archived: "Archived",
};
const SCREEN_LABELS = { join: "join instructions", results: "poll results", agenda: "the agenda", blank: "a blank screen", questions: "the questions" };
const REJECT_PRESETS = ["Personal data", "Abusive or unkind", "Off-topic", "Already answered"];
const MAX_EDIT = 300;
const MAX_REASON = 300;
const ERROR_MS = 9000;

const mod = {
  client: null,
  role: body.dataset.role || "",
  revision: -1,
  view: null, // {event, agenda, live, question_counts} from the newest staff view
  queues: new Map(), // item id -> newest queue seen for that session
  loading: new Set(), // item ids whose queue was asked for
  help: new Map(), // request id -> open help request
  handledHelp: new Set(), // handled while this page was open: never re-added by a late "state"
  alerts: [], // help request ids in the alert banner, newest last
  open: false,
  follow: true, // show the live session (else mod.itemId)
  itemId: null,
  tab: "pending",
  selected: new Set(), // ticked waiting questions
  forms: new Map(), // question id -> {mode: "edit" | "reject", version, text}
  busy: new Set(), // question ids with a request on its way
  errors: new Map(), // question id -> {message, until}
  beeps: 0, // how many alerts sounded (end-to-end tests read it)
  loaded: false, // a first snapshot arrived
};

// --- icons ------------------------------------------------------------------------------------
// Stroke icons drawn with DOM calls, in the style of console.js's (Feather, MIT).
const ICONS = {
  message: ["M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"],
  check: ["M20 6 9 17l-5-5"],
  checks: ["M18 6 7 17l-5-5", "M22 10l-7.5 7.5L13 16"],
  close: ["M18 6 6 18", "M6 6l12 12"],
  edit: ["M12 20h9", "M16.5 3.5a2.12 2.12 0 0 1 3 3L7 19l-4 1 1-4z"],
  ban: ["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M4.9 4.9l14.2 14.2"],
  undo: ["M3 7v6h6", "M21 17a9 9 0 0 0-15-6.7L3 13"],
  star: ["M12 2l3.1 6.3 6.9 1-5 4.9 1.2 6.8L12 17.8 5.8 21l1.2-6.8-5-4.9 6.9-1z"],
  archive: ["M21 8v13H3V8", "M1 3h22v5H1z", "M10 12h4"],
  monitor: ["M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z", "M8 21h8", "M12 17v4"],
  up: ["M12 19V5", "M5 12l7-7 7 7"],
  alert: ["M12 9v4", "M12 17h.01", "M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"],
  lifebuoy: ["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z", "M4.9 4.9l4.3 4.3", "M14.8 14.8l4.3 4.3", "M14.8 9.2l4.3-4.3", "M4.9 19.1l4.3-4.3"],
  flag: ["M4 15s1-1 4-1 5 2 8 2 4-1 4-1V3s-1 1-4 1-5-2-8-2-4 1-4 1z", "M4 22v-7"],
  shield: ["M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"],
  inbox: ["M22 12h-6l-2 3h-4l-2-3H2", "M5.5 5.1 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.5-6.9A2 2 0 0 0 16.8 4H7.2a2 2 0 0 0-1.7 1.1z"],
  user: ["M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2", "M12 3a4 4 0 1 0 0 8 4 4 0 0 0 0-8z"],
  clock: ["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M12 6v6l4 2"],
};

function icon(name, className = "icon") {
  return svgIcon(ICONS[name], className);
}

// --- small helpers ----------------------------------------------------------------------------

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function allItems() {
  if (!mod.view) return [];
  return mod.view.agenda.flatMap((day) => day.items.map((item) => ({ ...item, dayTitle: day.title })));
}

function findItem(id) {
  return allItems().find((item) => item.id === id) || null;
}

function liveItemId() {
  return mod.view ? mod.view.live.item_id : null;
}

function shownItemId() {
  return mod.follow ? liveItemId() : mod.itemId;
}

function highlightedId() {
  return mod.view ? mod.view.live.highlighted_question_id : null;
}

const ZERO = { pending: 0, published: 0, answered: 0, rejected: 0, archived: 0 };

// A held queue is as new as anything we have; otherwise the counts of the latest staff view.
function countsFor(itemId) {
  const queue = mod.queues.get(itemId);
  if (queue) return queue.counts;
  const counts = mod.view && mod.view.question_counts ? mod.view.question_counts[String(itemId)] : null;
  return counts || ZERO;
}

function totalWaiting() {
  const ids = new Set(mod.queues.keys());
  if (mod.view && mod.view.question_counts) for (const key of Object.keys(mod.view.question_counts)) ids.add(Number(key));
  let total = 0;
  for (const id of ids) total += countsFor(id).pending || 0;
  return total;
}

function findQuestion(id) {
  for (const queue of mod.queues.values()) {
    const question = queue.questions.find((q) => q.id === id);
    if (question) return question;
  }
  return null;
}

let clockFormat = null;
function clock(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  if (!clockFormat) {
    const zone = mod.view && mod.view.event && mod.view.event.timezone;
    try {
      clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone || undefined });
    } catch {
      clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    }
  }
  return clockFormat.format(date);
}

function ago(iso) {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

// "09:41 · 3 min ago"; the relative part is refreshed by a timer, not by a re-render.
function timeNode(iso, testid = null) {
  return el("time", { class: "mod-time", datetime: iso, title: iso ? new Date(iso).toLocaleString() : null, "data-testid": testid },
    el("span", { text: clock(iso) }), " · ", el("span", { dataset: { ago: iso || "" }, text: iso ? ago(iso) : "" }));
}

setInterval(() => {
  for (const node of document.querySelectorAll(".moderation [data-ago], .mod-alert [data-ago]")) {
    if (node.dataset.ago) node.textContent = ago(node.dataset.ago);
  }
}, 30000);

function errorText(reply) {
  const error = reply && reply.error;
  if (!error) return "Something went wrong: try again.";
  if (error.code === "question_changed") return "Another moderator already changed this question.";
  if (error.code === "offline") return "No connection to the server: nothing was changed. Try again once it reconnects.";
  if (error.code === "timeout") return "The server did not answer in time: check whether the change arrived before trying again.";
  return error.message || "Something went wrong: try again.";
}

// --- sound ------------------------------------------------------------------------------------
// A short two-tone chime made with an oscillator (no audio file). Browsers keep audio suspended
// until the page has had a user gesture, so the context is made or resumed on the first one.
let audio = null;

function audioContext() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return null;
  if (!audio) audio = new Context();
  return audio;
}

function unlockAudio() {
  const context = audioContext();
  if (context && context.state === "suspended") context.resume().catch(() => {});
}
document.addEventListener("pointerdown", unlockAudio, { capture: true, passive: true });
document.addEventListener("keydown", unlockAudio, { capture: true });

function beep() {
  mod.beeps += 1;
  const context = audioContext();
  if (!context) return;
  if (context.state === "suspended") context.resume().catch(() => {});
  const start = context.currentTime + 0.02;
  [[880, 0], [660, 0.2], [880, 0.4]].forEach(([frequency, offset]) => {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = "sine";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.35, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
    osc.connect(gain).connect(context.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.2);
  });
}

// --- the frame (built once) ------------------------------------------------------------------

const ui = {};

function buildFrame() {
  root.classList.add("moderation");
  root.setAttribute("aria-label", "Questions and help requests");
  root.setAttribute("tabindex", "-1");

  ui.connection = el("span", { class: "mod-conn", "data-testid": "mod-connection", role: "status" });
  ui.close = el("button", { type: "button", class: "mod-icon-button", "aria-label": "Close the questions panel", title: "Close (Esc)", "data-testid": "questions-close", onclick: () => setOpen(false) }, icon("close"));
  ui.session = el("select", { class: "mod-session", "data-testid": "mod-session", "aria-label": "Session whose questions are shown", onchange: onSessionChange });
  ui.screenButton = el("button", { type: "button", class: "mod-button mod-screen", "data-testid": "screen-questions-mod", title: "Show the question wall on the projector", onclick: showOnProjector },
    icon("monitor"), el("span", { text: "Show questions on projector" }));
  ui.sessionMeta = el("p", { class: "mod-session-meta", "data-testid": "mod-session-meta" });
  ui.tabs = el("div", { class: "mod-tabs", role: "tablist", "aria-label": "Questions by status", "data-testid": "mod-tabs" });
  ui.tabButtons = new Map();
  for (const tab of TABS) {
    const count = el("span", { class: "mod-tab-count", "data-testid": `mod-count-${tab.key}`, text: "0" });
    const button = el("button", { type: "button", role: "tab", class: `mod-tab tab-${tab.key}`, "data-testid": `mod-tab-${tab.key}`, onclick: () => setTab(tab.key) },
      el("span", { class: "mod-tab-label", text: tab.short || tab.label }), count);
    ui.tabButtons.set(tab.key, { button, count });
    ui.tabs.append(button);
  }

  ui.helpSection = el("section", { class: "mod-help hidden", "data-testid": "help-section", "aria-labelledby": "mod-help-title" });
  ui.helpCount = el("span", { class: "mod-help-count", "data-testid": "help-count" });
  ui.helpList = el("ul", { class: "mod-help-list", "data-testid": "help-list" });
  ui.helpSection.append(
    el("h3", { class: "mod-help-title", id: "mod-help-title" }, icon("lifebuoy"), el("span", { text: "Help requests" }), ui.helpCount),
    ui.helpList);

  ui.projector = el("div", { class: "mod-projector", "data-testid": "mod-projector" });
  ui.notice = el("div", { class: "mod-notice hidden", role: "alert", "data-testid": "mod-error" });
  ui.toolbar = el("div", { class: "mod-toolbar", "data-testid": "mod-toolbar" });
  ui.list = el("ol", { class: "mod-list", "data-testid": "mod-queue", "aria-live": "off" });
  ui.empty = el("div", { class: "mod-empty hidden", "data-testid": "mod-empty" });
  ui.scroll = el("div", { class: "mod-scroll" }, ui.helpSection, ui.projector, ui.toolbar, ui.notice, ui.list, ui.empty);
  ui.last = el("div", { class: "mod-last hidden", role: "status", "data-testid": "mod-last-action" });

  root.append(
    el("header", { class: "mod-head" },
      el("div", { class: "mod-title-row" },
        el("h2", { class: "mod-title" }, icon("message"), el("span", { text: "Questions" })),
        ui.connection, el("span", { class: "mod-spacer" }), ui.close),
      el("div", { class: "mod-session-row" }, ui.session, ui.screenButton),
      ui.sessionMeta,
      ui.tabs),
    ui.scroll,
    ui.last);

  // The toggle lives in the top bar (added here, so that console.html only holds the container).
  ui.badge = el("span", { class: "mod-badge", "data-testid": "questions-badge", "aria-label": "questions waiting", text: "0" });
  ui.helpBadge = el("span", { class: "mod-badge help hidden", "data-testid": "help-badge" });
  ui.toggle = el("button", { type: "button", class: "tb-button mod-toggle", "data-testid": "questions-toggle", "aria-expanded": "false", "aria-controls": "moderation-root", "aria-label": "Questions", title: "Questions and help requests", onclick: () => setOpen(!mod.open) },
    icon("message"), el("span", { class: "mod-toggle-label", text: "Questions" }), ui.badge, ui.helpBadge);
  const topbar = document.querySelector(".topbar");
  const before = topbar && topbar.querySelector('[data-testid="settings-open"]');
  if (before) before.before(ui.toggle);
  else if (topbar) topbar.append(ui.toggle);
  else document.body.prepend(ui.toggle);

  // The help alert: above everything, whether the panel is open or not.
  ui.alert = el("div", { class: "mod-alert hidden", role: "alert", "data-testid": "help-alert" });
  document.body.append(ui.alert);

  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && mod.open && root.contains(document.activeElement) && !document.querySelector("dialog[open]")) {
      const form = ev.target.closest && ev.target.closest("[data-form-for]");
      if (form) closeForm(Number(form.dataset.formFor));
      else setOpen(false);
    }
  });
}

// The drawer starts under the top bar and under console.js's banner when it shows one (for a
// moderator, or an expired login), so that neither is covered.
function placeDrawer() {
  const topbar = document.querySelector(".topbar");
  const banner = document.querySelector('[data-testid="console-banner"]');
  let top = topbar ? topbar.getBoundingClientRect().bottom : 64;
  if (banner && !banner.classList.contains("hidden")) top = Math.max(top, banner.getBoundingClientRect().bottom);
  root.style.top = `${Math.round(top)}px`;
}

function watchLayout() {
  placeDrawer();
  window.addEventListener("resize", placeDrawer);
  const banner = document.querySelector('[data-testid="console-banner"]');
  if (banner) new MutationObserver(placeDrawer).observe(banner, { attributes: true, childList: true, subtree: true, characterData: true });
}

function setOpen(open, { focus = true } = {}) {
  mod.open = open;
  root.classList.toggle("is-open", open);
  root.toggleAttribute("inert", !open);
  root.setAttribute("aria-hidden", open ? "false" : "true");
  ui.toggle.setAttribute("aria-expanded", open ? "true" : "false");
  ui.toggle.classList.toggle("active", open);
  body.classList.toggle("mod-open", open);
  try { localStorage.setItem("roundtable.moderation.open", open ? "1" : "0"); } catch { /* private mode */ }
  if (open) {
    render();
    if (focus) root.focus({ preventScroll: true });
  } else if (focus && root.contains(document.activeElement)) {
    ui.toggle.focus();
  }
}

function setTab(key) {
  mod.tab = key;
  ui.scroll.scrollTop = 0;
  render();
}

function onSessionChange() {
  const value = ui.session.value;
  if (value === "live") {
    mod.follow = true;
    mod.itemId = null;
  } else {
    mod.follow = false;
    mod.itemId = Number(value);
  }
  mod.selected.clear();
  ui.scroll.scrollTop = 0;
  ensureQueue();
  render();
}

// --- data in ------------------------------------------------------------------------------------

function applyQueue(queue) {
  if (!queue || typeof queue.item_id !== "number") return false;
  const have = mod.queues.get(queue.item_id);
  if (have && queue.seq < have.seq) return false; // late: we already show a newer one
  mod.queues.set(queue.item_id, queue);
  mod.loading.delete(queue.item_id);
  return true;
}

// The parts of a staff view this panel uses (from a snapshot or a "state").
function applyView(view) {
  const previousZone = mod.view && mod.view.event ? mod.view.event.timezone : null;
  mod.view = { event: view.event, agenda: view.agenda || [], live: view.live || {}, question_counts: view.question_counts || {} };
  if (view.event && view.event.timezone !== previousZone) clockFormat = null;
  if (view.queue) applyQueue(view.queue);
  for (const request of view.help || []) {
    if (!mod.handledHelp.has(request.id)) mod.help.set(request.id, request);
  }
}

async function loadSnapshot() {
  const reply = await mod.client.request("snapshot", {});
  if (!reply || !reply.ok) {
    showNotice(errorText(reply));
    return;
  }
  const view = reply.view;
  mod.revision = Math.max(mod.revision, view.revision);
  // After a reconnect, queues of other sessions may have missed changes: forget them (the one
  // on screen is asked for again) and take the open help requests as they are now.
  for (const id of [...mod.queues.keys()]) if (id !== view.live.item_id) mod.queues.delete(id);
  mod.loading.clear();
  const known = new Set(mod.help.keys());
  mod.help.clear();
  mod.handledHelp.clear();
  applyView(view);
  if (view.queue) mod.queues.set(view.queue.item_id, view.queue);
  for (const id of mod.alerts.slice()) if (!mod.help.has(id)) dropAlert(id);
  // Help asked for while this console was offline deserves the same alert (not on the first
  // load: the open requests then show in the list and on the toggle).
  if (mod.loaded) {
    const missed = [...mod.help.values()].filter((request) => !known.has(request.id));
    missed.forEach((request, index) => raiseAlert(request, { sound: index === 0 }));
  }
  mod.loaded = true;
  ensureQueue();
  render();
}

// Ask for the shown session's queue if we do not hold it (the live one comes with every view).
async function ensureQueue() {
  const id = shownItemId();
  if (id === null || id === undefined || mod.queues.has(id) || mod.loading.has(id) || !mod.client) return;
  mod.loading.add(id);
  const reply = await mod.client.request("mod:queue", { item_id: id });
  mod.loading.delete(id);
  if (reply && reply.ok) applyQueue(reply.queue);
  else showNotice(errorText(reply));
  render();
}

function onState(view) {
  if (typeof view.revision !== "number" || view.revision <= mod.revision) return;
  mod.revision = view.revision;
  applyView(view);
  ensureQueue();
  render();
}

function onQueue(queue) {
  if (applyQueue(queue)) render();
}

function onHelp(data) {
  const request = data && data.request;
  if (!request) return;
  if (data.alert && request.status === "open" && !mod.handledHelp.has(request.id)) {
    mod.help.set(request.id, request);
    raiseAlert(request);
  } else if (request.status !== "open") {
    mod.help.delete(request.id);
    mod.handledHelp.add(request.id);
    dropAlert(request.id);
  }
  render();
}

// --- actions ------------------------------------------------------------------------------------

async function request(name, payload) {
  return (await mod.client.request(name, payload)) || { ok: false };
}

function cardError(id, message) {
  mod.errors.set(id, { message, until: Date.now() + ERROR_MS });
  setTimeout(() => {
    const entry = mod.errors.get(id);
    if (entry && entry.until <= Date.now()) {
      mod.errors.delete(id);
      render();
    }
  }, ERROR_MS + 50);
}

// One question's transition: the card is busy until the server answers.
async function moderate(name, question, extra = {}, { done } = {}) {
  mod.busy.add(question.id);
  mod.errors.delete(question.id);
  hideLast(); // it would offer to undo an older action
  render();
  const reply = await request(name, { question_id: question.id, version: question.version, ...extra });
  mod.busy.delete(question.id);
  if (reply.ok) {
    mod.forms.delete(question.id);
    mod.selected.delete(question.id);
    if (reply.question && done) showLast(done, reply.question);
  } else {
    cardError(question.id, errorText(reply));
  }
  render();
  return reply;
}

const approve = (q) => moderate("mod:approve", q, {}, { done: "Approved" });
const answer = (q) => moderate("mod:answer", q, {}, { done: "Marked answered" });
const archive = (q) => moderate("mod:archive", q, {}, { done: "Archived" });
const undo = (q) => moderate("mod:undo", q, {}, {});

async function approveEdited(question) {
  const form = mod.forms.get(question.id);
  const text = form ? form.text.trim() : "";
  if (!text) {
    cardError(question.id, "The question cannot be empty.");
    render();
    return;
  }
  await moderate("mod:approve", { ...question, version: form.version }, { text }, { done: "Approved with your edit" });
}

async function reject(question) {
  const form = mod.forms.get(question.id);
  const reason = form ? form.text.trim() : "";
  await moderate("mod:reject", { ...question, version: form ? form.version : question.version }, reason ? { reason } : {}, { done: "Rejected" });
}

async function setHighlight(questionId) {
  const busyId = questionId === null ? highlightedId() : questionId;
  if (busyId !== null) mod.busy.add(busyId);
  render();
  const reply = await request("mod:highlight", { question_id: questionId });
  if (busyId !== null) mod.busy.delete(busyId);
  if (!reply.ok) {
    if (busyId !== null) cardError(busyId, errorText(reply));
    else showNotice(errorText(reply));
  } else if (mod.view) {
    // The "state" that follows says the same; showing it now makes the click feel immediate.
    mod.view.live.highlighted_question_id = reply.highlighted_question_id;
  }
  render();
}

async function approveSelected() {
  const questions = shownQuestions().filter((q) => q.status === "pending" && mod.selected.has(q.id));
  if (!questions.length) return;
  ui.approveSelected.disabled = true;
  for (const q of questions) mod.busy.add(q.id);
  render();
  const reply = await request("mod:approve_many", { items: questions.map((q) => ({ question_id: q.id, version: q.version })) });
  for (const q of questions) mod.busy.delete(q.id);
  if (reply.ok) {
    for (const q of reply.approved) {
      mod.selected.delete(q.id);
      mod.forms.delete(q.id);
    }
    for (const skip of reply.skipped) {
      mod.selected.delete(skip.question_id);
      cardError(skip.question_id, errorText({ error: skip.error }));
    }
    if (reply.skipped.length) {
      showNotice(`${plural(reply.approved.length, "question")} approved; ${reply.skipped.length} skipped: another moderator changed ${reply.skipped.length === 1 ? "it" : "them"}.`);
    }
    if (reply.approved.length) showLast(`Approved ${plural(reply.approved.length, "question")}`, reply.approved.length === 1 ? reply.approved[0] : null);
  } else {
    showNotice(errorText(reply));
  }
  render();
}

async function handleHelp(id, button) {
  button.disabled = true;
  const reply = await request("help:handle", { request_id: id });
  if (reply.ok) {
    mod.help.delete(id);
    mod.handledHelp.add(id);
    dropAlert(id);
  } else if (reply.error && reply.error.code === "already_handled") {
    mod.help.delete(id);
    mod.handledHelp.add(id);
    dropAlert(id);
    showNotice("Another facilitator already handled this request.");
  } else {
    button.disabled = false;
    showNotice(errorText(reply));
  }
  render();
}

async function showOnProjector() {
  ui.screenButton.disabled = true;
  const reply = await request("staff:screen", { mode: "questions" });
  ui.screenButton.disabled = false;
  if (reply.ok) return;
  // The server's own words, with what they mean here (its message for a refused role is generic).
  const refused = reply.error && reply.error.code === "forbidden";
  showNotice(refused ? `Only facilitators can change what the projector shows. ${errorText(reply)}` : errorText(reply));
}

// --- notices ------------------------------------------------------------------------------------

let noticeTimer = null;
function showNotice(message) {
  clear(ui.notice);
  ui.notice.append(icon("alert"), el("span", { class: "mod-notice-text", text: message }),
    el("button", { type: "button", class: "mod-icon-button", "aria-label": "Dismiss", onclick: hideNotice }, icon("close")));
  ui.notice.classList.remove("hidden");
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(hideNotice, ERROR_MS);
}

function hideNotice() {
  ui.notice.classList.add("hidden");
}

// "Approved “…” · Undo": the last action, undoable for a few seconds even after its card left the tab.
let lastTimer = null;
function showLast(message, question) {
  clear(ui.last);
  ui.last.append(icon("check"), el("span", { class: "mod-last-text" },
    el("strong", { text: message }),
    question ? el("span", { class: "mod-last-q", text: ` “${question.text}”` }) : null));
  if (question && question.previous_status) {
    ui.last.append(el("button", { type: "button", class: "mod-last-undo", "data-testid": "mod-last-undo", onclick: async () => {
      hideLast();
      const reply = await request("mod:undo", { question_id: question.id, version: question.version });
      if (!reply.ok) showNotice(errorText(reply));
    } }, icon("undo"), "Undo"));
  }
  ui.last.classList.remove("hidden");
  clearTimeout(lastTimer);
  lastTimer = setTimeout(hideLast, 6000);
}

function hideLast() {
  ui.last.classList.add("hidden");
}

// --- help alert -----------------------------------------------------------------------------------

function raiseAlert(request, { sound = true } = {}) {
  if (!mod.alerts.includes(request.id)) mod.alerts.push(request.id);
  if (sound) beep();
  renderAlert();
  ui.alert.classList.remove("pop");
  void ui.alert.offsetWidth; // restart the attention animation
  ui.alert.classList.add("pop");
}

function dropAlert(id) {
  mod.alerts = mod.alerts.filter((other) => other !== id);
  renderAlert();
}

let alertSignature = "";
function renderAlert() {
  const ids = mod.alerts.filter((id) => mod.help.has(id));
  mod.alerts = ids;
  // Rebuilt only when it changes, so that a focused button keeps its focus.
  const signature = JSON.stringify(ids.map((id) => mod.help.get(id)));
  if (signature === alertSignature) return;
  alertSignature = signature;
  clear(ui.alert);
  if (!ids.length) {
    ui.alert.classList.add("hidden");
    return;
  }
  const newest = mod.help.get(ids[ids.length - 1]);
  const what = newest.kind === "report" ? "Report" : "Help request";
  const detail = [newest.item_title ? `during “${newest.item_title}”` : null, clock(newest.created_at)].filter(Boolean).join(" · ");
  ui.alert.append(
    el("span", { class: "mod-alert-icon" }, icon("lifebuoy")),
    el("div", { class: "mod-alert-body" },
      el("p", { class: "mod-alert-title", text: ids.length > 1 ? `${ids.length} new help requests from participants` : `${what} from a participant` }),
      el("p", { class: "mod-alert-text", text: newest.message ? `“${newest.message}”` : "No message: the participant pressed “I need help”." }),
      detail ? el("p", { class: "mod-alert-meta", text: detail }) : null),
    el("button", { type: "button", class: "mod-alert-view", "data-testid": "help-alert-view", onclick: () => {
      setOpen(true);
      ui.scroll.scrollTop = 0;
      clearAlerts();
    } }, "View"),
    el("button", { type: "button", class: "mod-alert-close", "aria-label": "Dismiss the alert (the request stays in the list)", title: "Dismiss", "data-testid": "help-alert-dismiss", onclick: clearAlerts }, icon("close")));
  ui.alert.classList.remove("hidden");
}

function clearAlerts() {
  mod.alerts = [];
  renderAlert();
}

// --- rendering ------------------------------------------------------------------------------------

function shownQueue() {
  const id = shownItemId();
  return id === null || id === undefined ? null : mod.queues.get(id) || null;
}

function shownQuestions() {
  const queue = shownQueue();
  return queue ? queue.questions : [];
}

function render() {
  if (!ui.toggle) return;
  renderToggle();
  renderAlert();
  if (!mod.open || !mod.view) {
    renderConnection();
    return;
  }
  pruneLocal();
  renderConnection();
  renderSessionPicker();
  renderTabs();
  renderHelp();
  renderProjector();
  renderToolbar();
  renderList();
}

// Forget ticks, forms and busy marks of questions that moved on.
function pruneLocal() {
  const byId = new Map(shownQuestions().map((q) => [q.id, q]));
  for (const id of [...mod.selected]) {
    const q = byId.get(id);
    if (!q || q.status !== "pending") mod.selected.delete(id);
  }
  for (const [id, form] of [...mod.forms]) {
    const q = findQuestion(id);
    const allowed = form.mode === "edit" ? ["pending"] : ["pending", "published"];
    if (!q || !allowed.includes(q.status)) mod.forms.delete(id);
  }
}

function renderToggle() {
  const waiting = totalWaiting();
  ui.badge.textContent = String(waiting);
  ui.badge.classList.toggle("zero", waiting === 0);
  ui.badge.setAttribute("aria-label", `${plural(waiting, "question")} waiting for a moderator`);
  ui.toggle.title = `${plural(waiting, "question")} waiting for a moderator${mod.help.size ? `, ${plural(mod.help.size, "open help request")}` : ""}`;
  ui.toggle.setAttribute("aria-label", `Questions: ${waiting} waiting${mod.help.size ? `, ${plural(mod.help.size, "help request")}` : ""}`);
  ui.helpBadge.classList.toggle("hidden", mod.help.size === 0);
  clear(ui.helpBadge);
  if (mod.help.size) ui.helpBadge.append(icon("lifebuoy"), String(mod.help.size));
  ui.helpBadge.setAttribute("aria-label", plural(mod.help.size, "open help request"));
  ui.toggle.classList.toggle("has-help", mod.help.size > 0);
}

function renderConnection() {
  const online = mod.client && mod.client.socket && mod.client.socket.connected;
  ui.connection.textContent = online ? "" : "Reconnecting…";
  ui.connection.classList.toggle("hidden", Boolean(online));
  root.classList.toggle("is-offline", !online);
}

let pickerSignature = "";
function renderSessionPicker() {
  const live = liveItemId();
  const items = allItems().filter((item) => !item.is_break || countsFor(item.id).pending + countsFor(item.id).published > 0);
  const liveItem = findItem(live);
  const options = [["live", liveItem ? `Live now: ${liveItem.title}` : "Live session (nothing is live)", null]];
  let day = null;
  for (const item of items) {
    if (item.dayTitle !== day) {
      day = item.dayTitle;
      options.push(["group", day, null]);
    }
    const waiting = countsFor(item.id).pending;
    const total = Object.values(countsFor(item.id)).reduce((a, b) => a + b, 0);
    const tail = waiting ? ` · ${waiting} waiting` : total ? ` · ${plural(total, "question")}` : "";
    options.push([String(item.id), `${item.starts_at}  ${item.title}${item.id === live ? " (live)" : ""}${tail}`, item.id]);
  }
  const value = mod.follow ? "live" : String(mod.itemId);
  const signature = JSON.stringify([options, value]);
  if (signature !== pickerSignature) {
    // Rebuilt only when something changed, so an open drop-down is not closed under the pointer.
    pickerSignature = signature;
    clear(ui.session);
    let group = ui.session;
    for (const [key, label] of options) {
      if (key === "group") {
        group = el("optgroup", { label });
        ui.session.append(group);
      } else if (key === "live") {
        ui.session.append(el("option", { value: key, text: label }));
      } else {
        group.append(el("option", { value: key, text: label }));
      }
    }
    ui.session.value = value;
  }

  const item = findItem(shownItemId());
  clear(ui.sessionMeta);
  if (item) {
    const isLive = item.id === live;
    const chips = [];
    chips.push(el("span", { class: `mod-chip ${isLive ? "live" : "quiet"}`, text: isLive ? "Live" : "Not live" }));
    if (item.question_mode === "premoderated" || item.involves_children) chips.push(el("span", { class: "mod-chip mode", text: "Pre-moderated: every question waits" }));
    else if (item.question_mode === "open") chips.push(el("span", { class: "mod-chip mode", text: "Open: published unless flagged" }));
    else chips.push(el("span", { class: "mod-chip quiet", text: "Closed to new questions" }));
    if (item.involves_children) chips.push(el("span", { class: "mod-chip children", text: "Children: names hidden" }));
    if (item.questions_to) chips.push(el("span", { class: "mod-chip to", text: `To ${item.questions_to}` }));
    ui.sessionMeta.append(...chips);
  }
  ui.sessionMeta.classList.toggle("hidden", !item);

  const mode = mod.view.live.screen_mode;
  const onScreen = mode === "questions";
  ui.screenButton.classList.toggle("active", onScreen);
  ui.screenButton.setAttribute("aria-pressed", onScreen ? "true" : "false");
  ui.screenButton.lastChild.textContent = onScreen ? "Questions on projector" : "Show questions on projector";
  ui.screenButton.title = onScreen ? "The projector shows the question wall" : `The projector shows ${SCREEN_LABELS[mode] || mode}: show the question wall instead`;
}

function renderTabs() {
  const counts = shownQueue() ? shownQueue().counts : countsFor(shownItemId());
  for (const tab of TABS) {
    const { button, count } = ui.tabButtons.get(tab.key);
    const n = tab.statuses.reduce((sum, status) => sum + (counts[status] || 0), 0);
    count.textContent = String(n);
    count.classList.toggle("zero", n === 0);
    const active = tab.key === mod.tab;
    button.classList.toggle("active", active);
    button.setAttribute("aria-selected", active ? "true" : "false");
    button.setAttribute("aria-label", `${tab.label}: ${n}`);
  }
}

function renderHelp() {
  const requests = [...mod.help.values()].sort((a, b) => a.id - b.id);
  ui.helpSection.classList.toggle("hidden", requests.length === 0);
  ui.helpCount.textContent = String(requests.length);
  clear(ui.helpList);
  for (const request of requests) {
    const isNew = mod.alerts.includes(request.id);
    ui.helpList.append(el("li", { class: `mod-help-item${isNew ? " is-new" : ""}`, "data-testid": `help-${request.id}` },
      el("div", { class: "mod-help-top" },
        el("span", { class: `mod-kind ${request.kind}`, text: request.kind === "report" ? "Report" : "Needs help" }),
        request.item_title ? el("span", { class: "mod-help-session", text: request.item_title }) : el("span", { class: "mod-help-session", text: "Between sessions" }),
        timeNode(request.created_at)),
      request.message
        ? el("p", { class: "mod-help-message", "data-testid": `help-message-${request.id}`, text: request.message })
        : el("p", { class: "mod-help-message empty", text: "No message: the participant pressed “I need help”." }),
      request.reasons && request.reasons.length
        ? el("div", { class: "mod-reasons" }, request.reasons.map((reason) => el("span", { class: "mod-reason", text: reason })))
        : null,
      el("div", { class: "mod-help-actions" },
        el("span", { class: "mod-help-hint", text: "Private: never shown on the wall or the projector." }),
        el("button", { type: "button", class: "mod-button primary small", "data-testid": `handle-${request.id}`, onclick: (ev) => handleHelp(request.id, ev.currentTarget) }, icon("check"), "Mark handled"))));
  }
}

function renderProjector() {
  clear(ui.projector);
  const id = highlightedId();
  if (id === null || id === undefined) {
    ui.projector.classList.add("hidden");
    return;
  }
  ui.projector.classList.remove("hidden");
  const question = findQuestion(id);
  const tab = TABS.find((t) => t.key === mod.tab);
  if (question && question.item_id === shownItemId() && tab.statuses.includes(question.status)) {
    // Its card, right below, is marked already.
    ui.projector.classList.add("hidden");
    return;
  }
  const onScreen = mod.view.live.screen_mode === "questions";
  ui.projector.append(
    el("span", { class: "mod-projector-icon" }, icon("star")),
    el("div", { class: "mod-projector-body" },
      el("p", { class: "mod-projector-label", text: onScreen ? "Highlighted on the projector" : `Highlighted (the projector shows ${SCREEN_LABELS[mod.view.live.screen_mode] || "something else"} now)` }),
      el("p", { class: "mod-projector-text", "data-testid": "highlighted-text", text: question ? question.text : "A question from another session" })),
    el("button", { type: "button", class: "mod-button small", "data-testid": "unhighlight", onclick: () => setHighlight(null) }, icon("close"), "Remove highlight"));
}

function renderToolbar() {
  clear(ui.toolbar);
  const queue = shownQueue();
  const waiting = shownQuestions().filter((q) => q.status === "pending");
  if (mod.tab !== "pending" || !queue || waiting.length === 0) {
    ui.toolbar.classList.add("hidden");
    ui.approveSelected = null;
    return;
  }
  ui.toolbar.classList.remove("hidden");
  const ticked = waiting.filter((q) => mod.selected.has(q.id)).length;
  const all = el("input", { type: "checkbox", class: "mod-check", "data-testid": "select-all", "aria-label": "Select every waiting question" });
  all.checked = ticked > 0 && ticked === waiting.length;
  all.indeterminate = ticked > 0 && ticked < waiting.length;
  all.addEventListener("change", () => {
    if (all.checked) for (const q of waiting) mod.selected.add(q.id);
    else mod.selected.clear();
    render();
  });
  ui.approveSelected = el("button", { type: "button", class: "mod-button primary small", "data-testid": "approve-selected", disabled: ticked === 0, onclick: approveSelected },
    icon("checks"), ticked ? `Approve selected (${ticked})` : "Approve selected");
  ui.toolbar.append(
    el("label", { class: "mod-select-all" }, all, el("span", { text: ticked ? `${ticked} of ${waiting.length} selected` : "Select all" })),
    el("span", { class: "mod-spacer" }),
    ui.approveSelected);
}

// Cards are kept by question id and rebuilt only when what they show changes; the list is then
// put in order by moving nodes, never by detaching them all (a focused field keeps its focus).
const cards = new Map(); // id -> {signature, node}

function sortFor(tab, questions) {
  const list = questions.slice();
  const newest = (a, b) => (b.moderated_at || b.created_at).localeCompare(a.moderated_at || a.created_at) || b.id - a.id;
  if (tab === "published") {
    const hl = highlightedId();
    list.sort((a, b) => (b.id === hl) - (a.id === hl) || b.upvotes - a.upvotes || b.created_at.localeCompare(a.created_at) || b.id - a.id);
  } else if (tab !== "pending") {
    list.sort(newest);
  }
  return list;
}

function renderList() {
  const queue = shownQueue();
  const tab = TABS.find((t) => t.key === mod.tab);
  const questions = sortFor(tab.key, shownQuestions().filter((q) => tab.statuses.includes(q.status)));
  const wanted = questions.map((q) => cardFor(q));
  const keep = new Set(wanted);
  for (const child of [...ui.list.children]) if (!keep.has(child)) child.remove();
  wanted.forEach((node, index) => {
    if (ui.list.children[index] !== node) ui.list.insertBefore(node, ui.list.children[index] || null);
  });
  for (const [id, entry] of [...cards]) if (!entry.node.isConnected) cards.delete(id);

  clear(ui.empty);
  const id = shownItemId();
  let empty = null;
  if (id === null || id === undefined) {
    empty = ["Nothing is live", "Questions go to the live session. Press Go live on a session, or pick one above to see its questions."];
  } else if (!queue) {
    empty = ["Loading the questions…", ""];
  } else if (!questions.length) {
    empty = {
      pending: ["No question is waiting", "New questions from phones appear here at once."],
      published: ["Nothing published yet", "Approved questions show here, on phones and on the projector’s wall."],
      answered: ["No answered question", "Mark a published question answered once the panel has taken it."],
      closed: ["Nothing rejected or archived", "Rejected and archived questions stay here, with Undo."],
    }[tab.key];
  }
  ui.empty.classList.toggle("hidden", !empty);
  if (empty) {
    ui.empty.append(el("span", { class: "mod-empty-icon" }, icon(tab.key === "pending" ? "inbox" : "message")),
      el("p", { class: "mod-empty-title", text: empty[0] }),
      empty[1] ? el("p", { class: "mod-empty-text", text: empty[1] }) : null);
  }
}

function cardFor(question) {
  const form = mod.forms.get(question.id);
  const error = mod.errors.get(question.id);
  const highlighted = highlightedId() === question.id;
  const signature = JSON.stringify([question, highlighted, mod.selected.has(question.id), form ? [form.mode, form.version] : null,
    error ? error.message : null, mod.busy.has(question.id)]);
  const cached = cards.get(question.id);
  if (cached && cached.signature === signature) return cached.node;
  const node = buildCard(question, { form, error, highlighted });
  if (cached && cached.node.isConnected) {
    // Keep the caret where it was if a field of this card had the focus.
    const active = document.activeElement;
    const focusId = active && cached.node.contains(active) ? active.dataset.testid : null;
    const selection = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    cached.node.replaceWith(node);
    if (focusId) {
      const again = node.querySelector(`[data-testid="${CSS.escape(focusId)}"]`);
      if (again && !again.disabled) {
        again.focus({ preventScroll: true });
        if (selection && "setSelectionRange" in again) try { again.setSelectionRange(...selection); } catch { /* not a text field */ }
      }
    }
  }
  cards.set(question.id, { signature, node });
  return node;
}

// The question's text, with what the safety check found marked (findings are code-point offsets).
function textWithFindings(question) {
  const p = el("p", { class: "mod-text", "data-testid": `q-text-${question.id}` });
  const findings = (question.findings || []).slice().sort((a, b) => a.start - b.start);
  if (!findings.length) {
    p.textContent = question.text;
    return p;
  }
  const chars = Array.from(question.text);
  let at = 0;
  for (const finding of findings) {
    if (finding.start < at) continue; // overlapping: the first one marks it
    if (finding.start > at) p.append(chars.slice(at, finding.start).join(""));
    p.append(el("mark", { class: "mod-finding", title: finding.reason, text: chars.slice(finding.start, finding.end).join("") }));
    at = finding.end;
  }
  if (at < chars.length) p.append(chars.slice(at).join(""));
  return p;
}

function button(label, iconName, testid, onclick, { kind = "", disabled = false, title = null } = {}) {
  return el("button", { type: "button", class: `mod-button small ${kind}`.trim(), "data-testid": testid, disabled, title, onclick }, icon(iconName), label);
}

function buildCard(question, { form, error, highlighted }) {
  const id = question.id;
  const busy = mod.busy.has(id);
  const pending = question.status === "pending";
  const node = el("li", {
    class: `mod-card status-${question.status}${question.flagged ? " is-flagged" : ""}${highlighted ? " is-highlighted" : ""}${busy ? " is-busy" : ""}`,
    "data-testid": `q-${id}`, dataset: { status: question.status, version: String(question.version) },
  });

  // Top line: tick box (waiting), time, upvotes, name, markers.
  const top = el("div", { class: "mod-card-top" });
  if (pending) {
    const tick = el("input", { type: "checkbox", class: "mod-check", "data-testid": `select-${id}`, "aria-label": "Select for approving several at once" });
    tick.checked = mod.selected.has(id);
    tick.addEventListener("change", () => {
      if (tick.checked) mod.selected.add(id);
      else mod.selected.delete(id);
      render();
    });
    top.append(tick);
  }
  top.append(timeNode(question.created_at));
  top.append(el("span", { class: `mod-votes${question.upvotes ? "" : " zero"}`, title: "Upvotes", "data-testid": `votes-${id}` }, icon("up"), String(question.upvotes)));
  if (question.name) top.append(el("span", { class: "mod-name", title: "Name given by the participant" }, icon("user"), el("span", { text: question.name })));
  top.append(el("span", { class: "mod-spacer" }));
  if (highlighted) top.append(el("span", { class: "mod-onscreen", "data-testid": `highlighted-${id}` }, icon("star"), "On the projector"));
  if (!pending && question.status !== "published") top.append(el("span", { class: `mod-status ${question.status}`, text: STATUS_LABELS[question.status] }));
  if (question.previous_status) {
    top.append(el("button", { type: "button", class: "mod-undo", "data-testid": `undo-${id}`, disabled: busy,
      title: `Undo: back to ${STATUS_LABELS[question.previous_status].toLowerCase()}`, onclick: () => undo(question) }, icon("undo"), "Undo"));
  }
  node.append(top);

  // Why it waits.
  if (pending) {
    node.append(el("div", { class: "mod-reasons", "data-testid": `reasons-${id}` },
      question.flagged
        ? question.reasons.map((reason) => el("span", { class: "mod-reason" }, icon("flag"), el("span", { text: reason })))
        : el("span", { class: "mod-reason premod" }, icon("shield"), el("span", { text: "Pre-moderated session" }))));
  }

  node.append(textWithFindings(question));

  // History a moderator should know about.
  const notes = [];
  if (question.original_text) notes.push(el("p", { class: "mod-note" }, el("strong", { text: "Edited. As asked: " }), el("span", { class: "mod-original", text: question.original_text })));
  if (question.status === "rejected" && question.reject_reason) notes.push(el("p", { class: "mod-note" }, el("strong", { text: "Private reason: " }), el("span", { text: question.reject_reason })));
  if (question.status === "rejected" && question.reasons.length) notes.push(el("div", { class: "mod-reasons quiet" }, question.reasons.map((r) => el("span", { class: "mod-reason" }, icon("flag"), el("span", { text: r })))));
  if (question.moderated_by && question.moderated_at && !pending) {
    notes.push(el("p", { class: "mod-by", text: `${STATUS_LABELS[question.status]} by ${question.moderated_by} at ${clock(question.moderated_at)}` }));
  }
  node.append(...notes);

  if (form) node.append(form.mode === "edit" ? editForm(question, form) : rejectForm(question, form));
  if (error) node.append(el("p", { class: "mod-card-error", role: "alert", "data-testid": `error-${id}` }, icon("alert"), el("span", { text: error.message })));

  // Actions, by status.
  const actions = el("div", { class: "mod-actions" });
  const off = busy;
  if (pending) {
    actions.append(
      button("Approve", "check", `approve-${id}`, () => approve(question), { kind: "primary", disabled: off }),
      button(question.flagged ? "Edit / redact" : "Edit", "edit", `edit-${id}`, () => openForm(question, "edit"), { disabled: off }),
      button("Reject", "ban", `reject-${id}`, () => openForm(question, "reject"), { kind: "danger", disabled: off }));
  } else if (question.status === "published" || question.status === "answered") {
    actions.append(highlighted
      ? button("Remove highlight", "close", `highlight-${id}`, () => setHighlight(null), { kind: "onscreen", disabled: off, title: "Take this question off the projector" })
      : button("Highlight", "star", `highlight-${id}`, () => setHighlight(id), { disabled: off, title: "Highlight on the projector: shown large, one question at a time" }));
    if (question.status === "published") actions.append(button("Mark answered", "check", `answer-${id}`, () => answer(question), { kind: "primary", disabled: off }));
    actions.append(button("Archive", "archive", `archive-${id}`, () => archive(question), { disabled: off, title: "Take it off the wall, without rejecting it" }));
    if (question.status === "published") actions.append(button("Reject", "ban", `reject-${id}`, () => openForm(question, "reject"), { kind: "danger", disabled: off }));
  }
  // While a form is open, its own buttons are the way forward.
  if (actions.childElementCount && !form) node.append(actions);
  return node;
}

function openForm(question, mode) {
  const text = mode === "edit" ? (question.flagged && question.suggested_text ? question.suggested_text : question.text) : "";
  mod.forms.set(question.id, { mode, version: question.version, text });
  mod.errors.delete(question.id);
  render();
  const field = ui.list.querySelector(`[data-testid="${mode === "edit" ? "edit-text" : "reject-reason"}-${question.id}"]`);
  if (field) {
    field.focus();
    if (mode === "edit") field.setSelectionRange(field.value.length, field.value.length);
  }
}

function closeForm(id) {
  mod.forms.delete(id);
  render();
  const back = ui.list.querySelector(`[data-testid="approve-${id}"], [data-testid="reject-${id}"]`);
  if (back) back.focus();
}

function editForm(question, form) {
  const id = question.id;
  const count = el("span", { class: "mod-form-count" });
  const area = el("textarea", { class: "mod-textarea", rows: 3, maxlength: MAX_EDIT, "data-testid": `edit-text-${id}`, "aria-label": "Question text to publish" });
  area.value = form.text;
  const approveButton = button("Approve edited", "check", `approve-edited-${id}`, () => approveEdited(question), { kind: "primary", disabled: mod.busy.has(id) });
  const update = () => {
    form.text = area.value;
    count.textContent = `${area.value.length}/${MAX_EDIT}`;
    approveButton.disabled = !area.value.trim() || mod.busy.has(id);
  };
  area.addEventListener("input", update);
  area.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      if (!approveButton.disabled) approveEdited(question);
    }
  });
  update();
  const hint = question.flagged && question.suggested_text
    ? "What the check found is replaced by [removed]. Change anything before publishing; the text as asked stays visible to moderators."
    : "Publish your edit instead of the text as asked (moderators still see the original).";
  return el("div", { class: "mod-form edit", dataset: { formFor: String(id) } },
    el("label", { class: "mod-form-label", text: "Edit before approving" }),
    area,
    el("div", { class: "mod-form-foot" },
      el("p", { class: "mod-form-hint", text: hint }), count),
    el("div", { class: "mod-form-actions" },
      approveButton,
      button("Cancel", "close", `edit-cancel-${id}`, () => closeForm(id), { kind: "ghost" })));
}

function rejectForm(question, form) {
  const id = question.id;
  const input = el("input", { type: "text", class: "mod-input", maxlength: MAX_REASON, "data-testid": `reject-reason-${id}`,
    placeholder: "Private reason (optional)", "aria-label": "Private reason for rejecting (only staff see it)" });
  input.value = form.text;
  input.addEventListener("input", () => { form.text = input.value; });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      reject(question);
    }
  });
  const presets = el("div", { class: "mod-presets" }, REJECT_PRESETS.map((preset) =>
    el("button", { type: "button", class: "mod-preset", onclick: () => {
      input.value = preset;
      form.text = preset;
      input.focus();
    } }, preset)));
  return el("div", { class: "mod-form reject", dataset: { formFor: String(id) } },
    el("label", { class: "mod-form-label", text: "Reject this question" }),
    el("p", { class: "mod-form-hint", text: "The participant only sees that it was not published. The reason stays with the moderators." }),
    input, presets,
    el("div", { class: "mod-form-actions" },
      button("Reject question", "ban", `reject-confirm-${id}`, () => reject(question), { kind: "danger-solid", disabled: mod.busy.has(id) }),
      button("Cancel", "close", `reject-cancel-${id}`, () => closeForm(id), { kind: "ghost" })));
}

// --- start ----------------------------------------------------------------------------------------

function attach(client) {
  mod.client = client;
  const socket = client.socket;
  socket.on("queue", onQueue);
  socket.on("help", onHelp);
  socket.on("state", onState);
  socket.on("connect", loadSnapshot);
  socket.on("disconnect", render);
  if (socket.connected) loadSnapshot();
  render();
}

// console.js sets window.roundtableConsole once its module has run (normally before this one):
// wait for it briefly if it is not there yet.
function start(attempt = 0) {
  const consoleApi = window.roundtableConsole;
  if (consoleApi && consoleApi.client && consoleApi.client.socket) {
    attach(consoleApi.client);
    return;
  }
  if (attempt === 100) {
    showNotice("The console did not start: reload the page.");
    return;
  }
  setTimeout(() => start(attempt + 1), 100);
}

if (root) {
  buildFrame();
  watchLayout();
  let saved = null;
  try { saved = localStorage.getItem("roundtable.moderation.open"); } catch { /* private mode */ }
  // Moderators come for the questions: open the panel for them unless they closed it before.
  setOpen(saved === null ? mod.role === "moderator" : saved === "1", { focus: false });
  start();
  window.roundtableModeration = mod;
}
