// Help requests in the moderation panel: the alert above everything (with a chime) when one
// arrives and again every two minutes while nobody has taken it, the list of requests not yet
// handled (age, kind of help, where the person is), "On my way" (the taker's name is shown to
// staff only), a short private reply to that phone, and "Handled". Private: never on the wall or
// the projector.
import { el } from "../live.js";
import { icon } from "../icons.js";
import { errorText } from "../console/actions.js";
import { setOpen } from "./frame.js";
import { showNotice } from "./notices.js";
import { beep } from "./sound.js";
import { clock, mod, modRequest, timeNode, ui } from "./state.js";
import { t } from "../i18n.js";

// What the phone's "what kind of help" choices mean, in the staff's words.
export const TOPIC_LABELS = {
  unsafe: t("Feels unsafe"),
  bothered: t("Someone is bothering them"),
  upsetting: t("Saw something upsetting"),
  app: t("Problem with the app"),
  other: t("Something else"),
};
export const REALERT_MS = 2 * 60 * 1000;
const REPLY_MAX = 300; // roundtable/models/questions.py

// When each open request last sounded (request id -> ms); re-alerted every REALERT_MS until taken.
const lastAlert = new Map();

export function checkRealerts(now = Date.now()) {
  let sounded = false;
  for (const request of mod.help.values()) {
    if (request.status !== "open") {
      lastAlert.delete(request.id);
      continue;
    }
    const since = lastAlert.get(request.id) ?? new Date(request.created_at).getTime();
    if (now - since >= REALERT_MS) {
      lastAlert.set(request.id, now);
      raiseAlert(request, { sound: !sounded, realert: true });
      sounded = true;
    }
  }
}
setInterval(() => checkRealerts(), 5000);

async function takeHelp(id, button) {
  button.disabled = true;
  const reply = await modRequest("help:take", { request_id: id });
  if (reply.ok && reply.request) {
    mod.help.set(id, reply.request);
    dropAlert(id);
  } else {
    button.disabled = false;
    const code = reply.error && reply.error.code;
    showNotice(code === "already_taken" ? t("Another facilitator is already on the way.") : errorText(reply));
  }
  mod.render();
}

async function replyHelp(id, form) {
  const input = form.querySelector("input");
  const text = input.value.trim();
  if (!text) return;
  const button = form.querySelector("button");
  button.disabled = true;
  const reply = await modRequest("help:reply", { request_id: id, text: text.slice(0, REPLY_MAX) });
  button.disabled = false;
  if (reply.ok && reply.request) {
    replyDrafts.delete(String(id));
    // The list may have been redrawn (the "help" event) while the reply was on its way.
    const now = ui.helpList.querySelector(`input[data-request="${id}"]`);
    if (now) now.value = "";
    input.value = "";
    mod.help.set(id, reply.request);
    dropAlert(id);
  } else showNotice(errorText(reply));
  mod.render();
}

async function handleHelp(id, button) {
  button.disabled = true;
  const reply = await modRequest("help:handle", { request_id: id });
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
  mod.render();
}

export function raiseAlert(request, { sound = true, realert = false } = {}) {
  if (!realert) lastAlert.set(request.id, Date.now());
  mod.realerts += realert ? 1 : 0;
  if (!mod.alerts.includes(request.id)) mod.alerts.push(request.id);
  if (sound) beep();
  renderAlert();
  ui.alert.classList.remove("pop");
  void ui.alert.offsetWidth; // restart the attention animation
  ui.alert.classList.add("pop");
}

export function dropAlert(id) {
  mod.alerts = mod.alerts.filter((other) => other !== id);
  renderAlert();
}

let alertSignature = "";
export function renderAlert() {
  const ids = mod.alerts.filter((id) => mod.help.has(id));
  mod.alerts = ids;
  // Rebuilt only when it changes, so that a focused button keeps its focus.
  const signature = JSON.stringify(ids.map((id) => mod.help.get(id)));
  if (signature === alertSignature) return;
  alertSignature = signature;
  ui.alert.replaceChildren();
  if (!ids.length) {
    ui.alert.classList.add("hidden");
    return;
  }
  const newest = mod.help.get(ids[ids.length - 1]);
  const what = newest.kind === "report" ? t("Report") : t("Help request");
  const detail = [newest.item_title ? `during “${newest.item_title}”` : null, clock(newest.created_at)].filter(Boolean).join(" · ");
  ui.alert.append(
    el("span", { class: "mod-alert-icon" }, icon("lifebuoy")),
    el("div", { class: "mod-alert-body" },
      el("p", { class: "mod-alert-title", text: ids.length > 1 ? `${ids.length} new help requests from participants` : `${what} from a participant` }),
      el("p", { class: "mod-alert-text", text: [
        newest.topic ? TOPIC_LABELS[newest.topic] : null,
        newest.location ? `at ${newest.location}` : null,
        newest.message ? `“${newest.message}”` : null,
      ].filter(Boolean).join(" · ") || "No message: the participant pressed “I need help”." }),
      detail ? el("p", { class: "mod-alert-meta", text: detail }) : null),
    el("button", { type: "button", class: "mod-alert-view", "data-testid": "help-alert-view", onclick: () => {
      setOpen(true);
      ui.scroll.scrollTop = 0;
      clearAlerts();
    } }, t("View")),
    el("button", { type: "button", class: "mod-alert-close", "aria-label": t("Dismiss the alert (the request stays in the list)"), title: t("Dismiss"), "data-testid": "help-alert-dismiss", onclick: clearAlerts }, icon("close")));
  ui.alert.classList.remove("hidden");
}

