// Results by stakeholder group, drawn as columns side by side (console, projector, phones).
// A split is a "group tally" from the server (docs/socket-protocol.md, "Results by stakeholder
// group"): the disclosure control has already removed every group too small to show, so this
// only draws what it is given. Each column has the shape of an ordinary tally and is drawn by
// results.js like one. Text is always set with textContent.
import { renderResults } from "./results.js";
import { el } from "./live.js";
import { t } from "./i18n.js";

function people(n) {
  return `${n} ${n === 1 ? "respondent" : "respondents"}`;
}

export function renderColumns(container, poll, split, { testid = "split" } = {}) {
  container.classList.add("group-split");
  const columns = (split && split.columns) || [];
  const shape = `${poll.id}:${columns.map((c) => c.key).join(",")}:${split && split.hidden ? "h" : "v"}`;
  if (container.dataset.splitShape !== shape) {
    container.replaceChildren();
    container.dataset.splitShape = shape;
    container.style.setProperty("--split-columns", String(Math.max(columns.length, 1)));
    for (const column of columns) {
      const chart = el("div", { class: "split-chart" });
      container.append(el("section", {
        class: `split-column${column.key === "everyone" ? " is-everyone" : ""}${column.key === "other_groups" ? " is-other" : ""}`,
        "data-testid": `${testid}-column-${column.key}`, dataset: { key: column.key },
      },
      el("header", { class: "split-head" },
        el("h3", { class: "split-label", text: column.label }),
        el("p", { class: "split-n", "data-testid": `${testid}-n-${column.key}` })),
      chart));
    }
    if (!columns.length) container.append(el("p", { class: "split-empty", text: t("No answers yet.") }));
    container.append(el("p", { class: "split-note", "data-testid": `${testid}-note` }));
  }
  const sections = container.querySelectorAll(":scope > .split-column");
  columns.forEach((column, index) => {
    const section = sections[index];
    section.querySelector(".split-n").textContent = people(column.total);
    section.dataset.total = String(column.total);
    const chart = section.querySelector(".split-chart");
    if (split.hidden) {
      chart.replaceChildren(el("p", { class: "split-hidden", text: t("Results appear when they are revealed.") }));
    } else {
      renderResults(chart, poll, column);
    }
  });
  const notes = [];
  const other = columns.find((c) => c.key === "other_groups");
  if (other && other.groups) notes.push(`Other groups: ${other.groups.join(", ")}.`);
  if (split && split.withheld && split.withheld.length) {
    notes.push(`Not shown on their own, to protect small groups: ${split.withheld.join(", ")}.`);
  }
  container.querySelector(":scope > .split-note").textContent = notes.join(" ");
}

// Newest split per poll: a "group_tally" may overtake the "state" that carried an older one.
export class SplitKeeper {
  constructor() {
    this.splits = new Map();
  }

  note(split) {
    if (!split) return false;
    const last = this.splits.get(split.poll_id);
    const sameChoice = last && JSON.stringify(last.wanted) === JSON.stringify(split.wanted);
    if (last && sameChoice && split.seq < last.seq) return false;
    this.splits.set(split.poll_id, split);
    return true;
  }

  get(pollId) {
    return this.splits.get(pollId) || null;
  }

  clearExcept(pollId) {
    for (const id of [...this.splits.keys()]) if (id !== pollId) this.splits.delete(id);
  }
}
