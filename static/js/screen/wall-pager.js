// The projector's open-text wall pages through the approved answers: the wall is laid out in
// CSS columns of readable width filling the screen; answers that do not fit flow into columns
// off screen, and every PAGE_MS the wall moves on by one screenful (back to the first after the
// last), with "Page 2 of 3" under it. Nothing moves when everything fits, or while
// prefers-reduced-motion asks for no motion (the page then changes without sliding).
import { el } from "../live.js";
import { t } from "../i18n.js";

export const PAGE_MS = 9000;

export class WallPager {
  constructor(chart) {
    this.chart = chart;
    this.page = 0;
    this.label = el("p", { class: "wall-pages", "data-testid": "wall-pages", hidden: true });
    this.timer = setInterval(() => this.next(), PAGE_MS);
    // The wall is drawn while its view may still be hidden (nothing to measure: "1 of 1"), and
    // a projector's resolution can change: count the pages again whenever its size changes.
    if (typeof ResizeObserver === "function") new ResizeObserver(() => this.refresh()).observe(chart);
  }

  wall() {
    return this.chart.dataset.kind === "opentext" ? this.chart.querySelector(".wall") : null;
  }

  // How many screenfuls the wall has now (1 when it all fits).
  pages() {
    const wall = this.wall();
    if (!wall || !wall.clientWidth) return 1;
    const gap = parseFloat(getComputedStyle(wall).columnGap) || 0;
    // Every column of the last page counts, however few answers it holds (rounding would drop
    // a last page less than half full, and its answers would never be on screen).
    return Math.max(1, Math.ceil((wall.scrollWidth + gap) / (wall.clientWidth + gap) - 0.01));
  }

  show(page) {
    const wall = this.wall();
    if (!wall) return;
    const count = this.pages();
    this.page = ((page % count) + count) % count;
    const gap = parseFloat(getComputedStyle(wall).columnGap) || 0;
    wall.scrollLeft = this.page * (wall.clientWidth + gap);
    this.label.textContent = t("Page %(page)s of %(pages)s", { page: this.page + 1, pages: count });
    this.label.hidden = count < 2;
    if (this.label.parentNode !== this.chart.parentNode) this.chart.after(this.label);
  }

  // After every redraw: stay on the same page if it still exists.
  refresh() {
    if (!this.wall()) {
      this.label.hidden = true;
      return;
    }
    this.show(this.page);
  }

  next() {
    if (this.wall()) this.show(this.page + 1);
  }
}