function clearAlerts() {
  mod.alerts = [];
  renderAlert();
}

// Rebuilt only when a request changed, so a reply being typed is not lost.
let listSignature = "";
const replyDrafts = new Map(); // request id -> reply being typed
export function renderHelpList() {
  const requests = [...mod.help.values()].sort((a, b) => a.id - b.id);
  ui.helpSection.classList.toggle("hidden", requests.length === 0);
  ui.helpCount.textContent = String(requests.length);
  const signature = JSON.stringify([requests, mod.alerts]);
  if (signature === listSignature) return;
  listSignature = signature;
  for (const input of ui.helpList.querySelectorAll("input[data-request]")) replyDrafts.set(input.dataset.request, input.value);
  const focused = document.activeElement && ui.helpList.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
  ui.helpList.replaceChildren(...requests.map(helpItem));
  for (const input of ui.helpList.querySelectorAll("input[data-request]")) input.value = replyDrafts.get(input.dataset.request) || "";
  if (focused) {
    const again = ui.helpList.querySelector(`[data-testid="${focused}"]`);
    if (again) again.focus();
  }
}

function helpItem(request) {
  const isNew = mod.alerts.includes(request.id);
  const taken = request.status === "taken";
  const replyForm = el("form", { class: "mod-help-reply", onsubmit: (ev) => {
    ev.preventDefault();
    replyHelp(request.id, ev.currentTarget);
  } },
  el("label", { class: "sr-only", for: `help-reply-input-${request.id}`, text: t("Private reply to this phone") }),
  el("input", { type: "text", class: "mod-input", id: `help-reply-input-${request.id}`, maxlength: String(REPLY_MAX), placeholder: t("Private reply to this phone"), autocomplete: "off", dataset: { request: String(request.id) }, "data-testid": `help-reply-input-${request.id}` }),
  el("button", { type: "submit", class: "mod-button small", "data-testid": `help-reply-send-${request.id}` }, t("Send reply")));
  return el("li", { class: `mod-help-item${isNew ? " is-new" : ""}${taken ? " is-taken" : ""}`, "data-testid": `help-${request.id}`, dataset: { status: request.status } },
    el("div", { class: "mod-help-top" },
      el("span", { class: `mod-kind ${request.kind}`, text: request.kind === "report" ? t("Report") : t("Needs help") }),
      request.item_title ? el("span", { class: "mod-help-session", text: request.item_title }) : el("span", { class: "mod-help-session", text: t("Between sessions") }),
      timeNode(request.created_at, `help-age-${request.id}`)),
    el("dl", { class: "mod-help-facts" },
      el("div", {}, el("dt", { text: t("Kind of help") }), el("dd", { "data-testid": `help-topic-${request.id}`, text: request.topic ? TOPIC_LABELS[request.topic] || request.topic : t("Not said") })),
      el("div", {}, el("dt", { text: t("Where") }), el("dd", { "data-testid": `help-location-${request.id}`, text: request.location || "Not said" }))),
    request.message
      ? el("p", { class: "mod-help-message", "data-testid": `help-message-${request.id}`, text: request.message })
      : el("p", { class: "mod-help-message empty", text: t("No message: the participant pressed “I need help”.") }),
    request.reasons && request.reasons.length
      ? el("div", { class: "mod-reasons" }, request.reasons.map((reason) => el("span", { class: "mod-reason", text: reason })))
      : null,
    taken ? el("p", { class: "mod-help-taker", "data-testid": `help-taker-${request.id}`, text: request.taken_by ? t("%(name)s is on the way", { name: request.taken_by }) : t("A facilitator is on the way") }) : null,
    (request.replies || []).length
      ? el("ul", { class: "mod-help-replies", "data-testid": `help-replies-${request.id}` },
        request.replies.map((r) => el("li", { text: (r.by ? r.by + ": " : "") + r.text })))
      : null,
    replyForm,
    el("div", { class: "mod-help-actions" },
      el("span", { class: "mod-help-hint", text: t("Private: never shown on the wall or the projector.") }),
      taken ? null : el("button", { type: "button", class: "mod-button primary small", "data-testid": `take-${request.id}`, onclick: (ev) => takeHelp(request.id, ev.currentTarget) }, icon("user"), t("On my way")),
      el("button", { type: "button", class: `mod-button small${taken ? " primary" : ""}`, "data-testid": `handle-${request.id}`, onclick: (ev) => handleHelp(request.id, ev.currentTarget) }, icon("check"), t("Handled"))));
}
