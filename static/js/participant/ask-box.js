// The phone's ask box: the form that sends a question to the live session (question:ask, with
// retry: a question sent while offline goes when the phone is back, counted once), the line under
// it that follows the question's status, and the "questions are closed" card in its place when
// the session takes none. Part of the question wall (question-wall.js), which it reads the live
// item and the participant's own questions from.
import { el, newClientId } from "../live.js";
import { glyph } from "../glyphs.js";
import { tidy, setText, updateCounter } from "../text.js";
import { readSession, writeSession } from "./state.js";
import { t } from "../i18n.js";

export const QUESTION_MAX = 280; // roundtable/questions/models.py MAX_TEXT
const NAME_MAX = 60; // MAX_NAME

// A question's status as its author reads it: plain words, never a reason.
export const STATUS_WORDS = {
  pending: t("Waiting for a moderator"),
  published: "Published",
  answered: "Answered",
  rejected: t("Not published"),
  archived: t("Not published"),
};

const ASK_ERRORS = {
  duplicate_question: t("This question has already been asked in this session. Find it on the wall and upvote it."),
  too_long: t("A question can be at most %(max)s characters.", { max: QUESTION_MAX }),
  empty_text: t("Write your question first."),
  questions_closed: t("Questions are closed for this session."),
  rate_limited: t("You have asked several questions in a short time. Please wait a minute, then try again."),
};

const PUBLISHED = { kind: "published", title: t("Your question is on the wall"), text: t("Others can now see it and upvote it.") };

export class AskBox {
  // page: the QuestionWall; code: the event code (the storage key of a question on its way).
  constructor(page, code) {
    this.page = page;
    this.key = `roundtable:pending-question:${code}`;
    this.asking = null; // {client_id, text, name?, item_id}: sent, not yet acknowledged
    // The line under the ask box: {kind: "published" | "pending" | "error" | "info", title, text?,
    // questionId?, status?}; it follows the question's status until the participant types again.
    this.result = null;
    this.itemId = null; // the session the result belongs to
    this.build();
  }

