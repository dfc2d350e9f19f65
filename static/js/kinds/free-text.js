// The answer widget of the free-text kinds (word cloud, open text), shared by wordcloud.js and
// opentext.js (the editor block both put under their own settings: kinds/staff/free-text.js).
//
// Every kind's answer widget has the same interface; participant/poll-card.js owns the vote path
// (pending votes, acks, receipts, errors, drafts) and drives it:
//   ctx                 {id, vote(answer), setDraft(value), dropDraft(), submit(), refresh()}
//                       setDraft(value) stores a draft in the phone's state (it survives every
//                       re-render) and re-renders the card; dropDraft() forgets it; refresh()
//                       draws the card again.
//   widget.node         the answer area, placed under the question
//   widget.submitSlot   optional: where the card puts its Submit button (else under `node`)
//   widget.render(poll, view)
//                       view: {open, canChange, pending, confirmed, draft, held}; pending,
//                       confirmed and draft are answers in the vote payload's shape ({words},
//                       {texts}, {value}, {order}, {points}) or null; held is a Set of the
//                       participant's own texts still waiting for a moderator
//   widget.hint(poll, view)     the short line under the question (while the poll is open)
//   widget.submitInfo(poll, view)
//                       null when a tap votes at once (rating, single choice), else {editing,
//                       answer}: whether the Submit button belongs on screen, and the answer it
//                       would send (null while incomplete)
//   widget.keepWhenClosed / usesKeyboard / markCorrect(correct, mine)   optional (choice.js)
// Widgets never rebuild inputs that are on screen (it would drop focus and the phone keyboard);
// they set values only where they differ.
//
// Editing (fields) until an answer is stored; then a summary of the participant's own words or
// answers, with those a moderator still holds marked, and "Change" where the poll allows it.
import { el } from "../live.js";
import { setText, tidy } from "../text.js";
import { t } from "../i18n.js";

export class FreeTextWidget {
  // max: characters per entry (the Python kind's limit); limit: [most fields, default].
  constructor(ctx, { multiline, max, limit }) {
    this.ctx = ctx;
    this.multiline = multiline;
    this.max = max;
    this.most = limit;
    this.fields = []; // [{wrap, input, counter, remove}]
    this.fieldsBox = el("div", { class: "text-fields" });
    this.addButton = el("button", {
      type: "button",
      class: "button add-answer",
      "data-testid": `add-answer-${ctx.id}`,
      onclick: () => this.addField(),
    });
    this.cancelButton = el("button", {
      type: "button",
      class: "button cancel-change",
      "data-testid": `cancel-change-${ctx.id}`,
      text: t("Cancel"),
      onclick: () => ctx.dropDraft(),
    });
    // The card's Submit button goes first in this row; "Cancel" (when changing) beside it.
    this.submitSlot = el("div", { class: "submit-row" }, this.cancelButton);
    this.editor = el("div", { class: "text-editor" }, this.fieldsBox, this.addButton, this.submitSlot);
    this.summaryTitle = el("p", { class: "mine-title" });
    this.summaryList = el(multiline ? "ul" : "p", { class: multiline ? "mine-texts" : "mine-words" });
    this.heldNote = el("p", { class: "held-note", "data-testid": `held-note-${ctx.id}` },
      el("span", { class: "held-icon", "aria-hidden": "true" }),
      el("span", { class: "held-note-text" }));
    this.changeButton = el("button", {
      type: "button",
      class: "button secondary change-answer",
      "data-testid": `change-${ctx.id}`,
      onclick: () => this.startChange(),
    });
    this.summary = el("div", { class: "my-answer", "data-testid": `my-answer-${ctx.id}` },
      this.summaryTitle, this.summaryList, this.heldNote, this.changeButton);
    this.node = el("div", { class: `answer-area kind-${multiline ? "opentext" : "wordcloud"}` }, this.editor, this.summary);
    this.poll = null;
    this.view = null;
  }

  // How many fields: word cloud, all of max_words at once (at most 3, short); open text, one
  // to begin with and "Add another answer" up to max_answers.
  limit(poll) {
    const settings = poll.settings || {};
    const raw = Number(this.multiline ? settings.max_answers : settings.max_words);
    const [most, fallback] = this.most;
    return Math.max(1, Math.min(most, Number.isFinite(raw) && raw > 0 ? raw : fallback));
  }

