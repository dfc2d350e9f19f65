// Single choice: each person picks one option. Python: roundtable/polls/kinds.py SingleChoice.
import { ChoiceWidget, drawPlainBars, markChosen } from "./choice.js";

export default {
  name: "single",
  label: "Single choice",
  phoneLabel: "Choose one",
  help: "Each person picks one option",
  icon: "kindSingle",
  renderer: "bars",
  hasOptions: true,
  maxOptions: 12,
  summary: () => "Single choice",
  describe: () => "",
  screenHint: () => "",
  draw: drawPlainBars,
  markMine: markChosen,
  widget: (ctx) => new ChoiceWidget(ctx),
};
