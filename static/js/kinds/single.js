// Single choice: each person picks one option. Python: roundtable/polls/kinds.py SingleChoice.
// The console's part of the kind (editor card, summary) is kinds/staff/single.js.
import { ChoiceWidget, drawPlainBars, markChosen } from "./choice.js";
import { t } from "../i18n.js";

export default {
  name: "single",
  label: "Single choice",
  phoneLabel: t("Choose one"),
  renderer: "bars",
  draw: drawPlainBars,
  markMine: markChosen,
  widget: (ctx) => new ChoiceWidget(ctx),
};
