// 100 points: each person shares 100 points over the options; the room sees each option's total
// and average. Python: roundtable/polls/kinds.py Points (renderer "points"; up to 10 options).
import { el, percent } from "../live.js";
import { questionSays, responsesText, setText } from "../text.js";
import { answerKey } from "./answers.js";
import { renderBars } from "./drawing.js";

const POINTS_BUDGET = 100; // Points.BUDGET

// --- the phone: steppers and a "points left" bar ---------------------------------------------------

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

// --- results: total and average per option ------------------------------------------------------

function drawPoints(container, poll, tally) {
  const total = tally ? tally.total : 0;
  const sums = tally ? tally.points : {};
  const grand = Object.values(sums).reduce((a, b) => a + b, 0);
  const asBars = { total: grand, counts: sums };
  renderBars(container, poll, asBars);
  for (const row of container.querySelectorAll(".bar-row")) {
    const id = row.dataset.optionId;
    const average = tally ? tally.average[id] : 0;
    row.querySelector(".bar-figures").textContent = `${sums[id] || 0} pts · avg ${average}`;
    row.querySelector(".bar-fill").style.width = `${percent(sums[id] || 0, grand)}%`;
  }
  const line = container.querySelector(".bars-total");
  if (line) line.textContent = responsesText(total);
}

export default {
  name: "points",
  label: "100 points",
  phoneLabel: "100 points",
  help: "Share 100 points over the options",
  icon: "kindPoints",
  renderer: "points",
  hasOptions: true,
  maxOptions: 10,
  summary: () => "100 points",
  describe: () => "Each person shares 100 points over the options.",
  screenHint: (poll) => (questionSays(poll, "points") ? "" : "Share 100 points across the options"),
  draw: drawPoints,
  widget: (ctx) => new PointsWidget(ctx),
};
