// Ranking, the console's part (kinds/staff/index.js adds it to kinds/ranking.js).
import { t } from "../../i18n.js";

export default {
  help: t("Put the options in order"),
  icon: "kindRanking",
  hasOptions: true,
  maxOptions: 10,
  summary: () => "Ranking",
  describe: () => "Each person puts the options in order; results by Borda score.",
};
