// Safety in moderation: what the console adds for flagged questions and answers (issue 10).
// The server decides (roundtable/safety/store.py); this module only makes the way it allows
// visible, so that no flagged text is published by one click:
// - "Approve" on a flagged item opens the redact editor with the flagged parts marked;
// - publishing the text unchanged needs "Publish anyway" and a reason (refused by the server
//   without one), offered only where the server allows it (never for possible grooming, never
//   for personal data in sessions with children);
// - possible grooming gets a red marker and a staff alert like a help request's.
// Every participant text is inserted with textContent (el() from live.js).
import { el, clear } from "../live.js";
import { t } from "../i18n.js";

export const CATEGORY_LABELS = {
  grooming: t("Possible grooming"),
  personal_data: t("Personal data"),
  disclosure: t("Says who and where"),
  abuse: t("Abusive language"),
};

/** True when the safety checks flagged this staff question / held answer. */
export function isFlagged(item) {
  return Boolean(item && (item.flagged || (item.findings && item.findings.length) || item.grooming));
}

/** Category chips for a card (possible grooming first, as the server orders them). */
export function categoryChips(item) {
  const categories = item.categories || [];
  if (!categories.length) return null;
  return el("span", { class: "safety-chips", "data-testid": `safety-chips-${item.id}` },
    categories.map((c) => el("span", { class: `safety-chip safety-${c}`, text: CATEGORY_LABELS[c] || c })));
}

/** The text with each finding marked (spans are code-point offsets, as the server counts them). */
export function markedText(text, findings, attrs = {}) {
  const p = el("p", attrs);
  const chars = Array.from(text || "");
  let at = 0;
  for (const f of (findings || []).slice().sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    if (f.start > at) p.append(chars.slice(at, f.start).join(""));
    p.append(el("mark", { class: `mod-finding safety-mark-${f.category || "flag"}`, title: f.reason, text: chars.slice(f.start, f.end).join("") }));
    at = f.end;
  }
  if (at < chars.length) p.append(chars.slice(at).join(""));
  return p;
}

/** Why "Publish anyway" is not offered, or null when it is. */
export function cannotPublishAnyway(item) {
  if (!isFlagged(item) || item.can_publish_anyway !== false) return null;
  return (item.categories || []).includes("grooming")
    ? t("Possible grooming is never published as it is: remove the marked parts, or reject it.")
    : t("This session involves children: personal data can only be removed, not published anyway.");
}

/**
 * The "Publish anyway" part of a redact editor: a button that opens a reason field, and a
 * confirm button enabled only once a reason is typed. `state` keeps what is typed across
 * re-renders ({anywayOpen, anywayReason}); `onPublish(reason)` sends it.
 */
export function publishAnywayControls(item, state, { onPublish, busy = false, testid = `publish-anyway-${item.id}` }) {
  const refusal = cannotPublishAnyway(item);
  if (refusal) return el("p", { class: "safety-refusal", "data-testid": `${testid}-refused`, text: refusal });
  if (!isFlagged(item)) return null;
  if (!state.anywayOpen) {
    return el("button", { type: "button", class: "mod-button small ghost safety-anyway-open", "data-testid": testid, disabled: busy,
      title: t("Publish the text as it was sent, with the flagged parts: you will be asked why (recorded in the audit log)"),
      onclick: () => { state.anywayOpen = true; state.rerender && state.rerender(); } }, t("Publish anyway…"));
  }
  const input = el("input", { type: "text", class: "mod-input", maxlength: 300, "data-testid": `${testid}-reason`,
    placeholder: t("Why is it safe to publish it as it is?"), "aria-label": t("Reason for publishing anyway (recorded in the audit log)") });
  input.value = state.anywayReason || "";
  const confirm = el("button", { type: "button", class: "mod-button small danger", "data-testid": `${testid}-confirm`,
    disabled: busy || !input.value.trim(), onclick: () => onPublish(input.value.trim()) }, t("Publish anyway"));
  input.addEventListener("input", () => {
    state.anywayReason = input.value;
    confirm.disabled = busy || !input.value.trim();
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && input.value.trim()) {
      ev.preventDefault();
      onPublish(input.value.trim());
    }
  });
  return el("div", { class: "safety-anyway" },
    el("p", { class: "safety-anyway-hint", text: t("Publishing unchanged shows the marked parts to everyone, projector included. Your reason goes to the audit log.") }),
    el("div", { class: "safety-anyway-row" }, input, confirm,
      el("button", { type: "button", class: "mod-button small ghost", "data-testid": `${testid}-cancel`,
        onclick: () => { state.anywayOpen = false; state.anywayReason = ""; state.rerender && state.rerender(); } }, t("Back"))));
}

