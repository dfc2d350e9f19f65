// Rating scale, the phone's answer widget (loaded on demand: kinds/rating.js).
import { el } from "../live.js";
import { setText } from "../text.js";
import { t } from "../i18n.js";

// --- the phone: one tap on a number votes ----------------------------------------------------------

export class RatingWidget {
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
