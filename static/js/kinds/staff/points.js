// 100 points, the console's part (kinds/staff/index.js adds it to kinds/points.js).
import { questionSays } from "../../text.js";
import { t } from "../../i18n.js";
export default {
  label: t("100 points"), // the console's, in its language (kinds/points.js keeps the English one)
  help: t("Share 100 points over the options"),
  icon: "kindPoints",
  hasOptions: true,
  maxOptions: 10,
  summary: () => "100 points",
  describe: () => "Each person shares 100 points over the options.",
  // The projector's (screen/results-panel.js): its one-line instruction.
  screenHint: (poll) => (questionSays(poll, "points") ? "" : t("Share 100 points across the options")),
};
