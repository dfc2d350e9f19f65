// Drawing pieces that several kinds share: the bars of choice, quiz and 100-points polls, and the
// total line under a drawing.
import { el, percent } from "../live.js";
import { responsesText } from "../text.js";

// The line under a drawing: "12 responses", "Waiting for the first words…".
export function totalLine(container, text) {
  let line = container.querySelector(":scope > .results-total");
  if (!line) {
    line = el("p", { class: "results-total" });
    container.append(line);
  }
  line.textContent = text;
}

// Horizontal result bars, one row per option; widths animate between tallies.
export function renderBars(container, poll, tally) {
  const total = tally ? tally.total : 0;
  let list = container.querySelector("ol.bars");
  if (!list || list.dataset.pollId !== String(poll.id) || list.children.length !== poll.options.length) {
    container.replaceChildren();
    list = el("ol", { class: "bars", dataset: { pollId: String(poll.id) } });
    for (const option of poll.options) {
      list.append(
        el("li", { class: "bar-row", dataset: { optionId: String(option.id) } },
          el("div", { class: "bar-label" },
            el("span", { class: "bar-text", text: option.label }),
            el("span", { class: "bar-figures" })),
          el("div", { class: "bar-track" }, el("div", { class: "bar-fill" }))),
      );
    }
    container.append(list, el("p", { class: "bars-total" }));
  }
  for (const row of list.children) {
    const option = poll.options.find((o) => String(o.id) === row.dataset.optionId);
    if (option) row.querySelector(".bar-text").textContent = option.label;
    const count = tally ? tally.counts[row.dataset.optionId] || 0 : 0;
    const share = percent(count, total);
    row.querySelector(".bar-figures").textContent = `${count} · ${share}%`;
    row.querySelector(".bar-fill").style.width = `${share}%`;
    row.dataset.count = String(count);
  }
  container.querySelector(".bars-total").textContent = responsesText(total);
  container.dataset.total = String(total);
}
