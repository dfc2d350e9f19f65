// Single choice, the console's part (kinds/staff/index.js adds it to kinds/single.js).
import { t } from "../../i18n.js";
export default {
  label: t("Single choice"), // the console's, in its language (kinds/single.js keeps the English one)
  help: t("Each person picks one option"),
  icon: "kindSingle",
  hasOptions: true,
  maxOptions: 12,
  summary: () => "Single choice",
  describe: () => "",
  // The projector's (screen/results-panel.js): its one-line instruction.
  screenHint: () => "",
};
