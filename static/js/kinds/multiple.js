// Multiple choice: each person picks one or more options (at most max_selections), then submits.
// Python: roundtable/polls/kinds.py MultipleChoice. The console's part: kinds/staff/multiple.js.
import { ChoiceWidget, drawPlainBars, markChosen } from "./choice.js";
import { t } from "../i18n.js";

export default {
  name: "multiple",
  label: "Multiple choice",
  phoneLabel: t("Choose several"),
  renderer: "bars",
  draw: drawPlainBars,
  markMine: markChosen,
  widget: (ctx) => new ChoiceWidget(ctx, { multiple: true }),
};
