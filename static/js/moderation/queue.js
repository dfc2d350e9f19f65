// The moderation queue: one card per question of the chosen tab, with what the safety check
// found marked in the text, its history, and the actions of its status; the edit and reject
// forms open inside the card.
import { el } from "../live.js";
import { icon } from "../icons.js";
import {
  answerQuestion, approveEdited, approveQuestion, archiveQuestion, publishAnyway, rejectQuestion, setHighlight, undoQuestion,
} from "./actions.js";
import { categoryChips, isFlagged, publishAnywayControls } from "./safety.js";
import { STATUS_LABELS, TABS, clock, highlightedId, mod, shownItemId, shownQuestions, shownQueue, timeNode, ui } from "./state.js";
import { t } from "../i18n.js";

const REJECT_PRESETS = ["Personal data", "Abusive or unkind", "Off-topic", "Already answered"];
const MAX_EDIT = 300;
const MAX_REASON = 300;

// Cards are kept by question id and rebuilt only when what they show changes; the list is then
// put in order by moving nodes, never by detaching them all (a focused field keeps its focus).
const questionCards = new Map(); // id -> {signature, node}

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

export function renderList() {
  const queue = shownQueue();
  const tab = TABS.find((t) => t.key === mod.tab);
  const questions = sortFor(tab.key, shownQuestions().filter((q) => tab.statuses.includes(q.status)));
  const wanted = questions.map((q) => cardFor(q));
  const keep = new Set(wanted);
  for (const child of [...ui.list.children]) if (!keep.has(child)) child.remove();
  wanted.forEach((node, index) => {
    if (ui.list.children[index] !== node) ui.list.insertBefore(node, ui.list.children[index] || null);
  });
  for (const [id, entry] of [...questionCards]) if (!entry.node.isConnected) questionCards.delete(id);

  ui.empty.replaceChildren();
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
  const signature = JSON.stringify([question, highlighted, mod.selected.has(question.id), form ? [form.mode, form.version, Boolean(form.anywayOpen)] : null,
    error ? error.message : null, mod.busy.has(question.id)]);
  const cached = questionCards.get(question.id);
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
  questionCards.set(question.id, { signature, node });
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

function modButton(label, iconName, testid, onclick, { kind = "", disabled = false, title = null } = {}) {
  return el("button", { type: "button", class: `mod-button small ${kind}`.trim(), "data-testid": testid, disabled, title, onclick }, icon(iconName), label);
}

function buildCard(question, { form, error, highlighted }) {
  const id = question.id;
  const busy = mod.busy.has(id);
  const pending = question.status === "pending";
  const node = el("li", {
    class: `mod-card status-${question.status}${question.flagged ? " is-flagged" : ""}${question.grooming ? " is-grooming" : ""}${highlighted ? " is-highlighted" : ""}${busy ? " is-busy" : ""}`,
    "data-testid": `q-${id}`, dataset: { status: question.status, version: String(question.version) },
  });

  // Top line: tick box (waiting), time, upvotes, name, markers.
  const top = el("div", { class: "mod-card-top" });
  if (pending) {
    const tick = el("input", { type: "checkbox", class: "mod-check", "data-testid": `select-${id}`, "aria-label": t("Select for approving several at once") });
    tick.checked = mod.selected.has(id);
    tick.addEventListener("change", () => {
      if (tick.checked) mod.selected.add(id);
      else mod.selected.delete(id);
      mod.render();
    });
    top.append(tick);
  }
  top.append(timeNode(question.created_at));
  top.append(el("span", { class: `mod-votes${question.upvotes ? "" : " zero"}`, title: t("Upvotes"), "data-testid": `votes-${id}` }, icon("up"), String(question.upvotes)));
  if (question.name) top.append(el("span", { class: "mod-name", title: t("Name given by the participant") }, icon("user"), el("span", { text: question.name })));
  const chips = pending ? categoryChips(question) : null; // null when nothing was found
  if (chips) top.append(chips); // (append(null) would write the word "null")
  top.append(el("span", { class: "mod-spacer" }));
  if (highlighted) top.append(el("span", { class: "mod-onscreen", "data-testid": `highlighted-${id}` }, icon("star"), t("On the projector")));
  if (!pending && question.status !== "published") top.append(el("span", { class: `mod-status ${question.status}`, text: STATUS_LABELS[question.status] }));
  if (question.previous_status) {
    top.append(el("button", { type: "button", class: "mod-undo", "data-testid": `undo-${id}`, disabled: busy,
      title: `Undo: back to ${STATUS_LABELS[question.previous_status].toLowerCase()}`, onclick: () => undoQuestion(question) }, icon("undo"), t("Undo")));
  }
  node.append(top);

  // Why it waits.
  if (pending) {
    node.append(el("div", { class: "mod-reasons", "data-testid": `reasons-${id}` },
      question.flagged
        ? question.reasons.map((reason) => el("span", { class: "mod-reason" }, icon("flag"), el("span", { text: reason })))
        : el("span", { class: "mod-reason premod" }, icon("shield"), el("span", { text: t("Pre-moderated session") }))));
  }

  node.append(textWithFindings(question));

  // History a moderator should know about.
  const notes = [];
  if (question.original_text) notes.push(el("p", { class: "mod-note" }, el("strong", { text: t("Edited. As asked: ") }), el("span", { class: "mod-original", text: question.original_text })));
  if (question.status === "rejected" && question.reject_reason) notes.push(el("p", { class: "mod-note" }, el("strong", { text: t("Private reason: ") }), el("span", { text: question.reject_reason })));
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
      // A flagged question is never published by one click: "Approve" opens the redact editor.
      modButton("Approve", "check", `approve-${id}`, () => (isFlagged(question) ? openForm(question, "edit") : approveQuestion(question)),
        { kind: "primary", disabled: off, title: isFlagged(question) ? t("Flagged: opens the editor to remove the marked parts first") : null }),
      modButton(question.flagged ? t("Edit / redact") : t("Edit"), "edit", `edit-${id}`, () => openForm(question, "edit"), { disabled: off }),
      modButton("Reject", "ban", `reject-${id}`, () => openForm(question, "reject"), { kind: "danger", disabled: off }));
  } else if (question.status === "published" || question.status === "answered") {
    actions.append(highlighted
      ? modButton("Remove highlight", "close", `highlight-${id}`, () => setHighlight(null), { kind: "onscreen", disabled: off, title: t("Take this question off the projector") })
      : modButton("Highlight", "star", `highlight-${id}`, () => setHighlight(id), { disabled: off, title: t("Highlight on the projector: shown large, one question at a time") }));
    if (question.status === "published") actions.append(modButton("Mark answered", "check", `answer-${id}`, () => answerQuestion(question), { kind: "primary", disabled: off }));
    actions.append(modButton("Archive", "archive", `archive-${id}`, () => archiveQuestion(question), { disabled: off, title: t("Take it off the wall, without rejecting it") }));
    if (question.status === "published") actions.append(modButton("Reject", "ban", `reject-${id}`, () => openForm(question, "reject"), { kind: "danger", disabled: off }));
  }
  // While a form is open, its own buttons are the way forward.
  if (actions.childElementCount && !form) node.append(actions);
  return node;
}