  key() {
    return this.multiline ? "texts" : "words";
  }

  // The raw values of the fields, from the draft, else the vote in flight, else the stored answer.
  values(poll, view) {
    const k = this.key();
    const source = view.draft || view.pending || view.confirmed;
    const list = source && Array.isArray(source[k]) ? source[k].slice(0, this.limit(poll)) : [];
    const wanted = this.multiline ? Math.max(1, list.length) : this.limit(poll);
    while (list.length < wanted) list.push("");
    return list;
  }

  editing(view) {
    return Boolean(view.pending || view.draft || !view.confirmed);
  }

  answerFrom(values) {
    const clean = values.map(tidy).filter(Boolean);
    if (!clean.length) return null;
    return { [this.key()]: clean };
  }

  hint(poll) {
    const n = this.limit(poll);
    const max = this.max;
    if (this.multiline) {
      return n > 1 ? t("Up to %(n)s answers, %(max)s characters each", { n, max }) : t("Write your answer: up to %(max)s characters", { max });
    }
    return n > 1 ? t("Up to %(n)s words or short phrases, %(max)s characters each", { n, max }) : t("One word or short phrase, up to %(max)s characters", { max });
  }

  submitInfo(poll, view) {
    return { editing: this.editing(view), answer: this.answerFrom(this.values(poll, view)) };
  }

  // --- the fields ---

  buildField(index) {
    const id = this.ctx.id;
    const inputId = `${this.multiline ? "text" : "word"}-${id}-${index}`;
    const counterId = `${inputId}-count`;
    const attrs = {
      id: inputId,
      class: this.multiline ? "text-input" : "word-input",
      maxlength: String(this.max),
      "aria-describedby": counterId,
      "data-testid": `${this.multiline ? "text-input" : "words-input"}-${id}-${index}`,
      autocomplete: "off",
      enterkeyhint: this.multiline ? "enter" : "next",
      oninput: () => this.onInput(index),
    };
    const input = this.multiline
      ? el("textarea", { ...attrs, rows: "3" })
      : el("input", { ...attrs, type: "text", autocapitalize: "none", spellcheck: "true", onkeydown: (e) => this.onKey(e) });
    const counter = el("span", { class: "field-counter", id: counterId, "aria-live": "off" });
    const label = el("label", { class: "field-label", for: inputId });
    const remove = this.multiline
      ? el("button", {
          type: "button",
          class: "field-remove",
          "data-testid": `remove-answer-${id}-${index}`,
          "aria-label": t("Remove answer %(n)s", { n: index + 1 }),
          onclick: () => this.removeField(index),
        }, el("span", { "aria-hidden": "true", text: "×" }))
      : null;
    const wrap = el("div", { class: "text-field" }, el("div", { class: "field-head" }, label, counter, remove), input);
    return { wrap, input, counter, label, remove };
  }

  syncFields(poll, view, values) {
    while (this.fields.length < values.length) {
      const field = this.buildField(this.fields.length);
      this.fields.push(field);
      this.fieldsBox.append(field.wrap);
    }
    while (this.fields.length > values.length) this.fields.pop().wrap.remove();
    const several = values.length > 1 || this.limit(poll) > 1;
    const editable = view.canChange && !view.pending;
    this.fields.forEach((field, index) => {
      if (field.input.value !== values[index]) {
        field.input.value = values[index];
        this.grow(field.input);
      }
      field.input.disabled = !editable;
      const noun = this.multiline ? t("Answer") : t("Word");
      setText(field.label, several ? t("%(noun)s %(n)s", { noun, n: index + 1 }) : this.multiline ? t("Your answer") : t("Your word"));
      const used = field.input.value.length;
      setText(field.counter, `${used}/${this.max}`);
      field.counter.classList.toggle("near", used >= this.max - (this.multiline ? 20 : 5));
      field.counter.classList.toggle("full", used >= this.max);
      if (field.remove) field.remove.hidden = !editable || values.length < 2;
    });
  }

