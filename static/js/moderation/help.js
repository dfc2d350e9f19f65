// Help requests in the moderation panel: the alert above everything (with a chime) when one
// arrives, the list of open requests, and "Mark handled". Private: never on the wall or the
// projector.
import { el } from "../live.js";
import { icon } from "../icons.js";
import { errorText } from "../console/actions.js";
import { setOpen } from "./frame.js";
import { showNotice } from "./notices.js";
import { beep } from "./sound.js";
import { clock, mod, modRequest, timeNode, ui } from "./state.js";

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

export function raiseAlert(request, { sound = true } = {}) {
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

export function renderHelpList() {
  const requests = [...mod.help.values()].sort((a, b) => a.id - b.id);
  ui.helpSection.classList.toggle("hidden", requests.length === 0);
  ui.helpCount.textContent = String(requests.length);
  ui.helpList.replaceChildren();
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
