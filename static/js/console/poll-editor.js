// The console's poll editor: one dialog for every kind. The kind picker and each kind's settings
// come from the kinds' modules (kinds/staff/index.js): a kind's `editor` builds its block of settings,
// fills it from a poll and collects it back; free-text kinds share the moderation block. The
// picker decides which blocks show ([data-kinds] lists the kinds a block belongs to); collect()
// builds the staff:poll_save payload with exactly the settings of that kind (kinds.py validates
// them again: its codes are mapped back to fields).
import { el } from "../live.js";
import { decorateIcons, icon } from "../icons.js";
import { plural, timeRange } from "../text.js";
import { STAFF_KINDS, staffKind } from "../kinds/staff/index.js";
import { premoderateBlock } from "../kinds/staff/free-text.js";
import { errorText, toast } from "./actions.js";
import { flashPoll } from "./session.js";
import { $, countFor, desk, findItem, findPoll, resultsMode } from "./store.js";

const MIN_OPTIONS = 2;
const MODE_HELP = {
  live: "Phones show the results as answers come in.",
  after_vote: "Each person sees the results once they have answered.",
  on_reveal: "Phones show the results when you press Reveal on the poll card.",
  never: "Only this console and the projector show the results.",
};

// The picker's card of one kind.
function kindCard(kind, checked) {
  return el("label", { class: "kind-option" },
    el("input", { type: "radio", name: "kind", value: kind.name, "data-testid": `poll-kind-${kind.name}`, checked }),
    el("span", { class: "kind-card" },
      el("span", { class: "kind-icon", "data-icon": kind.icon }),
      el("span", { class: "kind-name", text: kind.label }),
      el("span", { class: "kind-help", text: kind.help })));
}

export class PollEditor {
  constructor(dialog) {
    this.dialog = dialog;
    this.form = $("form", dialog);
    this.rows = $('[data-testid="poll-options"]', dialog);
    this.errorBox = $('[data-role="error"]', dialog);
    this.saveButton = $('[data-testid="poll-save"]', dialog);
    this.otherKind = $('[data-role="other-kind"]', dialog);
    this.pollId = null;
    this.itemId = null;
    this.max = 12;
    this.build();
    this.listen();
  }

  // The kinds' cards and settings blocks, from the registry.
  build() {
    const { dialog, form } = this;
    this.otherKind.before(...STAFF_KINDS.map((kind, index) => kindCard(kind, index === 0)));
    const blocks = $('[data-role="kind-settings"]', dialog);
    for (const kind of STAFF_KINDS) {
      if (!kind.editor || !kind.editor.block) continue;
      blocks.append(el("div", { class: "kind-settings", dataset: { kinds: kind.name, field: `settings-${kind.name}` } }, ...kind.editor.block()));
    }
    const freeText = STAFF_KINDS.filter((kind) => kind.freeText).map((kind) => kind.name);
    blocks.append(el("div", { class: "kind-settings", dataset: { kinds: freeText.join(" "), field: "settings-premoderate" } }, ...premoderateBlock()));
    for (const kind of STAFF_KINDS) if (kind.editor && kind.editor.wire) kind.editor.wire(form.elements);
    decorateIcons(dialog);
  }

