// Ranking, the console's part (kinds/staff/index.js adds it to kinds/ranking.js).
import { questionSays } from "../../text.js";
import { t } from "../../i18n.js";

export default {
  label: t("Ranking"), // the console's, in its language (kinds/ranking.js keeps the English one)
  help: t("Put the options in order"),
  icon: "kindRanking",
  hasOptions: true,
  maxOptions: 10,
  summary: () => "Ranking",
  describe: () => "Each person puts the options in order; results by Borda score.",
  // The projector's (screen/results-panel.js): its one-line instruction.
  screenHint: (poll) => (questionSays(poll, "order|rank") ? "" : t("Put the options in order")),
};
