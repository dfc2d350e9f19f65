// Horizontal result bars, shared by the phone, the console and the projector.
// renderBars(container, poll, tally) updates rows in place, so widths animate between tallies.
import { el, percent } from "./live.js";

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
  const noun = total === 1 ? "response" : "responses";
  container.querySelector(".bars-total").textContent = `${total} ${noun}`;
  container.dataset.total = String(total);
}