  listen() {
    const { dialog, form, rows } = this;
    rows.addEventListener("click", (ev) => {
      const button = ev.target.closest("button");
      if (!button || button.disabled) return;
      const row = button.closest(".option-row");
      if (button.dataset.remove) {
        const next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        if (next) $("input", next).focus();
      } else if (button.dataset.move === "up" && row.previousElementSibling) {
        row.previousElementSibling.before(row);
        button.focus();
      } else if (button.dataset.move === "down" && row.nextElementSibling) {
        row.nextElementSibling.after(row);
        button.focus();
      }
      this.renumber();
    });
    $('[data-action="add-option"]', dialog).addEventListener("click", () => this.addRow(undefined, true));
    for (const radio of form.elements.kind) radio.addEventListener("change", () => this.syncKind());
    form.elements.results_mode.addEventListener("change", () => this.syncMode());
    const questionCount = $('[data-role="question-count"]', dialog);
    form.elements.question.addEventListener("input", () => { questionCount.textContent = String(form.elements.question.value.length); });
    form.addEventListener("input", (ev) => {
      const field = ev.target.closest(".has-error");
      if (field) field.classList.remove("has-error");
    });
    for (const button of dialog.querySelectorAll('[data-action="cancel"]')) button.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => { this.pollId = null; this.itemId = null; });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.save();
    });
  }

  kind() {
    return this.form.elements.kind.value;
  }

  showError(message, field = null) {
    const { dialog, errorBox } = this;
    errorBox.textContent = message || "";
    errorBox.classList.toggle("hidden", !message);
    for (const node of dialog.querySelectorAll(".has-error")) node.classList.remove("has-error");
    const target = field && dialog.querySelector(`[data-field="${field}"]`);
    if (message && target) {
      target.classList.add("has-error");
      target.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  // Which field a server error is about (kinds.py and service.py codes).
  fieldFor(error) {
    const code = error && error.code;
    const message = (error && error.message) || "";
    const kind = staffKind(this.kind());
    // With answers the kind radios are locked, so "poll_has_answers" is about the option set.
    if (["bad_options", "duplicate_option", "unknown_option", "poll_has_answers"].includes(code)) return "options";
    if (code === "leaderboard_unavailable") return "settings-quiz";
    if (code === "unknown_kind") return "kind";
    if (code === "bad_settings") {
      if (kind && kind.freeText && /premoderate/i.test(message)) return "settings-premoderate";
      return `settings-${this.kind()}`;
    }
    if (code === "empty_text" || code === "too_long") return /option/i.test(message) ? "options" : "question";
    return null;
  }

  // --- the option rows ---

  addRow(option = { id: null, label: "", label_sw: "", correct: false }, focus = false) {
    const input = el("input", { type: "text", class: "option-input", maxlength: "200", value: option.label, placeholder: "Option text", "aria-label": "Option" });
    // The option in Kiswahili (optional): phones in Kiswahili show it, else the English.
    const inputSw = el("input", { type: "text", class: "option-input option-input-sw", maxlength: "200", lang: "sw", value: option.label_sw || "", placeholder: "Kiswahili (optional)", "aria-label": "Option in Kiswahili" });
    const correct = el("input", { type: "radio", name: "correct_option", class: "correct-radio", checked: !!option.correct });
    const row = el("li", { class: `option-row${option.correct ? " is-correct" : ""}`, dataset: { optionId: option.id === null ? "" : String(option.id) } },
      el("span", { class: "option-letter", "aria-hidden": "true" }),
      input,
      inputSw,
      el("label", { class: "correct-pick", title: "The correct answer" }, correct, el("span", { text: "Correct" })),
      el("button", { type: "button", class: "icon-button", dataset: { move: "up" }, title: "Move up", "aria-label": "Move option up" }, icon("up")),
      el("button", { type: "button", class: "icon-button", dataset: { move: "down" }, title: "Move down", "aria-label": "Move option down" }, icon("down")),
      el("button", { type: "button", class: "icon-button danger", dataset: { remove: "1" }, title: "Remove option", "aria-label": "Remove option" }, icon("close")));
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        const next = row.nextElementSibling;
        if (next) $("input", next).focus();
        else if (this.rows.children.length < this.max) this.addRow(undefined, true);
      }
    });
    correct.addEventListener("change", () => {
      for (const other of this.rows.children) other.classList.toggle("is-correct", $(".correct-radio", other).checked);
    });
    this.rows.append(row);
    this.renumber();
    if (focus) input.focus();
    return row;
  }

  renumber() {
    const { dialog, max } = this;
    const list = [...this.rows.children];
    list.forEach((row, i) => {
      const letter = String.fromCharCode(65 + i);
      $(".option-letter", row).textContent = letter;
      const input = $(".option-input", row);
      input.dataset.testid = `poll-option-input-${i}`;
      input.setAttribute("aria-label", `Option ${letter}`);
      const radio = $(".correct-radio", row);
      radio.dataset.testid = `poll-correct-${i}`;
      radio.setAttribute("aria-label", `Option ${letter} is the correct answer`);
      const [up, down, remove] = row.querySelectorAll("button");
      up.dataset.testid = `poll-option-up-${i}`;
      down.dataset.testid = `poll-option-down-${i}`;
      remove.dataset.testid = `poll-option-remove-${i}`;
      up.disabled = i === 0;
      down.disabled = i === list.length - 1;
      remove.disabled = list.length <= MIN_OPTIONS;
    });
    $('[data-testid="poll-add-option"]', dialog).disabled = list.length >= max;
    const optionCount = $('[data-role="option-count"]', dialog);
    optionCount.textContent = `${list.length} of ${MIN_OPTIONS}–${max}`;
    optionCount.classList.toggle("warn-text", list.length > max);
    for (const kind of STAFF_KINDS) if (kind.editor && kind.editor.optionCount) kind.editor.optionCount(this.form.elements, list.length);
  }

  // --- the kind and the settings that depend on it ---

  // Show the blocks of the chosen kind; wording that depends on it.
  syncKind() {
    const { dialog } = this;
    const name = this.kind();
    const kind = staffKind(name);
    dialog.dataset.kind = name;
    dialog.classList.toggle("no-options", Boolean(kind && !kind.hasOptions));
    for (const block of dialog.querySelectorAll(".kind-settings")) block.hidden = !block.dataset.kinds.split(" ").includes(name);
    $('[data-role="premoderate-title"]', dialog).textContent = (kind && kind.premoderateTitle) || "Hold every answer for a moderator";
    this.max = (kind && kind.maxOptions) || 12;
    this.renumber();
    this.syncMode();
  }

  syncMode() {
    const mode = this.form.elements.results_mode.value;
    const kind = staffKind(this.kind());
    $('[data-role="results-mode-help"]', this.dialog).textContent = kind && kind.hasCorrect && mode === "on_reveal"
      ? "The right answer and the results show on phones and the projector when you press Reveal answer."
      : MODE_HELP[mode] || "";
  }

  updateAnswersNote() {
    const { dialog, form } = this;
    const found = this.pollId !== null ? findPoll(this.pollId) : null;
    const answers = found ? countFor(found.poll) : 0;
    const note = $('[data-role="answers-note"]', dialog);
    note.textContent = answers
      ? `This poll already has ${plural(answers, "answer")}. You can fix the wording and the settings, but changing the kind or the set of options needs a reset first.`
      : "";
    note.classList.toggle("hidden", !answers);
    // With answers, the kind cannot change: lock the other kinds rather than fail on save.
    for (const radio of form.elements.kind) radio.disabled = !!answers && !radio.checked;
    $('[data-role="kind-locked"]', dialog).classList.toggle("hidden", !answers);
  }

  // What the kinds' settings may depend on in the session (children present: no leaderboard).
  syncItem(item) {
    for (const kind of STAFF_KINDS) if (kind.editor && kind.editor.sync) kind.editor.sync(this.form.elements, item);
  }

  open(item, poll = null) {
    const { dialog, form } = this;
    const f = form.elements;
    this.pollId = poll ? poll.id : null;
    this.itemId = item.id;
    form.reset();
    this.showError("");
    this.saveButton.disabled = false;
    $("#poll-editor-title", dialog).textContent = poll ? "Edit poll" : "New poll";
    $('[data-role="session-name"]', dialog).textContent = `${item.dayTitle} · ${timeRange(item)} · ${item.title}`;
    this.rows.replaceChildren();
    const foreign = poll && !staffKind(poll.kind);
    this.otherKind.classList.toggle("hidden", !foreign);
    $("input", this.otherKind).value = foreign ? poll.kind : "";
    $('[data-role="other-kind-name"]', dialog).textContent = foreign ? poll.kind : "";
    f.kind.value = poll ? poll.kind : STAFF_KINDS[0].name;
    f.results_mode.value = poll ? resultsMode(poll) : "on_reveal";
    f.question.value = poll ? poll.question : "";
    f.question_sw.value = poll ? poll.question_sw || "" : "";
    f.allow_change.checked = poll ? !!poll.allow_change : true;
    if (poll && poll.options.length) {
      for (const option of poll.options) this.addRow({ id: option.id, label: option.label, label_sw: option.label_sw || "", correct: !!option.correct });
    } else {
      this.addRow();
      this.addRow();
    }
    // Every kind's fields get a value (a default when the poll is of another kind), so that
    // switching kinds in the dialog shows sensible settings.
    for (const kind of STAFF_KINDS) if (kind.editor && kind.editor.fill) kind.editor.fill(f, poll);
    // The server holds children-led sessions' free text by default: show that default.
    const own = poll && staffKind(poll.kind);
    f.premoderate.checked = own && own.freeText ? !!(poll.settings || {}).premoderate : !!item.children_led;
    this.syncItem(item);
    $('[data-role="question-count"]', dialog).textContent = String(f.question.value.length);
    this.syncKind();
    this.updateAnswersNote();
    dialog.showModal();
    f.question.focus();
  }

  // Build the payload, or say what is wrong (and where) before asking the server.
  collect() {
    const name = this.kind();
    const kind = staffKind(name);
    const f = this.form.elements;
    const question = f.question.value.trim();
    if (!question) return { error: "Write the question.", field: "question" };
    const options = [];
    const withOptions = !kind || kind.hasOptions;
    const withKey = Boolean(kind && kind.hasCorrect);
    for (const [i, row] of (withOptions ? [...this.rows.children] : []).entries()) {
      const label = $(".option-input", row).value.trim();
      const labelSw = $(".option-input-sw", row).value.trim();
      const id = row.dataset.optionId ? Number(row.dataset.optionId) : null;
      const correct = withKey && $(".correct-radio", row).checked;
      if (!label) {
        if (id === null && !correct) continue; // an empty new row: just leave it out
        return { error: `Option ${String.fromCharCode(65 + i)} is empty: write it or remove it.`, field: "options" };
      }
      const option = { label, label_sw: labelSw, correct };
      if (id !== null) option.id = id;
      options.push(option);
    }
    if (withOptions && (options.length < MIN_OPTIONS || options.length > this.max)) {
      return { error: `A ${kind ? kind.label.toLowerCase() : ""} poll needs ${MIN_OPTIONS} to ${this.max} options.`, field: "options" };
    }
    const seen = new Set();
    for (const option of options) {
      const key = option.label.toLocaleLowerCase();
      if (seen.has(key)) return { error: `Two options say “${option.label}”.`, field: "options" };
      seen.add(key);
    }
    if (withKey && options.filter((o) => o.correct).length !== 1) {
      return { error: "Mark the correct answer: choose “Correct” on one option.", field: "options" };
    }
    const payload = { item_id: this.itemId, kind: name, question, question_sw: f.question_sw.value.trim(), options, allow_change: f.allow_change.checked, results_mode: f.results_mode.value };
    if (this.pollId !== null) payload.poll_id = this.pollId;
    // Without "settings" the server keeps a poll's own (for a kind this page does not know).
    if (kind) {
      const found = this.pollId !== null ? findPoll(this.pollId) : null;
      const context = { poll: found ? found.poll : null, item: findItem(this.itemId), optionCount: options.length };
      const settings = kind.editor && kind.editor.collect ? kind.editor.collect(f, context) : { value: {} };
      if (settings.error) return settings;
      payload.settings = settings.value;
    }
    return { payload };
  }

  async save() {
    const { payload, error, field } = this.collect();
    if (error) {
      this.showError(error, field);
      return;
    }
    this.showError("");
    const editing = this.pollId !== null;
    this.saveButton.disabled = true;
    const reply = await desk.client.request("staff:poll_save", payload);
    this.saveButton.disabled = false;
    if (!reply || !reply.ok) {
      // In the dialog's footer, beside the Save button, with the field it is about marked.
      this.showError(errorText(reply), this.fieldFor(reply && reply.error));
      return;
    }
    // The new state usually arrives before this acknowledgement: flash now, or on the next render.
    this.dialog.close();
    if (!flashPoll(reply.poll_id)) desk.state.flashPollId = reply.poll_id;
    toast(editing ? "Poll saved" : "Poll added", "ok");
  }

  // Someone else may change or delete this poll while it is being edited: say so, keep the edits.
  onState() {
    if (!this.dialog.open) return;
    if (this.pollId !== null && !findPoll(this.pollId)) {
      this.showError("Another facilitator deleted this poll. Cancel, or copy your text into a new poll.");
      this.saveButton.disabled = true;
      return;
    }
    const item = findItem(this.itemId);
    if (!item) {
      this.showError("This session no longer exists.");
      this.saveButton.disabled = true;
      return;
    }
    this.syncItem(item);
    this.updateAnswersNote();
  }
}
