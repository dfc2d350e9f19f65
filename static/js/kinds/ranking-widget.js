// Ranking, the phone's answer widget (loaded on demand: kinds/ranking.js).
import { el } from "../live.js";
import { setText } from "../text.js";
import { answerKey } from "./answers.js";
import { t } from "../i18n.js";

const prefersReducedMotion = () =>
  window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

// --- the phone: tap in order, adjust with up/down ------------------------------------------------
// Placed options come first, in their order, with a place badge and up/down buttons; the others
// follow in the poll's order. Tapping an unplaced option gives it the next place; tapping a placed
// one takes it out (the ones after it move up). Rows glide to their new place (FLIP), so a tap
// never makes the list jump.

export class RankingWidget {
  constructor(ctx) {
    this.ctx = ctx;
    this.rows = new Map(); // option id -> {li, pick, badge, label, up, down, moves}
    this.rowsState = new Map(); // option id -> its description (place, what a tap does)
    this.optionsKey = "";
    this.list = el("ol", { class: "rank-list" });
    this.divider = el("li", { class: "rank-divider", role: "presentation" }, el("span", { text: t("Tap the rest in order") }));
    this.progress = el("span", { class: "rank-progress", "data-testid": `rank-progress-${ctx.id}` });
    this.clearButton = el("button", {
      type: "button",
      class: "button link-button rank-clear",
      "data-testid": `rank-clear-${ctx.id}`,
      text: t("Clear"),
      onclick: () => this.setOrder([]),
    });
    this.announcer = el("p", { class: "sr-only", "aria-live": "polite" });
    this.toolbar = el("div", { class: "answer-toolbar" }, this.progress, this.clearButton);
    this.caption = el("p", { class: "mine-title", text: t("Your ranking") }); // once voting is closed
    this.node = el("div", { class: "answer-area kind-ranking" }, this.toolbar, this.caption, this.list, this.announcer);
  }

  build(poll) {
    const key = JSON.stringify(poll.options.map((o) => [o.id, o.label]));
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    this.rows.clear();
    this.rowsState.clear();
    this.list.replaceChildren();
    for (const option of poll.options) {
      const id = option.id;
      const badge = el("span", { class: "rank-badge", "aria-hidden": "true" });
      const label = el("span", { class: "rank-label", text: option.label });
      // The button's name is its visible label; its place and what a tap does are its description.
      const state = el("span", { class: "sr-only", id: `rank-state-${this.ctx.id}-${id}` });
      const pick = el("button", {
        type: "button",
        class: "rank-pick",
        "data-testid": `rank-${id}`,
        "aria-describedby": state.id,
        onclick: () => this.onPick(id),
      }, badge, label, state);
      const up = el("button", {
        type: "button",
        class: "rank-move",
        "data-testid": `rank-up-${id}`,
        "aria-label": t("Move “%(option)s” up", { option: option.label }),
        onclick: () => this.move(id, -1),
      }, el("span", { class: "chevron chevron-up", "aria-hidden": "true" }));
      const down = el("button", {
        type: "button",
        class: "rank-move",
        "data-testid": `rank-down-${id}`,
        "aria-label": t("Move “%(option)s” down", { option: option.label }),
        onclick: () => this.move(id, 1),
      }, el("span", { class: "chevron chevron-down", "aria-hidden": "true" }));
      const moves = el("div", { class: "rank-moves" }, up, down);
      const li = el("li", { class: "rank-row", dataset: { optionId: String(id) } }, pick, moves);
      this.rowsState.set(id, state);
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
    return t("Tap the options in order: your first tap is 1st place");
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
      this.setOrder(order, t("%(option)s: taken out of your ranking.", { option: text }));
    } else {
      order.push(id);
      this.setOrder(order, t("%(option)s: place %(n)s.", { option: text, n: order.length }));
    }
    // The picked row moved: keep the keyboard where the next pick is (the first option not
    // placed yet), or on the picked option when every one is placed.
    const next = this.order(this.view);
    const unplaced = [...this.rows.keys()].filter((other) => !next.includes(other));
    const target = unplaced.length ? this.rows.get(unplaced[0]).pick : this.rows.get(id).pick;
    if (target && !target.disabled) target.focus();
  }

  move(id, step) {
    const view = this.view;
    if (!view || !view.canChange) return;
    const order = this.order(view);
    const at = order.indexOf(id);
    const to = at + step;
    if (at < 0 || to < 0 || to >= order.length) return;
    [order[at], order[to]] = [order[to], order[at]];
    this.setOrder(order, t("%(option)s: place %(n)s.", { option: this.rows.get(id).text, n: to + 1 }));
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
      setText(
        this.rowsState.get(id),
        place
          ? t(" Place %(n)s.", { n: place }) + (editable ? t(" Tap to take it out.") : "")
          : t(" Not placed yet.") + (editable ? t(" Tap to put it in place %(n)s.", { n: order.length + 1 }) : ""),
      );
      row.moves.hidden = !place || !editable;
      row.up.disabled = place <= 1;
      row.down.disabled = place === 0 || place >= order.length;
    }
    const total = this.rows.size;
    setText(this.progress, order.length === total ? t("All %(total)s placed", { total }) : t("%(count)s of %(total)s placed", { count: order.length, total }));
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
