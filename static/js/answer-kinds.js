// Answer widgets for the poll kinds that are not "tap an option": word cloud, open text, rating,
// ranking and 100 points. participant.js owns the vote path (pending votes, acks, receipts,
// errors, drafts); a widget only draws the answer area of one poll card and turns taps and typing
// into drafts or votes. Single choice, multiple choice and quiz stay in participant.js.
//
// One widget per poll card, created by createAnswerWidget(kind, ctx):
//   ctx                 {id, vote(answer), setDraft(value), dropDraft(), submit()}
//                       setDraft(value) stores a draft in participant.js (it survives every
//                       re-render) and re-renders the card; dropDraft() forgets it.
//   widget.node         the answer area, placed under the question
//   widget.submitSlot   optional: where the card puts its Submit button (else under `node`)
//   widget.render(poll, view)
//                       view: {open, canChange, pending, confirmed, draft, held}; pending,
//                       confirmed and draft are answers in the vote payload's shape ({words},
//                       {texts}, {value}, {order}, {points}) or null; held is a Set of the
//                       participant's own texts still waiting for a moderator
//   widget.hint(poll, view)     the short line under the question
//   widget.submitInfo(poll, view)
//                       null when a tap votes at once (rating), else {editing, answer}: whether
//                       the Submit button belongs on screen, and the answer it would send (null
//                       while incomplete)
// Widgets never rebuild inputs that are on screen (it would drop focus and the phone keyboard);
// they set values only where they differ.

import { el } from "./live.js";

export const WORD_MAX = 25; // roundtable/polls/kinds.py WordCloud.MAX_WORD
export const TEXT_MAX = 280; // OpenText.MAX_TEXT
export const POINTS_BUDGET = 100; // Points.BUDGET

export const KIND_LABELS = {
  single: "Choose one",
  multiple: "Choose several",
  quiz: "Quiz",
  wordcloud: "Word cloud",
  opentext: "Open question",
  rating: "Rating",
  ranking: "Ranking",
  points: "100 points",
};

// The server folds spacing (and, for words, case): do the spacing here too, so that the
// answer compared with the stored one and sent is the one the server will keep.
export const tidy = (text) => String(text || "").split(/\s+/).filter(Boolean).join(" ");

// A canonical JSON form of an answer, to tell whether a draft differs from the stored answer.
export function answerKey(answer) {
  if (!answer) return "";
  if (answer.points) {
    const entries = Object.entries(answer.points)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => Number(a) - Number(b));
    return JSON.stringify({ points: entries });
  }
  if (answer.words) return JSON.stringify({ words: answer.words.map((w) => tidy(w).toLowerCase()) });
  return JSON.stringify(answer);
}

const ordinal = (n) => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th"}`;
};

const prefersReducedMotion = () =>
  window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// --- free text: word cloud and open text ---------------------------------------------------------
// Editing (fields) until an answer is stored; then a summary of the participant's own words or
// answers, with those a moderator still holds marked, and "Change" where the poll allows it.

