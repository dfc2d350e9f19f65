// Rating scale: one tap on a number from 1 to 5 (or 10) between two labels; the room sees the
// distribution and the mean. Python: roundtable/polls/kinds.py Rating (renderer "rating").
// The console's part (editor, summary): kinds/staff/rating.js.
import { el } from "../live.js";
import { responsesText, setText } from "../text.js";
import { totalLine } from "./drawing.js";
import { t } from "../i18n.js";

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
    this.grid.setAttribute("aria-label", t("Rate from 1 (%(low)s) to %(scale)s (%(high)s)", { low: minLabel || t("lowest"), scale, high: maxLabel || t("highest") }));
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
    return t("Tap a number from 1 to %(scale)s", { scale: this.scale || Number((poll.settings || {}).scale) || 5 });
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

export default {
  name: "rating",
  label: "Rating scale",
  phoneLabel: t("Rating"),
  renderer: "rating",
  screenHint: () => "",
  draw: drawRating,
  markMine: markMyRating,
  widget: (ctx) => new RatingWidget(ctx),
};