  build() {
    this.closedCard = el(
      "section",
      { class: "q-closed", "data-testid": "questions-closed", role: "status" },
      el("span", { class: "q-closed-icon" }, glyph("lock")),
      el(
        "div",
        {},
        el("p", { class: "q-closed-title", text: t("Questions are closed for this session") }),
        (this.closedText = el("p", { class: "q-closed-text" })),
      ),
    );

    this.input = el("textarea", {
      id: "ask-input",
      class: "text-input ask-input",
      "data-testid": "ask-input",
      maxlength: String(QUESTION_MAX),
      rows: "3",
      placeholder: t("Type your question…"),
      "aria-describedby": "ask-count",
      autocomplete: "off",
      enterkeyhint: "send",
      oninput: () => this.onTyping(),
      // A question is one paragraph (the server folds line breaks): the Enter key sends it.
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.submitAsk();
        }
      },
    });
    this.counter = el("span", { class: "field-counter", id: "ask-count", "aria-live": "off", text: `0/${QUESTION_MAX}` });
    this.nameInput = el("input", {
      id: "ask-name",
      type: "text",
      class: "word-input ask-name",
      "data-testid": "ask-name",
      maxlength: String(NAME_MAX),
      placeholder: t("Leave empty to stay anonymous"),
      autocomplete: "off",
      autocapitalize: "words",
      oninput: () => this.onTyping(),
    });
    this.nameField = el(
      "div",
      { class: "ask-name-field", "data-testid": "ask-name-field" },
      el("label", { class: "field-label", for: "ask-name", text: t("Add your name ") }, el("span", { class: "optional", text: "(optional)" })),
      this.nameInput,
    );
    this.submit = el("button", { type: "submit", class: "button primary big ask-submit", "data-testid": "ask-submit", text: t("Ask") });
    this.status = el("div", { class: "ask-status", "data-testid": "ask-status", role: "status", "aria-live": "polite" });
    this.eyebrow = el("p", { class: "q-eyebrow", text: t("Ask a question") });
    this.heading = el("h2", { class: "ask-heading", id: "ask-heading", "data-testid": "ask-heading", text: t("Ask a question") });
    this.noteIcon = el("span", { class: "ask-note-icon" });
    this.noteText = el("span", { class: "ask-note-text" });
    this.note = el("p", { class: "ask-note", "data-testid": "ask-note" }, this.noteIcon, this.noteText);
    this.form = el(
      "form",
      { class: "ask-form", novalidate: true, onsubmit: (event) => { event.preventDefault(); this.submitAsk(); } },
      el(
        "div",
        { class: "text-field" },
        el("div", { class: "field-head" }, el("label", { class: "field-label", for: "ask-input", text: t("Your question") }), this.counter),
        this.input,
      ),
      this.nameField,
      this.submit,
      this.status,
    );
    this.askCard = el("section", { class: "ask-card", "data-testid": "ask-card", "aria-labelledby": "ask-heading" }, this.eyebrow, this.heading, this.note, this.form);
  }

  onTyping() {
    updateCounter(this.counter, this.input.value.length, QUESTION_MAX);
    // A fresh edit replaces the last result or error.
    if (this.result) {
      this.result = null;
      this.renderStatus();
    }
    this.submit.disabled = Boolean(this.asking) || !tidy(this.input.value);
  }

  submitAsk() {
    if (this.asking || !this.page.canAsk()) return;
    const text = tidy(this.input.value);
    if (!text) {
      this.setResult({ kind: "error", title: ASK_ERRORS.empty_text });
      this.input.focus();
      return;
    }
    const question = { client_id: newClientId(), text, item_id: this.page.item.id };
    const name = this.page.nameAllowed() ? tidy(this.nameInput.value) : "";
    if (name) question.name = name;
    this.asking = question;
    this.result = null;
    writeSession(this.key, question);
    // Put the phone keyboard away, so the result is in sight.
    if (this.form.contains(document.activeElement)) document.activeElement.blur();
    this.render();
    this.dispatch(question);
  }

  // Send (or resend after a reload) a question. live.js keeps it across reconnects until the
  // server acknowledges it, and the server applies a client_id once.
  dispatch(question) {
    const payload = { text: question.text, client_id: question.client_id, item_id: question.item_id };
    if (question.name) payload.name = question.name;
    this.page.client.request("question:ask", payload, { retry: true }).then((reply) => this.onAck(question, reply));
  }

  // A question still on its way when the page was last closed or reloaded: send it again.
  resume() {
    const stored = readSession(this.key, null);
    if (!stored || typeof stored.text !== "string" || typeof stored.client_id !== "string") return;
    this.asking = stored;
    this.input.value = stored.text;
    if (stored.name) this.nameInput.value = stored.name;
    this.render();
    this.dispatch(stored);
  }

  onAck(question, reply) {
    if (this.asking === question) {
      this.asking = null;
      writeSession(this.key, null);
    }
    this.itemId = question.item_id;
    if (reply && reply.ok && reply.question) {
      const asked = reply.question;
      this.page.mine.set(asked.id, asked);
      if (tidy(this.input.value) === question.text) this.input.value = "";
      updateCounter(this.counter, this.input.value.length, QUESTION_MAX);
      this.result = {
        ...(asked.status === "published"
          ? PUBLISHED
          : asked.status === "pending"
            ? { kind: "pending", title: t("Waiting for a moderator"), text: t("A moderator reads it first. Follow it under “Your questions”.") }
            : { kind: "info", title: STATUS_WORDS[asked.status] || t("Question received") }),
        questionId: asked.id,
        status: asked.status,
      };
    } else {
      const error = (reply && reply.error) || {};
      this.result = {
        kind: "error",
        title: ASK_ERRORS[error.code] || error.message || t("Your question could not be sent. Please try again."),
      };
    }
    this.page.render();
  }

  setResult(result) {
    this.result = result;
    this.itemId = this.page.item ? this.page.item.id : null;
    this.renderStatus();
  }


  render() {
    if (!this.page.loaded) return;
    const item = this.page.item;
    const open = this.page.canAsk();
    // Inserted or removed, never moved: moving the ask box would drop the focus in it.
    if (open) {
      this.closedCard.remove();
      if (!this.askCard.isConnected) this.page.mineCard.before(this.askCard);
    } else {
      this.askCard.remove();
      if (!this.closedCard.isConnected) this.page.panel.prepend(this.closedCard);
    }
    if (!open) {
      setText(
        this.closedText,
        !item
          ? t("They open when a session starts.")
          : item.is_break
            ? t("It's a break: questions open again with the next session.")
            : this.page.count
              ? t("You can still read and upvote the questions below.")
              : t("The facilitators are not taking questions in this session."),
      );
    }
    if (!open) {
      this.renderStatus();
      return;
    }
    // Who the questions go to, when the session says so ("Questions to ISPs, telcos and SMS providers").
    const to = tidy(item.questions_to);
    setText(this.heading, to ? t("Questions to %(to)s", { to }) : t("Ask a question"));
    this.eyebrow.hidden = !to;
    const moderated = this.page.moderated();
    const noteIcon = moderated ? "shield" : "info";
    if (this.noteIcon.dataset.icon !== noteIcon) {
      this.noteIcon.dataset.icon = noteIcon;
      this.noteIcon.replaceChildren(glyph(noteIcon));
    }
    setText(
      this.noteText,
      moderated
        ? t("A moderator reads every question before it is shown.")
        : t("Questions appear on the wall at once. Please leave out phone numbers and other personal details."),
    );
    this.note.classList.toggle("is-moderated", moderated);
    // Not merely hidden: where names are never asked for, the field is not on the page at all.
    if (this.page.nameAllowed()) {
      if (!this.nameField.isConnected) this.submit.before(this.nameField);
    } else {
      this.nameField.remove();
      this.nameInput.value = "";
    }

    const sending = Boolean(this.asking);
    this.input.disabled = sending;
    this.nameInput.disabled = sending;
    this.submit.disabled = sending || !tidy(this.input.value);
    setText(this.submit, sending ? t("Sending…") : t("Ask"));
    this.submit.classList.toggle("is-sending", sending);
    updateCounter(this.counter, this.input.value.length, QUESTION_MAX);
    this.renderStatus();
  }

  renderStatus() {
    const parts = [];
    if (this.asking) {
      const online = this.page.connection === "online";
      parts.push(
        el(
          "p",
          { class: "sending-line", "data-testid": "ask-sending" },
          el("span", { class: "spinner", "aria-hidden": "true" }),
          el("span", { text: online ? t("Sending…") : t("Waiting for the connection… your question will be sent automatically.") }),
        ),
      );
    } else if (this.result) {
      const result = this.result;
      const symbol = { published: "check", pending: "clock", error: "alert", info: "info" }[result.kind] || "info";
      parts.push(
        el(
          "div",
          { class: `ask-result is-${result.kind}`, "data-testid": `ask-result-${result.kind}`, role: result.kind === "error" ? "alert" : null },
          el("span", { class: "ask-result-icon" }, glyph(symbol, { stroke: 2.6 })),
          el(
            "div",
            { class: "ask-result-text" },
            el("p", { class: "ask-result-title", text: result.title }),
            result.text ? el("p", { class: "ask-result-sub", text: result.text }) : null,
          ),
        ),
      );
    }
    this.status.replaceChildren(...parts);
  }


  // Another session went live: the line under the box spoke of the last one.
  forget(itemId) {
    if (this.result && this.itemId !== itemId) this.result = null;
  }

  // A moderator acted on one of this participant's questions: the line follows the question it
  // speaks of.
  follow(question) {
    const result = this.result;
    if (result && result.questionId === question.id && result.status !== question.status) {
      this.result =
        question.status === "published"
          ? { ...PUBLISHED, text: t("A moderator has read it."), questionId: question.id, status: question.status }
          : question.status === "pending"
            ? result
            : null; // answered, not published: "Your questions" says so
    }
  }
}