// --- held poll answers: a redact editor in a dialog ----------------------------------------------

/**
 * Open the redact editor for one held answer (or a word-cloud word sent by several people:
 * `ids`). `request(name, payload)` is the console's socket request; `done(message)` shows a toast.
 */
export function openAnswerEditor(poll, item, ids, request, done) {
  const dialog = el("dialog", { class: "safety-dialog", "data-testid": `answer-editor-${item.id}`, "aria-labelledby": "safety-dialog-title" });
  const state = { anywayOpen: false, anywayReason: "" };
  const error = el("p", { class: "mod-card-error hidden", role: "alert", "data-testid": `answer-editor-error-${item.id}` });
  const area = el("textarea", { class: "mod-textarea", rows: 3, maxlength: 300, "data-testid": `answer-edit-${item.id}`, "aria-label": t("Answer to publish") });
  area.value = item.suggested_text || item.text;
  const anywaySlot = el("div");
  let busy = false;

  async function send(extra) {
    busy = true;
    error.classList.add("hidden");
    for (const id of ids) {
      const reply = (await request("staff:answer_approve", { poll_id: poll.id, item_id: id, ...extra })) || { ok: false };
      if (!reply.ok) {
        busy = false;
        error.textContent = (reply.error && reply.error.message) || "That did not work.";
        error.classList.remove("hidden");
        render();
        return;
      }
    }
    dialog.close();
    done(extra.publish_anyway ? t("Published anyway: your reason is in the audit log") : t("Approved with the flagged parts removed"));
  }
  function render() {
    clear(anywaySlot);
    const controls = publishAnywayControls(item, state, { onPublish: (reason) => send({ publish_anyway: reason }), busy, testid: `answer-anyway-${item.id}` });
    if (controls) anywaySlot.append(controls);
  }
  state.rerender = render;
  render();
  dialog.append(
    el("h3", { id: "safety-dialog-title", text: poll.kind === "wordcloud" ? t("Review a flagged word") : t("Review a flagged answer") }),
    categoryChips(item),
    el("p", { class: "safety-dialog-label", text: t("As sent (flagged parts marked):") }),
    markedText(item.text, item.findings, { class: "mod-text safety-original" }),
    el("label", { class: "mod-form-label", text: t("Publish this instead") }),
    area,
    error,
    el("div", { class: "mod-form-actions" },
      el("button", { type: "button", class: "mod-button small primary", "data-testid": `answer-approve-edited-${item.id}`,
        onclick: () => area.value.trim() && send({ text: area.value.trim() }) }, t("Approve edited")),
      el("button", { type: "button", class: "mod-button small ghost", "data-testid": `answer-editor-cancel-${item.id}`, onclick: () => dialog.close() }, t("Cancel"))),
    anywaySlot);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  area.focus();
  return dialog;
}

// --- the staff alert for possible grooming -----------------------------------------------------

let alertNode = null;

/** Show (or add to) the possible-grooming alert: above everything, like a help request's. */
export function showSafetyAlert(alert, { onOpen } = {}) {
  if (!alertNode) {
    alertNode = el("div", { class: "mod-alert safety-alert", role: "alert", "data-testid": "safety-alert" });
    document.body.append(alertNode);
  }
  clear(alertNode);
  const where = alert.target_type === "answer" ? t("A poll answer") : t("A question");
  alertNode.append(
    el("div", { class: "mod-alert-body" },
      el("p", { class: "mod-alert-title", text: t("Possible grooming in the room") }),
      el("p", { class: "mod-alert-text", text: t("%(what)s in “%(session)s” is held: it is first in the queue.", { what: where, session: alert.item_title || t("this session") }) }),
      el("p", { class: "mod-alert-meta", text: (alert.reasons || []).join(" · ") })),
    el("button", { type: "button", class: "mod-alert-view", "data-testid": "safety-alert-open",
      onclick: () => { hideSafetyAlert(); if (onOpen) onOpen(alert); } }, t("Review")),
    el("button", { type: "button", class: "mod-alert-close", "aria-label": t("Dismiss"), "data-testid": "safety-alert-close", onclick: hideSafetyAlert }, "×"));
  alertNode.classList.remove("hidden", "pop");
  void alertNode.offsetWidth;
  alertNode.classList.add("pop");
}

export function hideSafetyAlert() {
  if (alertNode) alertNode.classList.add("hidden");
}
