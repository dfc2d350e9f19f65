// Ranking: each person puts the options in order; the room sees them by Borda score.
// Python: roundtable/polls/kinds.py Ranking (renderer "ranking"; up to 10 options).
// The phone's answer widget: kinds/ranking-widget.js; the console's part: kinds/staff/ranking.js.
import { el } from "../live.js";
import { responsesText } from "../text.js";
import { totalLine } from "./drawing.js";
import { lazyWidget } from "./lazy-widget.js";
import { t } from "../i18n.js";

// --- results: options by Borda score ------------------------------------------------------------

function drawRanking(container, poll, tally) {
  let list = container.querySelector(".ranking");
  if (!list) {
    list = el("ol", { class: "ranking bars" });
    container.prepend(list);
  }
  const rows = tally ? tally.ranking : poll.options.map((o) => ({ option_id: o.id, score: 0, average_position: null }));
  const best = Math.max(1, ...rows.map((r) => r.score));
  const existing = new Map(Array.from(list.children, (node) => [node.dataset.optionId, node]));
  const ordered = [];
  rows.forEach((row, index) => {
    const option = poll.options.find((o) => o.id === row.option_id);
    if (!option) return;
    let node = existing.get(String(row.option_id));
    if (!node) {
      node = el("li", { class: "bar-row ranking-row", dataset: { optionId: String(row.option_id) } },
        el("div", { class: "bar-label" },
          el("span", { class: "bar-text" }, el("span", { class: "rank" }), el("span", { class: "rank-label" })),
          el("span", { class: "bar-figures" })),
        el("div", { class: "bar-track" }, el("div", { class: "bar-fill" })));
    }
    node.querySelector(".rank").textContent = `${index + 1}`;
    node.querySelector(".rank-label").textContent = option.label;
    const avg = row.average_position ? t("avg. place %(place)s", { place: row.average_position.toFixed(1) }) : t("no votes");
    node.querySelector(".bar-figures").textContent = `${row.score} pts · ${avg}`;
    node.querySelector(".bar-fill").style.width = `${Math.round((row.score / best) * 100)}%`;
    ordered.push(node);
  });
  list.replaceChildren(...ordered);
  totalLine(container, responsesText(tally ? tally.total : 0));
}

export default {
  name: "ranking",
  label: "Ranking",
  phoneLabel: t("Ranking"),
  renderer: "ranking",
  draw: drawRanking,
  // The phone loads the answer widget when a ranking poll shows (kinds/lazy-widget.js).
  widget: lazyWidget(() => import("./ranking-widget.js"), "RankingWidget"),
};