  grow(input) {
    if (!this.multiline) return;
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight + 2, 320)}px`;
  }

  draftValues() {
    return this.fields.map((field) => field.input.value);
  }

  onInput(index) {
    this.grow(this.fields[index].input);
    this.ctx.setDraft({ [this.key()]: this.draftValues() });
  }

  // Enter in a word field submits the words typed so far (Tab moves to the next field).
  onKey(event) {
    if (event.key !== "Enter" || event.isComposing) return;
    event.preventDefault();
    this.ctx.submit();
  }

  addField() {
    if (!this.poll || this.fields.length >= this.limit(this.poll)) return;
    this.ctx.setDraft({ [this.key()]: [...this.draftValues(), ""] });
    const last = this.fields[this.fields.length - 1];
    if (last) last.input.focus();
  }

  removeField(index) {
    const values = this.draftValues();
    values.splice(index, 1);
    this.ctx.setDraft({ [this.key()]: values.length ? values : [""] });
    const field = this.fields[Math.min(index, this.fields.length - 1)];
    if (field) field.input.focus();
  }

  startChange() {
    const confirmed = this.view && this.view.confirmed;
    const list = confirmed && Array.isArray(confirmed[this.key()]) ? confirmed[this.key()].slice() : [];
    this.ctx.setDraft({ [this.key()]: list.length ? list : [""] });
    this.focus();
  }

  focus() {
    const first = this.fields.find((field) => !field.input.disabled);
    if (first) first.input.focus();
  }

  // --- the summary of a stored answer ---

  renderSummary(poll, view) {
    const items = (view.confirmed && view.confirmed[this.key()]) || [];
    const held = view.held || new Set();
    setText(this.summaryTitle, this.multiline ? (items.length > 1 ? t("Your answers") : t("Your answer")) : items.length > 1 ? t("Your words:") : t("Your word:"));
    const nodes = items.map((text, index) => {
      const waiting = held.has(text);
      if (this.multiline) {
        return el("li", { class: `mine-text${waiting ? " is-held" : ""}`, "data-testid": `my-text-${this.ctx.id}-${index}` },
          el("span", { class: "mine-text-body", text }),
          waiting ? el("span", { class: "held-badge", text: t("Waiting for a moderator") }) : null);
      }
      return el("span", { class: `mine-word${waiting ? " is-held" : ""}`, "data-testid": `my-word-${this.ctx.id}-${index}` },
        el("span", { text }),
        waiting ? el("span", { class: "sr-only", text: " (waiting for a moderator)" }) : null,
        index < items.length - 1 ? el("span", { class: "sr-only", text: ", " }) : null);
    });
    this.summaryList.replaceChildren(...nodes);
    const waitingCount = items.filter((text) => held.has(text)).length;
    this.heldNote.hidden = waitingCount === 0;
    setText(
      this.heldNote.querySelector(".held-note-text"),
      this.multiline
        ? waitingCount > 1 || items.length > 1
          ? t("Some of your answers are waiting for a moderator. Only you can see them until then.")
          : t("Your answer is waiting for a moderator. Only you can see it until then.")
        : items.length > 1
          ? t("Some of your words are waiting for a moderator. Only you can see them until then.")
          : t("Your word is waiting for a moderator. Only you can see it until then."),
    );
    this.changeButton.hidden = !view.canChange;
    setText(this.changeButton, this.multiline ? (items.length > 1 ? t("Change my answers") : t("Change my answer")) : items.length > 1 ? t("Change my words") : t("Change my word"));
  }

  render(poll, view) {
    this.poll = poll;
    this.view = view;
    const editing = this.editing(view) && view.open;
    this.editor.hidden = !editing;
    this.summary.hidden = editing || !view.confirmed;
    if (editing) {
      const values = this.values(poll, view);
      this.syncFields(poll, view, values);
      const editable = view.canChange && !view.pending;
      const room = this.limit(poll) - values.length;
      this.addButton.hidden = !this.multiline || room <= 0 || !editable;
      setText(this.addButton, t("+ Add another answer (%(count)s of %(max)s)", { count: values.length, max: this.limit(poll) }));
      this.cancelButton.hidden = !(view.draft && view.confirmed && editable);
    }
    if (view.confirmed) this.renderSummary(poll, view);
  }
}
