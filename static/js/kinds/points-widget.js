// 100 points, the phone's answer widget (loaded on demand: kinds/points.js).
import { el } from "../live.js";
import { setText } from "../text.js";
import { answerKey } from "./answers.js";
import { t } from "../i18n.js";

const POINTS_BUDGET = 100; // Points.BUDGET

// --- the phone: steppers and a "points left" bar ---------------------------------------------------

export class PointsWidget {
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
      text: t("Clear"),
      onclick: () => this.ctx.setDraft({ points: {} }),
    });
    this.submitSlot = el("div", { class: "points-submit" });
    // Sticks to the bottom of the screen while the options scroll: what is left, and Submit.
    this.bar = el("div", { class: "points-bar" },
      el("span", { class: "points-meter", "aria-hidden": "true" }, this.meterFill),
      el("div", { class: "points-bar-row" },
        el("p", { class: "points-left", role: "status", "aria-live": "polite" },
          el("span", { class: "points-left-text", text: t("Points left") }), this.left, this.leftDone),
        this.submitSlot));
    this.toolbar = el("div", { class: "answer-toolbar" }, this.clearButton);
    this.caption = el("p", { class: "mine-title", text: t("Your points") }); // once voting is closed
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
      // Type a number, or drag the slider: both are capped at what is left (set()).
      const value = el("input", {
        type: "number", class: "points-value", min: "0", max: String(POINTS_BUDGET), step: "1", inputmode: "numeric",
        "data-testid": `points-value-${id}`, "aria-label": `Points for ${option.label}`,
        onchange: (ev) => this.set(id, ev.currentTarget.value),
        onkeydown: (ev) => {
          if (ev.key === "Enter") {
            ev.preventDefault();
            this.set(id, ev.currentTarget.value);
          }
        },
      });
      const fill = el("input", {
        type: "range", class: "points-slider", min: "0", max: String(POINTS_BUDGET), step: "1",
        "data-testid": `points-slider-${id}`, "aria-label": `Points for ${option.label} (slider)`,
        oninput: (ev) => this.set(id, ev.currentTarget.value),
      });
      const buttons = {
        minus: step(-5, `points-minus-${id}`, "−5", t("Take away")),
        minus1: step(-1, `points-minus1-${id}`, "−1", t("Take away")),
        plus1: step(1, `points-plus1-${id}`, "+1", "Add"),
        plus: step(5, `points-plus-${id}`, "+5", "Add"),
      };
      const row = el("div", { class: "points-row", role: "group", "aria-labelledby": labelId, dataset: { optionId: String(id) } },
        el("div", { class: "points-head" },
          el("span", { class: "points-label", id: labelId, text: option.label }),
          value),
        el("div", { class: "points-controls" },
          buttons.minus, buttons.minus1,
          el("span", { class: "points-row-track" }, fill),
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
    return t("Give more points to what matters most to you, until all %(budget)s are placed", { budget: POINTS_BUDGET });
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

  // A typed or dragged amount for one option: a whole number from 0 to what is left for it.
  set(id, raw) {
    const view = this.view;
    if (!view || !view.canChange || view.pending) return;
    const points = this.points(view);
    const key = String(id);
    const others = Object.values(points).reduce((a, b) => a + b, 0) - points[key];
    const wanted = Math.round(Number(raw));
    const next = Number.isFinite(wanted) ? Math.max(0, Math.min(wanted, POINTS_BUDGET - others)) : points[key];
    if (next === points[key]) {
      this.render(this.poll || { options: [] }, view); // put the capped value back in the field
      return;
    }
    points[key] = next;
    this.ctx.setDraft({ points });
  }

  render(poll, view) {
    this.view = view;
    this.poll = poll;
    this.build(poll);
    const points = this.points(view);
    const spent = Object.values(points).reduce((a, b) => a + b, 0);
    const left = POINTS_BUDGET - spent;
    const editable = view.canChange && !view.pending;
    for (const [id, row] of this.rows) {
      const n = points[String(id)];
      if (document.activeElement !== row.value || Number(row.value.value) !== n) row.value.value = String(n);
      row.value.classList.toggle("zero", n === 0);
      row.value.disabled = !editable;
      row.fill.value = String(n);
      row.fill.disabled = !editable;
      row.fill.style.setProperty("--fill", `${n}%`);
      row.row.classList.toggle("has-points", n > 0);
      row.minus.disabled = row.minus1.disabled = !editable || n === 0;
      row.plus.disabled = row.plus1.disabled = !editable || left === 0;
    }
    setText(this.left, String(left));
    setText(this.leftDone, left === 0 ? t("All placed") : "");
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
