// The projector's poll split by the stakeholder groups the facilitator chose (view.split), side
// by side, following the console live through "group_tally" messages.
import { renderColumns, SplitKeeper } from "./group-columns.js";

const keeper = new SplitKeeper();
let current = null; // the split the screen view says is on (null: not split)

// From every screen view: the split it carries, or none.
export function noteScreenView(view) {
  current = view && view.mode === "results" && view.split ? view.split : null;
  if (current) {
    keeper.clearExcept(current.poll_id);
    keeper.note(current);
  }
}

// A live update; true when the screen should redraw.
export function noteGroupTally(split) {
  if (!current || split.poll_id !== current.poll_id) return false;
  if (JSON.stringify(split.wanted) !== JSON.stringify(current.wanted)) return false;
  return keeper.note(split);
}

// Draw the split into the chart area; false when the poll on screen is not split.
export function drawScreenSplit(chart, view) {
  if (!current || !view.poll || current.poll_id !== view.poll.id) {
    chart.classList.remove("group-split");
    return false;
  }
  renderColumns(chart, view.poll, keeper.get(view.poll.id) || current, { testid: "screen-split" });
  return true;
}

export function splitTotal(view) {
  const split = current && view.poll && keeper.get(view.poll.id);
  const everyone = split && split.columns.find((c) => c.key === "everyone");
  return everyone ? everyone.total : null;
}