export function openForm(question, mode) {
  const text = mode === "edit" ? (question.flagged && question.suggested_text ? question.suggested_text : question.text) : "";
  mod.forms.set(question.id, { mode, version: question.version, text });
  mod.errors.delete(question.id);
  mod.render();
  const field = ui.list.querySelector(`[data-testid="${mode === "edit" ? "edit-text" : "reject-reason"}-${question.id}"]`);
  if (field) {
    field.focus();
    if (mode === "edit") field.setSelectionRange(field.value.length, field.value.length);
  }
}

export function closeForm(id) {
  mod.forms.delete(id);
  mod.render();
  const back = ui.list.querySelector(`[data-testid="approve-${id}"], [data-testid="reject-${id}"]`);
  if (back) back.focus();
}

function editForm(question, form) {
  const id = question.id;
  const count = el("span", { class: "mod-form-count" });
  const area = el("textarea", { class: "mod-textarea", rows: 3, maxlength: MAX_EDIT, "data-testid": `edit-text-${id}`, "aria-label": t("Question text to publish") });
  area.value = form.text;
  const approveButton = modButton("Approve edited", "check", `approve-edited-${id}`, () => approveEdited(question), { kind: "primary", disabled: mod.busy.has(id) });
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
    ? t("What the check found is replaced by [removed]. Change anything before publishing; the text as asked stays visible to moderators.")
    : t("Publish your edit instead of the text as asked (moderators still see the original).");
  return el("div", { class: "mod-form edit", dataset: { formFor: String(id) } },
    el("label", { class: "mod-form-label", text: t("Edit before approving") }),
    area,
    el("div", { class: "mod-form-foot" },
      el("p", { class: "mod-form-hint", text: hint }), count),
    el("div", { class: "mod-form-actions" },
      approveButton,
      modButton("Cancel", "close", `edit-cancel-${id}`, () => closeForm(id), { kind: "ghost" })),
    publishAnywayControls(question, Object.assign(form, { rerender: mod.render }), {
      onPublish: (reason) => publishAnyway(question, reason), busy: mod.busy.has(id) }));
}

function rejectForm(question, form) {
  const id = question.id;
  const input = el("input", { type: "text", class: "mod-input", maxlength: MAX_REASON, "data-testid": `reject-reason-${id}`,
    placeholder: t("Private reason (optional)"), "aria-label": t("Private reason for rejecting (only staff see it)") });
  input.value = form.text;
  input.addEventListener("input", () => { form.text = input.value; });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      rejectQuestion(question);
    }
  });
  const presets = el("div", { class: "mod-presets" }, REJECT_PRESETS.map((preset) =>
    el("button", { type: "button", class: "mod-preset", onclick: () => {
      input.value = preset;
      form.text = preset;
      input.focus();
    } }, preset)));
  return el("div", { class: "mod-form reject", dataset: { formFor: String(id) } },
    el("label", { class: "mod-form-label", text: t("Reject this question") }),
    el("p", { class: "mod-form-hint", text: t("The participant only sees that it was not published. The reason stays with the moderators.") }),
    input, presets,
    el("div", { class: "mod-form-actions" },
      modButton("Reject question", "ban", `reject-confirm-${id}`, () => rejectQuestion(question), { kind: "danger-solid", disabled: mod.busy.has(id) }),
      modButton("Cancel", "close", `reject-cancel-${id}`, () => closeForm(id), { kind: "ghost" })));
}
