// Rating scale: one tap on a number from 1 to 5 (or 10) between two labels; the room sees the
// distribution and the mean. Python: roundtable/polls/kinds.py Rating (renderer "rating").
// The phone's answer widget: kinds/rating-widget.js; the console's part: kinds/staff/rating.js.
import { el } from "../live.js";
import { responsesText } from "../text.js";
import { totalLine } from "./drawing.js";
import { lazyWidget } from "./lazy-widget.js";
import { t } from "../i18n.js";

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
  draw: drawRating,
  markMine: markMyRating,
  // The phone loads the answer widget when a rating poll shows (kinds/lazy-widget.js).
  widget: lazyWidget(() => import("./rating-widget.js"), "RatingWidget"),
};
