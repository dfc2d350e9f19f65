// Multiple choice, the console's part (kinds/staff/index.js adds it to kinds/multiple.js).
import { el } from "../../live.js";
import { questionSays } from "../../text.js";
import { maxSelections } from "../choice.js";
import { t } from "../../i18n.js";

function mostBlock() {
  return [
    el("div", { class: "field" },
      el("label", { class: "field-label", for: "poll-max", text: t("Most choices per person") }),
      el("input", {
        id: "poll-max", name: "max_selections", type: "number", min: "1", max: "12", inputmode: "numeric",
        placeholder: t("Any number"), "data-testid": "poll-max-selections",
      }),
      el("p", { class: "field-help field-help-left", text: t("Leave empty to allow every option.") })),
  ];
}

export default {
  label: t("Multiple choice"), // the console's, in its language (kinds/multiple.js keeps the English one)
  help: t("Each person picks one or more"),
  icon: "kindMultiple",
  hasOptions: true,
  maxOptions: 12,
  summary(poll) {
    const most = (poll.settings || {}).max_selections;
    return most && most < poll.options.length ? t("Multiple choice · up to %(n)s", { n: most }) : t("Multiple choice");
  },
  describe: () => "",
  editor: {
    block: mostBlock,
    fill(f, poll) {
      const s = (poll && poll.settings) || {};
      const own = poll && poll.kind === "multiple";
      f.max_selections.value = own && s.max_selections && s.max_selections < poll.options.length ? String(s.max_selections) : "";
    },
    // The editor's option rows changed: "most choices" cannot exceed them.
    optionCount(f, n) {
      f.max_selections.max = String(Math.max(n, 1));
    },
    collect(f, { optionCount }) {
      const raw = f.max_selections.value.trim();
      const most = raw === "" ? optionCount : Number(raw);
      if (!Number.isInteger(most) || most < 1 || most > optionCount) {
        return { error: t("“Most choices” must be between 1 and %(max)s.", { max: optionCount }), field: "settings-multiple" };
      }
      return { value: { max_selections: most } };
    },
  },
  // The projector's (screen/results-panel.js): its one-line instruction.
  screenHint(poll) {
    if (questionSays(poll, "choose|select|pick|chagua")) return "";
    const n = poll.options.length;
    const most = maxSelections(poll);
    return most >= n ? t("Choose all that apply") : t("Choose up to %(max)s", { max: most });
  },
};
