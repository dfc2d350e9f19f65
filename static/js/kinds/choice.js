// What single choice, multiple choice and quiz share: the phone's option buttons, the result
// bars, and the phone's own answer marked in them. Each of the three kinds is its own module
// (single.js, multiple.js, quiz.js) built from these pieces.
import { el } from "../live.js";
import { chosenIds } from "./answers.js";
import { renderBars } from "./drawing.js";

const sameSet = (a, b) => a.size === b.size && [...a].every((value) => b.has(value));

// How many options a multiple-choice poll lets one person pick.
export function maxSelections(poll) {
  const count = (poll.options || []).length;
  const limit = Number(poll.settings && poll.settings.max_selections);
  return limit > 0 ? Math.min(limit, count) : count;
}

// --- the phone: one button per option --------------------------------------------------------
// One tap votes (single, quiz); with `multiple`, taps build a draft that Submit sends. The widget
// interface is the one of every kind (see free-text.js): node, render, hint, submitInfo.

export class ChoiceWidget {
  constructor(ctx, { multiple = false } = {}) {
    this.ctx = ctx;
    this.multiple = multiple;
    this.optionsKey = "";
    this.buttons = new Map(); // option id -> button
    this.keepWhenClosed = true; // the options stay on the card once voting closes
    this.usesKeyboard = false;
    this.node = el("div", {
      class: "options",
      role: "group",
      "aria-labelledby": `poll-q-${ctx.id}`,
      "aria-describedby": `poll-hint-${ctx.id}`,
    });
  }

  build(poll) {
    const key = JSON.stringify([poll.kind, poll.options.map((o) => [o.id, o.label])]);
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    this.buttons.clear();
    this.node.replaceChildren();
    poll.options.forEach((option, index) => {
      const button = el(
        "button",
        {
          type: "button",
          class: "option",
          "data-testid": `option-${option.id}`,
          dataset: { optionId: String(option.id) },
          onclick: () => this.onOption(option.id),
        },
        el("span", { class: "option-mark", "aria-hidden": "true" }),
        el("span", { class: "option-label", text: option.label }),
      );
      button.style.setProperty("--i", String(index)); // staggered entrance (CSS)
      this.buttons.set(option.id, button);
      this.node.append(button);
    });
  }

  // What shows as chosen: the vote in flight, else the draft, else the confirmed answer.
  selection(view) {
    if (view.pending) return new Set(chosenIds(view.pending));
    if (view.draft && view.draft.options) return new Set(view.draft.options);
    return new Set(chosenIds(view.confirmed));
  }

  hint(poll, view) {
    if (this.multiple) {
      const max = maxSelections(poll);
      const count = this.selection(view).size;
      return `Choose up to ${max}` + (count ? ` · ${count} of ${max} chosen` : "");
    }
    return poll.kind === "quiz" ? "Tap the answer you think is right" : "Tap one answer";
  }

  // Multiple choice only: Submit shows until the answer is stored, and again once a selection
  // differs from it ("Update answer").
  submitInfo(poll, view) {
    if (!this.multiple) return null;
    const draft = view.draft && view.draft.options ? view.draft.options : null;
    const current = new Set(chosenIds(view.confirmed));
    const untouched = !draft || sameSet(draft, current);
    const answer = draft && draft.size ? { options: Array.from(draft).sort((a, b) => a - b) } : null;
    return { editing: !view.confirmed || !untouched, answer };
  }

  onOption(optionId) {
    const view = this.view;
    if (!view || !view.canChange) return;
    if (!this.multiple) {
      if (chosenIds(view.confirmed).includes(optionId)) return; // already this one
      this.ctx.vote({ option: optionId });
      return;
    }
    const options = new Set(view.draft && view.draft.options ? view.draft.options : chosenIds(view.confirmed));
    if (options.has(optionId)) options.delete(optionId);
    else if (options.size < maxSelections(this.poll)) options.add(optionId);
    this.ctx.setDraft({ options });
  }

  render(poll, view) {
    this.poll = poll;
    this.view = view;
    this.build(poll);
    const selected = this.selection(view);
    const max = maxSelections(poll);
    for (const [optionId, button] of this.buttons) {
      const isChosen = selected.has(optionId);
      button.classList.toggle("selected", isChosen);
      button.classList.toggle("sending", Boolean(view.pending) && isChosen);
      button.setAttribute("aria-pressed", String(isChosen));
      // Multiple choice: once the limit is reached, the other options are disabled.
      const overLimit = this.multiple && !isChosen && selected.size >= max;
      button.disabled = !view.canChange || overLimit;
    }
  }

  // A quiz after the reveal: the correct option, and the participant's own if it was wrong.
  markCorrect(correct, mine) {
    for (const [optionId, button] of this.buttons) {
      const isCorrect = correct !== null && optionId === correct;
      const isWrong = correct !== null && !isCorrect && optionId === mine;
      button.classList.toggle("correct", isCorrect);
      button.classList.toggle("wrong", isWrong);
      let tag = button.querySelector(".option-tag");
      const text = isCorrect ? (optionId === mine ? "Correct · your answer" : "Correct answer") : isWrong ? "Your answer" : "";
      if (text && !tag) {
        tag = el("span", { class: "option-tag" });
        button.append(tag);
      }
      if (tag) {
        if (text) tag.textContent = text;
        else tag.remove();
      }
    }
  }
}

// --- results: bars, the correct option of a revealed quiz ------------------------------------

export function drawChoiceBars(container, poll, tally) {
  renderBars(container, poll, tally);
  const correct = tally && tally.correct_option;
  for (const row of container.querySelectorAll(".bar-row")) {
    const isCorrect = correct !== undefined && correct !== null && row.dataset.optionId === String(correct);
    row.classList.toggle("correct", isCorrect);
    row.classList.toggle("incorrect", correct !== undefined && correct !== null && !isCorrect);
  }
}

// The phone: mark the participant's own choice in the bars, so results read as "you and the room".
export function markChosen(box, answer) {
  const mine = new Set(chosenIds(answer).map(String));
  for (const row of box.querySelectorAll(".bar-row")) {
    const isMine = mine.has(row.dataset.optionId);
    row.classList.toggle("mine", isMine);
    let mark = row.querySelector(".mine-mark");
    if (isMine && !mark) {
      mark = el("span", { class: "mine-mark", title: "Your answer" },
        el("span", { "aria-hidden": "true", text: "✓" }),
        el("span", { class: "sr-only", text: "Your answer: " }));
      row.querySelector(".bar-text").before(mark);
    } else if (!isMine && mark) mark.remove();
  }
  let legend = box.querySelector(".mine-legend");
  const total = box.querySelector(".bars-total");
  if (mine.size && total && !legend) {
    legend = el("span", { class: "mine-legend", "aria-hidden": "true" },
      el("span", { class: "mine-mark", text: "✓" }), "your answer");
    total.append(legend);
  } else if (!mine.size && legend) legend.remove();
}

// Single and multiple choice: bars only (a poll changed from a quiz loses the quiz's parts).
export function drawPlainBars(container, poll, tally) {
  drawChoiceBars(container, poll, tally);
  for (const node of container.querySelectorAll(":scope .quiz-note, :scope > .leaderboard")) node.remove();
}
