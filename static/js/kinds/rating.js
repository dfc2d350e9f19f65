// Rating scale: one tap on a number from 1 to 5 (or 10) between two labels; the room sees the
// distribution and the mean. Python: roundtable/polls/kinds.py Rating (renderer "rating").
import { el } from "../live.js";
import { responsesText, setText } from "../text.js";
import { totalLine } from "./drawing.js";

// --- the phone: one tap on a number votes ----------------------------------------------------------

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

// --- results: distribution columns and the mean ----------------------------------------------------

function drawRating(container, poll, tally) {
  const scale = poll.settings.scale || 5;
  let chart = container.querySelector(".rating");
  if (!chart || chart.querySelectorAll(".rating-col").length !== scale) {
    container.replaceChildren();
    chart = el("div", { class: "rating" });
    chart.append(el("div", { class: "rating-mean" }, el("strong", { class: "rating-mean-value" }), el("span", { text: "average" })));
    const columns = el("div", { class: "rating-columns" });
    for (let n = 1; n <= scale; n++) {
      columns.append(
        el("div", { class: "rating-col", dataset: { value: String(n) } },
          el("span", { class: "rating-count" }),
          el("div", { class: "rating-track" }, el("div", { class: "rating-fill" })),
          el("span", { class: "rating-value", text: String(n) })),
      );
    }
    chart.append(columns);
    container.append(
      chart,
      el("div", { class: "rating-ends" },
        el("span", { text: `1 = ${poll.settings.min_label || ""}` }),
        el("span", { text: `${scale} = ${poll.settings.max_label || ""}` })),
    );
    // The mean sits in the first child; columns in the second.
    chart.dataset.scale = String(scale);
  }
  const counts = tally ? tally.counts : {};
  const max = Math.max(1, ...Object.values(counts));
  for (const col of chart.querySelectorAll(".rating-col")) {
    const count = counts[col.dataset.value] || 0;
    col.querySelector(".rating-count").textContent = String(count);
    col.querySelector(".rating-fill").style.height = `${Math.round((count / max) * 100)}%`;
  }
  const mean = tally && tally.mean !== null && tally.mean !== undefined ? tally.mean.toFixed(1) : "–";
  chart.querySelector(".rating-mean-value").textContent = mean;
  totalLine(container, responsesText(tally ? tally.total : 0));
}

// The phone: the participant's own number stands out.
function markMyRating(box, answer) {
  for (const col of box.querySelectorAll(".rating-col")) col.classList.toggle("mine", Number(col.dataset.value) === answer.value);
}

// --- the editor ------------------------------------------------------------------------------------

function scaleBlock() {
  const field = (label, input) => el("div", { class: "field" }, label, input);
  return [
    el("div", { class: "field-grid three rating-grid" },
      field(el("label", { class: "field-label", for: "poll-scale", text: "Scale" }),
        el("select", { id: "poll-scale", name: "scale", "data-testid": "poll-scale" },
          el("option", { value: "5", text: "1 to 5" }),
          el("option", { value: "10", text: "1 to 10" }))),
      field(el("label", { class: "field-label", for: "poll-min-label", text: "Label for 1" }),
        el("input", { id: "poll-min-label", name: "min_label", maxlength: "40", "data-testid": "poll-min-label", placeholder: "e.g. Not at all" })),
      field(el("label", { class: "field-label", for: "poll-max-label" }, "Label for ", el("span", { "data-role": "scale-top", text: "5" })),
        el("input", { id: "poll-max-label", name: "max_label", maxlength: "40", "data-testid": "poll-max-label", placeholder: "e.g. Very much" }))),
  ];
}

// "Label for 5" / "Label for 10" follows the scale.
function syncScale(f) {
  const top = f.scale.form.querySelector('[data-role="scale-top"]');
  top.textContent = f.scale.value;
}

export default {
  name: "rating",
  label: "Rating scale",
  phoneLabel: "Rating",
  help: "1–5 or 1–10 between two labels",
  icon: "kindRating",
  renderer: "rating",
  hasOptions: false,
  summary: (poll) => `Rating 1–${(poll.settings || {}).scale || 5}`,
  describe(poll) {
    const s = poll.settings || {};
    return `A scale from 1 (${s.min_label || "lowest"}) to ${s.scale || 5} (${s.max_label || "highest"}).`;
  },
  screenHint: () => "",
  draw: drawRating,
  markMine: markMyRating,
  widget: (ctx) => new RatingWidget(ctx),
  editor: {
    block: scaleBlock,
    wire(f) {
      f.scale.addEventListener("change", () => syncScale(f));
    },
    // Every kind's fields get a value (a default when the poll is of another kind).
    fill(f, poll) {
      const s = (poll && poll.settings) || {};
      const own = poll && poll.kind === "rating";
      f.scale.value = String(s.scale || 5);
      f.min_label.value = own ? s.min_label || "" : "Not at all";
      f.max_label.value = own ? s.max_label || "" : "Very much";
      syncScale(f);
    },
    collect: (f) => ({ value: { scale: Number(f.scale.value), min_label: f.min_label.value.trim(), max_label: f.max_label.value.trim() } }),
  },
};
