// Staff actions from the console and the moderation panel: send a request, say how it went.
// The change itself arrives as a "state" (to every console, this one included).
import { el } from "../live.js";
import { icon } from "../icons.js";
import { $, canRun, desk, findItem } from "./store.js";
import { t } from "../i18n.js";

const toasts = $('[data-testid="toasts"]');

export function toast(message, kind = "ok") {
  const node = el("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": "toast", dataset: { kind } },
    icon(kind === "error" ? "alert" : "check"),
    el("span", { class: "toast-text", text: message }),
    el("button", { type: "button", class: "toast-close", "aria-label": t("Dismiss"), onclick: () => node.remove() }, icon("close")));
  toasts.append(node);
  while (toasts.children.length > 4) toasts.firstElementChild.remove();
  if (toasts.showPopover) {
    // Re-show, so the toasts are the newest thing in the top layer (above an open dialog).
    if (toasts.matches(":popover-open")) toasts.hidePopover();
    toasts.showPopover();
  }
  setTimeout(() => node.classList.add("leaving"), kind === "error" ? 7000 : 2600);
  setTimeout(() => node.remove(), kind === "error" ? 7400 : 3000);
}

export function errorText(reply) {
  const error = reply && reply.error;
  if (error && error.code === "question_changed") return t("Another moderator already changed this question.");
  // live.js says "trying again" for a dropped connection, but staff actions are not retried.
  if (error && error.code === "offline") return t("No connection to the server: nothing was changed. Try again once it reconnects.");
  if (error && error.code === "timeout") return t("The server did not answer in time: check whether the change arrived before trying again.");
  return (error && error.message) || "Something went wrong: try again.";
}

// Send a staff action and report the outcome; resolve with the acknowledgement.
// `anyStaff`: moderators may do it too (moderating answers), so the button stays enabled for them.
export async function act(name, payload, { success, button, quiet = false, anyStaff = false } = {}) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  const reply = (await desk.client.request(name, payload)) || { ok: false };
  if (button && button.isConnected) {
    button.disabled = !(anyStaff || canRun());
    button.removeAttribute("aria-busy");
  }
  if (!reply.ok && !quiet) toast(errorText(reply), "error");
  else if (success) toast(success, "ok");
  return reply;
}

export function setLive(itemId, button) {
  const item = itemId === null ? null : findItem(itemId);
  if (itemId !== null) {
    // Follow what I just put live (the new state will render it).
    desk.state.selectedItemId = itemId;
    history.replaceState(null, "", `#item-${itemId}`);
  }
  return act("staff:set_live", { item_id: itemId }, {
    button,
    success: item ? `Live on phones: ${item.title}` : t("Nothing is live now"),
  });
}

// What the projector shows, in words ("Projector shows the agenda").
export const SCREEN_LABELS = { join: "join instructions", results: "the results", agenda: "the agenda", questions: "the questions from the room", blank: "a blank screen" };

export function setScreen(mode, pollId, button) {
  const payload = mode === "results" ? { mode, poll_id: pollId } : { mode };
  return act("staff:screen", payload, { button, success: t("Projector shows %(what)s", { what: SCREEN_LABELS[mode] }) });
}

// Select a session in the agenda (kept in the address, so a reload comes back to it).
export function selectItem(id) {
  desk.state.selectedItemId = id;
  history.replaceState(null, "", `#item-${id}`);
  desk.render();
}
