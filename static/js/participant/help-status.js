// The participant's own help request as it goes (from `my_help` in the snapshot, the help:send
// ack and `help_status`): "A facilitator has been told", then "A facilitator is on the way"
// once one takes it, then "Handled", with any private reply a facilitator sent to this phone.
// Shown in a statusCard at the top of the page and in the help sheet's confirmation.
import { el } from "../live.js";
import { setText } from "../text.js";
import { t } from "../i18n.js";

const statusCard = document.getElementById("help-status");
const confirmTitle = document.getElementById("help-confirm-title");
const confirmText = document.getElementById("help-confirm-text");
const requests = new Map(); // id -> own help request
let dismissed = null; // a handled request the participant closed

const WORDS = {
  open: [t("A facilitator has been told."), t("They will come to you.")],
  taken: [t("A facilitator is on the way."), t("Stay where you are. They are coming to you now.")],
  handled: [t("Handled."), t("If you still need help, press Help again or talk to any facilitator.")],
};

function newest() {
  let latest = null;
  for (const request of requests.values()) if (!latest || request.id > latest.id) latest = request;
  return latest;
}

export function applyOwnHelp(request) {
  if (!request || typeof request.id !== "number") return;
  requests.set(request.id, request);
  renderHelpStatus();
}

export function applyMyHelp(list) {
  if (!Array.isArray(list)) return;
  for (const request of list) if (request && typeof request.id === "number") requests.set(request.id, request);
  renderHelpStatus();
}

let signature = "";
export function renderHelpStatus() {
  const request = newest();
  const words = request ? WORDS[request.status] || WORDS.open : WORDS.open;
  setText(confirmTitle, words[0]);
  setText(confirmText, words[1]);
  const show = Boolean(request && request.id !== dismissed);
  statusCard.classList.toggle("hidden", !show);
  if (!show) return;
  const key = JSON.stringify(request);
  if (key === signature) return;
  signature = key;
  statusCard.dataset.status = request.status;
  const replies = request.replies || [];
  // replaceChildren, unlike el(), writes a null child as the text "null": leave them out.
  statusCard.replaceChildren(...[
    el("p", { class: "help-status-title", "data-testid": "help-status-title", text: words[0] }),
    el("p", { class: "help-status-text", text: words[1] }),
    replies.length
      ? el("div", { class: "help-status-replies", "data-testid": "help-status-replies" },
        el("p", { class: "help-status-label", text: t("A facilitator says:") }),
        replies.map((reply) => el("p", { class: "help-status-reply", text: reply.text })))
      : null,
    request.status === "handled"
      ? el("button", { type: "button", class: "button help-status-close", "data-testid": "help-status-close", onclick: () => {
        dismissed = request.id;
        renderHelpStatus();
      } }, t("OK, close this"))
      : null,
  ].filter(Boolean));
}
