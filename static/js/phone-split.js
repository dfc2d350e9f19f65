// On a phone: when the poll's results are shown to participants and the projector splits it by
// stakeholder group, the phone shows the same split under its results (view.split, then
// "group_tally" updates). The server sends it only when this phone may see the results.
import { renderColumns, SplitKeeper } from "./group-columns.js";
import { el } from "./live.js";

const keeper = new SplitKeeper();
let current = null;
const boxes = new Map(); // poll id -> the split's container

export function notePhoneView(view) {
  current = (view && view.split) || null;
  if (current) {
    keeper.clearExcept(current.poll_id);
    keeper.note(current);
  }
}

// A live update; true when the poll's card should redraw its results.
export function notePhoneSplit(split) {
  if (!current || split.poll_id !== current.poll_id) return false;
  if (JSON.stringify(split.wanted) !== JSON.stringify(current.wanted)) return false;
  return keeper.note(split);
}

// Under the card's results: the split, or nothing when this poll is not split on the screen.
export function drawPhoneSplit(resultsSection, poll) {
  let box = boxes.get(poll.id);
  const split = current && current.poll_id === poll.id ? keeper.get(poll.id) || current : null;
  if (!split) {
    if (box) box.remove();
    return;
  }
  if (!box) {
    box = el("div", { class: "phone-split", "data-testid": `phone-split-${poll.id}` },
      el("h3", { class: "results-title", text: "By stakeholder group" }),
      el("div", { class: "phone-split-columns" }));
    boxes.set(poll.id, box);
  }
  if (!box.isConnected || box.parentNode !== resultsSection) resultsSection.append(box);
  renderColumns(box.querySelector(".phone-split-columns"), poll, split, { testid: `phone-split-${poll.id}` });
}
