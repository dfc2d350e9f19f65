// The moderators' actions on questions: approve (as asked or edited), reject with a private
// reason, mark answered, archive, undo, highlight on the projector, approve several at once.
// Each sends the question's version as shown; the change itself arrives with the next queue.
import { plural } from "../text.js";
import { errorText } from "../console/actions.js";
import { cardError, hideLast, showLast, showNotice } from "./notices.js";
import { highlightedId, mod, modRequest, shownQuestions, ui } from "./state.js";
import { t } from "../i18n.js";

// One question's transition: the card is busy until the server answers.
async function moderate(name, question, extra = {}, { done } = {}) {
  mod.busy.add(question.id);
  mod.errors.delete(question.id);
  hideLast(); // it would offer to undo an older action
  mod.render();
  const reply = await modRequest(name, { question_id: question.id, version: question.version, ...extra });
  mod.busy.delete(question.id);
  if (reply.ok) {
    mod.forms.delete(question.id);
    mod.selected.delete(question.id);
    if (reply.question && done) showLast(done, reply.question);
  } else {
    cardError(question.id, errorText(reply));
  }
  mod.render();
  return reply;
}

export const approveQuestion = (q) => moderate("mod:approve", q, {}, { done: t("Approved") });
export const answerQuestion = (q) => moderate("mod:answer", q, {}, { done: t("Marked answered") });
export const archiveQuestion = (q) => moderate("mod:archive", q, {}, { done: t("Archived") });
export const undoQuestion = (q) => moderate("mod:undo", q, {}, {});

export async function approveEdited(question) {
  const form = mod.forms.get(question.id);
  const text = form ? form.text.trim() : "";
  if (!text) {
    cardError(question.id, t("The question cannot be empty."));
    mod.render();
    return;
  }
  await moderate("mod:approve", { ...question, version: form.version }, { text }, { done: t("Approved with your edit") });
}

// The text as asked, flagged parts and all: only with a reason (the server refuses it otherwise,
// and always for possible grooming or, in children's sessions, personal data).
export async function publishAnyway(question, reason) {
  const form = mod.forms.get(question.id);
  await moderate("mod:approve", { ...question, version: form ? form.version : question.version }, { publish_anyway: reason },
    { done: t("Published anyway: your reason is in the audit log") });
}

export async function rejectQuestion(question) {
  const form = mod.forms.get(question.id);
  const reason = form ? form.text.trim() : "";
  await moderate("mod:reject", { ...question, version: form ? form.version : question.version }, reason ? { reason } : {}, { done: t("Rejected") });
}

export async function setHighlight(questionId) {
  const busyId = questionId === null ? highlightedId() : questionId;
  if (busyId !== null) mod.busy.add(busyId);
  mod.render();
  const reply = await modRequest("mod:highlight", { question_id: questionId });
  if (busyId !== null) mod.busy.delete(busyId);
  if (!reply.ok) {
    if (busyId !== null) cardError(busyId, errorText(reply));
    else showNotice(errorText(reply));
  } else if (mod.view) {
    // The "state" that follows says the same; showing it now makes the click feel immediate.
    mod.view.live.highlighted_question_id = reply.highlighted_question_id;
  }
  mod.render();
}

export async function approveSelected() {
  const questions = shownQuestions().filter((q) => q.status === "pending" && mod.selected.has(q.id));
  if (!questions.length) return;
  ui.approveSelected.disabled = true;
  for (const q of questions) mod.busy.add(q.id);
  mod.render();
  const reply = await modRequest("mod:approve_many", { items: questions.map((q) => ({ question_id: q.id, version: q.version })) });
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
      showNotice(`${plural(reply.approved.length, "question")} approved; ${reply.skipped.length} skipped: see ${reply.skipped.length === 1 ? "its card" : "their cards"} (flagged, or changed by another moderator).`);
    }
    if (reply.approved.length) showLast(`Approved ${plural(reply.approved.length, "question")}`, reply.approved.length === 1 ? reply.approved[0] : null);
  } else {
    showNotice(errorText(reply));
  }
  mod.render();
}

export async function showOnProjector() {
  ui.screenButton.disabled = true;
  const reply = await modRequest("staff:screen", { mode: "questions" });
  ui.screenButton.disabled = false;
  if (reply.ok) return;
  // The server's own words, with what they mean here (its message for a refused role is generic).
  const refused = reply.error && reply.error.code === "forbidden";
  showNotice(refused ? `Only facilitators can change what the projector shows. ${errorText(reply)}` : errorText(reply));
}
