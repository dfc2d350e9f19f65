// 100 points: each person shares 100 points over the options; the room sees each option's total
// and average. Python: roundtable/polls/kinds.py Points (renderer "points"; up to 10 options).
// The phone's answer widget: kinds/points-widget.js; the console's part: kinds/staff/points.js.
import { percent } from "../live.js";
import { responsesText } from "../text.js";
import { renderBars } from "./drawing.js";
import { lazyWidget } from "./lazy-widget.js";
import { t } from "../i18n.js";

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
  phoneLabel: t("100 points"),
  renderer: "points",
  draw: drawPoints,
  // The phone loads the answer widget when a 100-points poll shows (kinds/lazy-widget.js).
  widget: lazyWidget(() => import("./points-widget.js"), "PointsWidget"),
};
