// Open text, the console's part (kinds/staff/index.js adds it to kinds/opentext.js).
import { el } from "../../live.js";
import { t, tn } from "../../i18n.js";

function answersBlock() {
  return [
    el("div", { class: "field narrow-field" },
      el("label", { class: "field-label", for: "poll-max-answers", text: t("Answers per person") }),
      el("select", { id: "poll-max-answers", name: "max_answers", "data-testid": "poll-max-answers" },
        [1, 2, 3, 4, 5].map((n) => el("option", { value: String(n), text: n === 1 ? "1 answer" : `Up to ${n} answers` })))),
  ];
}

export default {
  label: t("Open text"), // the console's, in its language (kinds/opentext.js keeps the English one)
  help: t("Short written answers on a wall"),
  icon: "kindText",
  hasOptions: false,
  freeText: true,
  nouns: ["answer", "answers"],
  premoderateTitle: t("Hold every answer for a moderator"),
  summary(poll) {
    const most = (poll.settings || {}).max_answers;
    return most > 1 ? t("Open text · up to %(n)s answers", { n: most }) : t("Open text");
  },  describe(poll) {
    return tn("Each person writes up to %(num)s short answer.", "Each person writes up to %(num)s short answers.", (poll.settings || {}).max_answers || 1);
  },  editor: {
    block: answersBlock,
    fill(f, poll) {
      f.max_answers.value = String(((poll && poll.settings) || {}).max_answers || 1);
    },
    collect: (f) => ({ value: { max_answers: Number(f.max_answers.value), premoderate: f.premoderate.checked } }),
  },
  // The projector's (screen/results-panel.js): its one-line instruction.
  screenHint: () => "",
};
