// The moderation panel's state, shared by its modules (panel.js wires them).
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
import { el } from "../live.js";
import { itemsOf } from "../console/store.js";
import { t } from "../i18n.js";

export const root = document.getElementById("moderation-root");

// Tabs of the queue; "closed" gathers both ends of the road.
export const TABS = [
  { key: "pending", label: t("Waiting"), statuses: ["pending"] },
  { key: "published", label: t("Published"), statuses: ["published"] },
  { key: "answered", label: t("Answered"), statuses: ["answered"] },
  { key: "closed", label: t("Rejected & archived"), short: t("Rejected · archived"), statuses: ["rejected", "archived"] },
];
export const STATUS_LABELS = {
  pending: t("Waiting"),
  published: t("Published"),
  answered: t("Answered"),
  rejected: t("Rejected"),
  archived: t("Archived"),
};
export const ERROR_MS = 9000;

export const mod = {
  client: null,
  role: document.body.dataset.role || "",
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
  realerts: 0, // how many times an untaken help request was alerted again
  loaded: false, // a first snapshot arrived
  render: () => {}, // panel.js: redraw what changed
};

// The panel's nodes, built once (frame.js).
export const ui = {};

// --- small helpers ----------------------------------------------------------------------------

export function modItems() {
  return itemsOf(mod.view);
}

export function findModItem(id) {
  return modItems().find((item) => item.id === id) || null;
}

export function modLiveItemId() {
  return mod.view ? mod.view.live.item_id : null;
}

export function shownItemId() {
  return mod.follow ? modLiveItemId() : mod.itemId;
}

export function highlightedId() {
  return mod.view ? mod.view.live.highlighted_question_id : null;
}

const ZERO = { pending: 0, published: 0, answered: 0, rejected: 0, archived: 0 };

// A held queue is as new as anything we have; otherwise the counts of the latest staff view.
export function countsFor(itemId) {
  const queue = mod.queues.get(itemId);
  if (queue) return queue.counts;
  const counts = mod.view && mod.view.question_counts ? mod.view.question_counts[String(itemId)] : null;
  return counts || ZERO;
}

export function totalWaiting() {
  const ids = new Set(mod.queues.keys());
  if (mod.view && mod.view.question_counts) for (const key of Object.keys(mod.view.question_counts)) ids.add(Number(key));
  let total = 0;
  for (const id of ids) total += countsFor(id).pending || 0;
  return total;
}

export function findQuestion(id) {
  for (const queue of mod.queues.values()) {
    const question = queue.questions.find((q) => q.id === id);
    if (question) return question;
  }
  return null;
}

let clockFormat = null;
// A new event time zone: format clock times afresh.
export function resetClock() {
  clockFormat = null;
}
export function clock(iso) {
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

export function ago(iso) {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

// "09:41 · 3 min ago"; the relative part is refreshed by a timer, not by a re-render.
export function timeNode(iso, testid = null) {
  return el("time", { class: "mod-time", datetime: iso, title: iso ? new Date(iso).toLocaleString() : null, "data-testid": testid },
    el("span", { text: clock(iso) }), " · ", el("span", { dataset: { ago: iso || "" }, text: iso ? ago(iso) : "" }));
}

setInterval(() => {
  for (const node of document.querySelectorAll(".moderation [data-ago], .mod-alert [data-ago]")) {
    if (node.dataset.ago) node.textContent = ago(node.dataset.ago);
  }
}, 30000);

export function shownQueue() {
  const id = shownItemId();
  return id === null || id === undefined ? null : mod.queues.get(id) || null;
}

export function shownQuestions() {
  const queue = shownQueue();
  return queue ? queue.questions : [];
}

// One request of the panel, resolving with its acknowledgement (or {ok: false}).
export async function modRequest(name, payload) {
  return (await mod.client.request(name, payload)) || { ok: false };
}
