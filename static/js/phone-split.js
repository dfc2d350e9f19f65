// On a phone: when the poll's results are shown to participants and the projector splits it by
// stakeholder group, the phone shows the same split under its results (view.split, then
// "group_tally" updates). The server sends it only when this phone may see the results.
import { renderColumns, SplitKeeper } from "./group-columns.js";
import { el } from "./live.js";
import { t } from "./i18n.js";

const phoneSplits = new SplitKeeper();
let phoneCurrent = null;
const boxes = new Map(); // poll id -> the split's container

export function notePhoneView(view) {
  phoneCurrent = (view && view.split) || null;
  if (phoneCurrent) {
    phoneSplits.clearExcept(phoneCurrent.poll_id);
    phoneSplits.note(phoneCurrent);
  }
}

// A live update; true when the poll's card should redraw its results.
export function notePhoneSplit(split) {
  if (!phoneCurrent || split.poll_id !== phoneCurrent.poll_id) return false;
  if (JSON.stringify(split.wanted) !== JSON.stringify(phoneCurrent.wanted)) return false;
  return phoneSplits.note(split);
}

// Under the card's results: the split, or nothing when this poll is not split on the screen.
export function drawPhoneSplit(resultsSection, poll) {
  let box = boxes.get(poll.id);
  const split = phoneCurrent && phoneCurrent.poll_id === poll.id ? phoneSplits.get(poll.id) || phoneCurrent : null;
  if (!split) {
    if (box) box.remove();
    return;
  }
  if (!box) {
    box = el("div", { class: "phone-split", "data-testid": `phone-split-${poll.id}` },
      el("h3", { class: "results-title", text: t("By stakeholder group") }),
      el("div", { class: "phone-split-columns" }));
    boxes.set(poll.id, box);
  }
  if (!box.isConnected || box.parentNode !== resultsSection) resultsSection.append(box);
  renderColumns(box.querySelector(".phone-split-columns"), poll, split, { testid: `phone-split-${poll.id}` });
}
