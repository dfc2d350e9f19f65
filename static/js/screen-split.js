// The projector's poll split by the stakeholder groups the facilitator chose (view.split), side
// by side, following the console live through "group_tally" messages.
import { renderColumns, SplitKeeper } from "./group-columns.js";

const screenSplits = new SplitKeeper();
let screenCurrent = null; // the split the screen view says is on (null: not split)

// From every screen view: the split it carries, or none.
export function noteScreenView(view) {
  screenCurrent = view && view.mode === "results" && view.split ? view.split : null;
  if (screenCurrent) {
    screenSplits.clearExcept(screenCurrent.poll_id);
    screenSplits.note(screenCurrent);
  }
}

// A live update; true when the screen should redraw.
export function noteGroupTally(split) {
  if (!screenCurrent || split.poll_id !== screenCurrent.poll_id) return false;
  if (JSON.stringify(split.wanted) !== JSON.stringify(screenCurrent.wanted)) return false;
  return screenSplits.note(split);
}

// Draw the split into the chart area; false when the poll on screen is not split.
export function drawScreenSplit(chart, view) {
  if (!screenCurrent || !view.poll || screenCurrent.poll_id !== view.poll.id) {
    chart.classList.remove("group-split");
    return false;
  }
  renderColumns(chart, view.poll, screenSplits.get(view.poll.id) || screenCurrent, { testid: "screen-split" });
  return true;
}

export function splitTotal(view) {
  const split = screenCurrent && view.poll && screenSplits.get(view.poll.id);
  const everyone = split && split.columns.find((c) => c.key === "everyone");
  return everyone ? everyone.total : null;
}
