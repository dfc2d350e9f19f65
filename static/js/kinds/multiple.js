// Multiple choice: each person picks one or more options (at most max_selections), then submits.
// Python: roundtable/polls/kinds.py MultipleChoice. The console's part: kinds/staff/multiple.js.
import { questionSays } from "../text.js";
import { ChoiceWidget, drawPlainBars, markChosen, maxSelections } from "./choice.js";
import { t } from "../i18n.js";

export default {
  name: "multiple",
  label: "Multiple choice",
  phoneLabel: t("Choose several"),
  renderer: "bars",
  screenHint(poll) {
    if (questionSays(poll, "choose|select|pick|chagua")) return "";
    const n = poll.options.length;
    const most = maxSelections(poll);
    return most >= n ? t("Choose all that apply") : t("Choose up to %(max)s", { max: most });
  },
  draw: drawPlainBars,
  markMine: markChosen,
  widget: (ctx) => new ChoiceWidget(ctx, { multiple: true }),
};
