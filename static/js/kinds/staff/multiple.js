// Multiple choice, the console's part (kinds/staff/index.js adds it to kinds/multiple.js).
import { el } from "../../live.js";

function mostBlock() {
  return [
    el("div", { class: "field" },
      el("label", { class: "field-label", for: "poll-max", text: "Most choices per person" }),
      el("input", {
        id: "poll-max", name: "max_selections", type: "number", min: "1", max: "12", inputmode: "numeric",
        placeholder: "Any number", "data-testid": "poll-max-selections",
      }),
      el("p", { class: "field-help field-help-left", text: "Leave empty to allow every option." })),
  ];
}

export default {
  help: "Each person picks one or more",
  icon: "kindMultiple",
  hasOptions: true,
  maxOptions: 12,
  summary(poll) {
    const most = (poll.settings || {}).max_selections;
    return most && most < poll.options.length ? `Multiple choice · up to ${most}` : "Multiple choice";
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
        return { error: `“Most choices” must be between 1 and ${optionCount}.`, field: "settings-multiple" };
      }
      return { value: { max_selections: most } };
    },
  },
};