class FreeTextWidget {
  constructor(ctx, { multiline }) {
    this.ctx = ctx;
    this.multiline = multiline;
    this.max = multiline ? TEXT_MAX : WORD_MAX;
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
      text: "Cancel",
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
    const fallback = this.multiline ? 1 : 3;
    return Math.max(1, Math.min(this.multiline ? 5 : 3, Number.isFinite(raw) && raw > 0 ? raw : fallback));
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

  hint(poll, view) {
    const n = this.limit(poll);
    if (this.multiline) {
      return n > 1 ? `Up to ${n} answers, ${TEXT_MAX} characters each` : `Write your answer: up to ${TEXT_MAX} characters`;
    }
    return n > 1 ? `Up to ${n} words or short phrases, ${WORD_MAX} characters each` : `One word or short phrase, up to ${WORD_MAX} characters`;
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
      : el("input", { ...attrs, type: "text", autocapitalize: "none", spellcheck: "true", onkeydown: (e) => this.onKey(e, index) });
    const counter = el("span", { class: "field-counter", id: counterId, "aria-live": "off" });
    const label = el("label", { class: "field-label", for: inputId });
    const remove = this.multiline
      ? el("button", {
          type: "button",
          class: "field-remove",
          "data-testid": `remove-answer-${id}-${index}`,
          "aria-label": `Remove answer ${index + 1}`,
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
      const noun = this.multiline ? "Answer" : "Word";
      setText(field.label, several ? `${noun} ${index + 1}` : this.multiline ? "Your answer" : "Your word");
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

  onKey(event, index) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const next = this.fields[index + 1];
    if (next && !next.input.disabled) next.input.focus();
    else this.ctx.submit();
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
    setText(this.summaryTitle, this.multiline ? (items.length > 1 ? "Your answers" : "Your answer") : items.length > 1 ? "Your words:" : "Your word:");
    const nodes = items.map((text, index) => {
      const waiting = held.has(text);
      if (this.multiline) {
        return el("li", { class: `mine-text${waiting ? " is-held" : ""}`, "data-testid": `my-text-${this.ctx.id}-${index}` },
          el("span", { class: "mine-text-body", text }),
          waiting ? el("span", { class: "held-badge", text: "Waiting for a moderator" }) : null);
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
          ? "Some of your answers are waiting for a moderator. Only you can see them until then."
          : "Your answer is waiting for a moderator. Only you can see it until then."
        : items.length > 1
          ? "Some of your words are waiting for a moderator. Only you can see them until then."
          : "Your word is waiting for a moderator. Only you can see it until then.",
    );
    this.changeButton.hidden = !view.canChange;
    setText(this.changeButton, this.multiline ? (items.length > 1 ? "Change my answers" : "Change my answer") : items.length > 1 ? "Change my words" : "Change my word");
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
      setText(this.addButton, `+ Add another answer (${values.length} of ${this.limit(poll)})`);
      this.cancelButton.hidden = !(view.draft && view.confirmed && editable);
    }
    if (view.confirmed) this.renderSummary(poll, view);
  }
}

// --- rating: one tap on a number votes ----------------------------------------------------------

class RatingWidget {
  constructor(ctx) {
    this.ctx = ctx;
    this.scale = 0;
    this.buttons = [];
    this.grid = el("div", { class: "rating-buttons", role: "group" });
    this.minLabel = el("span", { class: "rating-end rating-end-min" });
    this.maxLabel = el("span", { class: "rating-end rating-end-max" });
    this.node = el("div", { class: "answer-area kind-rating" },
      this.grid,
      el("div", { class: "rating-ends-labels", "aria-hidden": "true" }, this.minLabel, this.maxLabel));
  }

  build(poll) {
    const settings = poll.settings || {};
    const scale = Number(settings.scale) === 10 ? 10 : 5;
    const minLabel = settings.min_label || "";
    const maxLabel = settings.max_label || "";
    const key = JSON.stringify([scale, minLabel, maxLabel]);
    if (key === this.key) return;
    this.key = key;
    this.scale = scale;
    this.grid.classList.toggle("scale-10", scale === 10);
    this.grid.setAttribute("aria-label", `Rate from 1 (${minLabel || "lowest"}) to ${scale} (${maxLabel || "highest"})`);
    this.buttons = [];
    const nodes = [];
    for (let n = 1; n <= scale; n++) {
      const end = n === 1 ? minLabel : n === scale ? maxLabel : "";
      const button = el("button", {
        type: "button",
        class: "rating-button",
        "data-testid": `rating-${this.ctx.id}-${n}`,
        "aria-label": end ? `${n}, ${end}` : String(n),
        onclick: () => this.onTap(n),
      }, el("span", { class: "rating-number", text: String(n) }));
      button.style.setProperty("--i", String(n - 1)); // staggered entrance (CSS)
      this.buttons.push(button);
      nodes.push(button);
    }
    this.grid.replaceChildren(...nodes);
    setText(this.minLabel, minLabel ? `1 · ${minLabel}` : "");
    setText(this.maxLabel, maxLabel ? `${maxLabel} · ${scale}` : "");
  }

  chosen(view) {
    const source = view.pending || view.confirmed;
    return source && Number.isInteger(source.value) ? source.value : null;
  }

  hint(poll, view) {
    return `Tap a number from 1 to ${this.scale || Number((poll.settings || {}).scale) || 5}`;
  }

  submitInfo() {
    return null;
  }

  onTap(n) {
    const view = this.view;
    if (!view || !view.canChange) return;
    if (view.confirmed && view.confirmed.value === n) return; // already this one
    this.ctx.vote({ value: n });
  }

  render(poll, view) {
    this.view = view;
    this.build(poll);
    const chosen = this.chosen(view);
    this.buttons.forEach((button, index) => {
      const n = index + 1;
      const isChosen = n === chosen;
      button.classList.toggle("selected", isChosen);
      button.classList.toggle("sending", Boolean(view.pending) && isChosen);
      button.setAttribute("aria-pressed", String(isChosen));
      button.disabled = !view.canChange;
    });
    this.grid.classList.toggle("has-choice", chosen !== null);
  }
}

// --- ranking: tap in order, adjust with up/down ------------------------------------------------
// Placed options come first, in their order, with a place badge and up/down buttons; the others
// follow in the poll's order. Tapping an unplaced option gives it the next place; tapping a placed
// one takes it out (the ones after it move up). Rows glide to their new place (FLIP), so a tap
// never makes the list jump.

class RankingWidget {
  constructor(ctx) {
    this.ctx = ctx;
    this.rows = new Map(); // option id -> {li, pick, badge, label, up, down, moves}
    this.optionsKey = "";
    this.list = el("ol", { class: "rank-list" });
    this.divider = el("li", { class: "rank-divider", role: "presentation" }, el("span", { text: "Tap the rest in order" }));
    this.progress = el("span", { class: "rank-progress", "data-testid": `rank-progress-${ctx.id}` });
    this.clearButton = el("button", {
      type: "button",
      class: "button link-button rank-clear",
      "data-testid": `rank-clear-${ctx.id}`,
      text: "Clear",
      onclick: () => this.setOrder([]),
    });
    this.announcer = el("p", { class: "sr-only", "aria-live": "polite" });
    this.toolbar = el("div", { class: "answer-toolbar" }, this.progress, this.clearButton);
    this.caption = el("p", { class: "mine-title", text: "Your ranking" }); // once voting is closed
    this.node = el("div", { class: "answer-area kind-ranking" }, this.toolbar, this.caption, this.list, this.announcer);
  }

  build(poll) {
    const key = JSON.stringify(poll.options.map((o) => [o.id, o.label]));
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    this.rows.clear();
    this.list.replaceChildren();
    for (const option of poll.options) {
      const id = option.id;
      const badge = el("span", { class: "rank-badge", "aria-hidden": "true" });
      const label = el("span", { class: "rank-label", text: option.label });
      const pick = el("button", {
        type: "button",
        class: "rank-pick",
        "data-testid": `rank-${id}`,
        onclick: () => this.onPick(id),
      }, badge, label);
      const up = el("button", {
        type: "button",
        class: "rank-move",
        "data-testid": `rank-up-${id}`,
        "aria-label": `Move “${option.label}” up`,
        onclick: () => this.move(id, -1),
      }, el("span", { class: "chevron chevron-up", "aria-hidden": "true" }));
      const down = el("button", {
        type: "button",
        class: "rank-move",
        "data-testid": `rank-down-${id}`,
        "aria-label": `Move “${option.label}” down`,
        onclick: () => this.move(id, 1),
      }, el("span", { class: "chevron chevron-down", "aria-hidden": "true" }));
      const moves = el("div", { class: "rank-moves" }, up, down);
      const li = el("li", { class: "rank-row", dataset: { optionId: String(id) } }, pick, moves);
      this.rows.set(id, { li, pick, badge, label, up, down, moves, text: option.label });
    }
  }

  order(view) {
    const source = view.draft || view.pending || view.confirmed;
    const ids = new Set(this.rows.keys());
    const list = source && Array.isArray(source.order) ? source.order : [];
    return list.filter((id) => ids.has(id));
  }

  hint() {
    return "Tap the options in order: your first tap is 1st place";
  }

  submitInfo(poll, view) {
    const order = this.order(view);
    const complete = order.length === poll.options.length && order.length > 0;
    const changed = !view.confirmed || answerKey({ order }) !== answerKey(view.confirmed);
    return { editing: !view.confirmed || Boolean(view.draft && changed), answer: complete ? { order } : null };
  }

  setOrder(order, announce) {
    this.ctx.setDraft({ order });
    if (announce) this.announcer.textContent = announce;
  }

  onPick(id) {
    const view = this.view;
    if (!view || !view.canChange) return;
    const order = this.order(view);
    const at = order.indexOf(id);
    const text = this.rows.get(id).text;
    if (at >= 0) {
      order.splice(at, 1);
      this.setOrder(order, `${text}: taken out of your ranking.`);
    } else {
      order.push(id);
      this.setOrder(order, `${text}: ${ordinal(order.length)} place.`);
    }
  }

  move(id, step) {
    const view = this.view;
    if (!view || !view.canChange) return;
    const order = this.order(view);
    const at = order.indexOf(id);
    const to = at + step;
    if (at < 0 || to < 0 || to >= order.length) return;
    [order[at], order[to]] = [order[to], order[at]];
    this.setOrder(order, `${this.rows.get(id).text}: ${ordinal(to + 1)} place.`);
    // Keep the focus on the moved row's button, so repeated taps keep moving the same option.
    const row = this.rows.get(id);
    const button = step < 0 ? row.up : row.down;
    const target = button.disabled ? (step < 0 ? row.down : row.up) : button;
    if (!target.disabled) target.focus();
  }

  render(poll, view) {
    this.view = view;
    this.build(poll);
    const order = this.order(view);
    const placed = new Set(order);
    const editable = view.canChange && !view.pending;
    const sequence = [
      ...order.map((id) => this.rows.get(id).li),
      ...(order.length && order.length < this.rows.size && editable ? [this.divider] : []),
      ...poll.options.filter((o) => !placed.has(o.id)).map((o) => this.rows.get(o.id).li),
    ];
    this.placeRows(sequence);
    for (const [id, row] of this.rows) {
      const place = order.indexOf(id) + 1;
      row.li.classList.toggle("is-placed", place > 0);
      row.li.classList.toggle("sending", Boolean(view.pending) && place > 0);
      setText(row.badge, place ? String(place) : "");
      row.pick.disabled = !editable;
      row.pick.setAttribute(
        "aria-label",
        place
          ? `${row.text}: ${ordinal(place)} place.${editable ? " Tap to take it out." : ""}`
          : `${row.text}: not placed yet.${editable ? ` Tap to make it ${ordinal(order.length + 1)}.` : ""}`,
      );
      row.moves.hidden = !place || !editable;
      row.up.disabled = place <= 1;
      row.down.disabled = place === 0 || place >= order.length;
    }
    const total = this.rows.size;
    setText(this.progress, order.length === total ? `All ${total} placed` : `${order.length} of ${total} placed`);
    this.progress.classList.toggle("done", order.length === total);
    this.clearButton.hidden = !editable || order.length === 0;
    this.toolbar.hidden = !view.open;
    this.caption.hidden = view.open;
    this.node.classList.toggle("is-readonly", !editable);
  }

  // Put the rows in `sequence` order, moving only the nodes that must move, and let each glide
  // from where it was (First, Last, Invert, Play).
  placeRows(sequence) {
    const current = Array.from(this.list.children);
    if (current.length === sequence.length && current.every((node, i) => node === sequence[i])) return;
    const animate = this.list.isConnected && !prefersReducedMotion() && typeof Element.prototype.animate === "function";
    const before = new Map();
    if (animate) for (const node of current) before.set(node, node.getBoundingClientRect().top);
    sequence.forEach((node, index) => {
      if (this.list.children[index] !== node) this.list.insertBefore(node, this.list.children[index] || null);
    });
    for (const node of Array.from(this.list.children)) if (!sequence.includes(node)) node.remove();
    if (!animate) return;
    for (const node of sequence) {
      const was = before.get(node);
      if (was === undefined) continue;
      const delta = was - node.getBoundingClientRect().top;
      if (Math.abs(delta) < 1) continue;
      node.animate([{ transform: `translateY(${delta}px)` }, { transform: "none" }], {
        duration: 220,
        easing: "cubic-bezier(.2, .8, .2, 1)",
      });
    }
  }
}

// --- 100 points: steppers and a "points left" bar ---------------------------------------------------

class PointsWidget {
  constructor(ctx) {
    this.ctx = ctx;
    this.rows = new Map();
    this.optionsKey = "";
    this.list = el("div", { class: "points-list" });
    this.left = el("strong", { class: "points-left-value", "data-testid": `points-left-${ctx.id}` });
    this.leftDone = el("span", { class: "points-left-done" });
    this.meterFill = el("span", { class: "points-meter-fill" });
    this.clearButton = el("button", {
      type: "button",
      class: "button link-button points-clear",
      "data-testid": `points-clear-${ctx.id}`,
      text: "Clear",
      onclick: () => this.ctx.setDraft({ points: {} }),
    });
    this.submitSlot = el("div", { class: "points-submit" });
    // Sticks to the bottom of the screen while the options scroll: what is left, and Submit.
    this.bar = el("div", { class: "points-bar" },
      el("span", { class: "points-meter", "aria-hidden": "true" }, this.meterFill),
      el("div", { class: "points-bar-row" },
        el("p", { class: "points-left", role: "status", "aria-live": "polite" },
          el("span", { class: "points-left-text", text: "Points left" }), this.left, this.leftDone),
        this.submitSlot));
    this.toolbar = el("div", { class: "answer-toolbar" }, this.clearButton);
    this.caption = el("p", { class: "mine-title", text: "Your points" }); // once voting is closed
    this.node = el("div", { class: "answer-area kind-points" }, this.toolbar, this.caption, this.list, this.bar);
  }

  build(poll) {
    const key = JSON.stringify(poll.options.map((o) => [o.id, o.label]));
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    this.rows.clear();
    const nodes = poll.options.map((option, index) => {
      const id = option.id;
      const labelId = `points-label-${this.ctx.id}-${id}`;
      const step = (delta, testid, text, label) =>
        el("button", {
          type: "button",
          class: `points-step ${Math.abs(delta) === 1 ? "small" : "big"} ${delta > 0 ? "plus" : "minus"}`,
          "data-testid": testid,
          "aria-label": `${label} ${Math.abs(delta)} ${Math.abs(delta) === 1 ? "point" : "points"}: ${option.label}`,
          onclick: () => this.change(id, delta),
        }, el("span", { "aria-hidden": "true", text }));
      const value = el("output", { class: "points-value", "data-testid": `points-value-${id}`, "aria-describedby": labelId });
      const fill = el("span", { class: "points-row-fill" });
      const buttons = {
        minus: step(-5, `points-minus-${id}`, "−5", "Take away"),
        minus1: step(-1, `points-minus1-${id}`, "−1", "Take away"),
        plus1: step(1, `points-plus1-${id}`, "+1", "Add"),
        plus: step(5, `points-plus-${id}`, "+5", "Add"),
      };
      const row = el("div", { class: "points-row", role: "group", "aria-labelledby": labelId, dataset: { optionId: String(id) } },
        el("div", { class: "points-head" },
          el("span", { class: "points-label", id: labelId, text: option.label }),
          value),
        el("div", { class: "points-controls" },
          buttons.minus, buttons.minus1,
          el("span", { class: "points-row-track", "aria-hidden": "true" }, fill),
          buttons.plus1, buttons.plus));
      row.style.setProperty("--i", String(index));
      this.rows.set(id, { row, value, fill, ...buttons });
      return row;
    });
    this.list.replaceChildren(...nodes);
  }

  points(view) {
    const source = view.draft || view.pending || view.confirmed;
    const out = {};
    for (const id of this.rows.keys()) {
      const n = source && source.points ? Number(source.points[String(id)]) : 0;
      out[String(id)] = Number.isInteger(n) && n > 0 ? n : 0;
    }
    return out;
  }

  hint() {
    return `Give more points to what matters most to you, until all ${POINTS_BUDGET} are placed`;
  }

  submitInfo(poll, view) {
    const points = this.points(view);
    const spent = Object.values(points).reduce((a, b) => a + b, 0);
    const answer = { points: Object.fromEntries(Object.entries(points).filter(([, n]) => n > 0)) };
    const changed = !view.confirmed || answerKey(answer) !== answerKey(view.confirmed);
    return { editing: !view.confirmed || Boolean(view.draft && changed), answer: spent === POINTS_BUDGET ? answer : null };
  }

  change(id, delta) {
    const view = this.view;
    if (!view || !view.canChange || view.pending) return;
    const points = this.points(view);
    const spent = Object.values(points).reduce((a, b) => a + b, 0);
    const key = String(id);
    // Never past 100: +5 with 3 left adds 3; never below 0.
    const next = Math.max(0, Math.min(points[key] + delta, points[key] + (POINTS_BUDGET - spent)));
    if (next === points[key]) return;
    points[key] = next;
    this.ctx.setDraft({ points });
  }

  render(poll, view) {
    this.view = view;
    this.build(poll);
    const points = this.points(view);
    const spent = Object.values(points).reduce((a, b) => a + b, 0);
    const left = POINTS_BUDGET - spent;
    const editable = view.canChange && !view.pending;
    for (const [id, row] of this.rows) {
      const n = points[String(id)];
      setText(row.value, String(n));
      row.value.classList.toggle("zero", n === 0);
      row.fill.style.width = `${n}%`;
      row.row.classList.toggle("has-points", n > 0);
      row.minus.disabled = row.minus1.disabled = !editable || n === 0;
      row.plus.disabled = row.plus1.disabled = !editable || left === 0;
    }
    setText(this.left, String(left));
    setText(this.leftDone, left === 0 ? "All placed" : "");
    this.left.dataset.left = String(left);
    this.bar.classList.toggle("done", left === 0);
    this.meterFill.style.width = `${spent}%`;
    this.clearButton.hidden = !editable || spent === 0;
    this.toolbar.hidden = this.clearButton.hidden;
    this.caption.hidden = view.open;
    this.node.classList.toggle("is-readonly", !editable);
    this.bar.hidden = !view.open;
  }
}

const WIDGETS = {
  wordcloud: (ctx) => new FreeTextWidget(ctx, { multiline: false }),
  opentext: (ctx) => new FreeTextWidget(ctx, { multiline: true }),
  rating: (ctx) => new RatingWidget(ctx),
  ranking: (ctx) => new RankingWidget(ctx),
  points: (ctx) => new PointsWidget(ctx),
};

export const WIDGET_KINDS = new Set(Object.keys(WIDGETS));

export function createAnswerWidget(kind, ctx) {
  const make = WIDGETS[kind];
  return make ? make(ctx) : null;
}
