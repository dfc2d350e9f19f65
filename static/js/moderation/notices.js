// The moderation panel's messages: a notice above the queue (an error, a skipped question), a
// card's own error, and the last action with Undo at the bottom.
import { el } from "../live.js";
import { icon } from "../icons.js";
import { ERROR_MS, mod, modRequest, ui } from "./state.js";
import { errorText } from "../console/actions.js";
import { t } from "../i18n.js";

export function cardError(id, message) {
  mod.errors.set(id, { message, until: Date.now() + ERROR_MS });
  setTimeout(() => {
    const entry = mod.errors.get(id);
    if (entry && entry.until <= Date.now()) {
      mod.errors.delete(id);
      mod.render();
    }
  }, ERROR_MS + 50);
}


let noticeTimer = null;
export function showNotice(message) {
  ui.notice.replaceChildren();
  ui.notice.append(icon("alert"), el("span", { class: "mod-notice-text", text: message }),
    el("button", { type: "button", class: "mod-icon-button", "aria-label": t("Dismiss"), onclick: hideNotice }, icon("close")));
  ui.notice.classList.remove("hidden");
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(hideNotice, ERROR_MS);
}

export function hideNotice() {
  ui.notice.classList.add("hidden");
}

// "Approved “…” · Undo": the last action, undoable for a few seconds even after its card left the tab.
let lastTimer = null;
export function showLast(message, question) {
  ui.last.replaceChildren();
  ui.last.append(icon("check"), el("span", { class: "mod-last-text" },
    el("strong", { text: message }),
    question ? el("span", { class: "mod-last-q", text: ` “${question.text}”` }) : null));
  if (question && question.previous_status) {
    ui.last.append(el("button", { type: "button", class: "mod-last-undo", "data-testid": "mod-last-undo", onclick: async () => {
      hideLast();
      const reply = await modRequest("mod:undo", { question_id: question.id, version: question.version });
      if (!reply.ok) showNotice(errorText(reply));
    } }, icon("undo"), t("Undo")));
  }
  ui.last.classList.remove("hidden");
  clearTimeout(lastTimer);
  lastTimer = setTimeout(hideLast, 6000);
}

export function hideLast() {
  ui.last.classList.add("hidden");
}
