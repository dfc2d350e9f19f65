// Rating scale, the console's part (kinds/staff/index.js adds it to kinds/rating.js).
import { el } from "../../live.js";
import { t } from "../../i18n.js";

// --- the editor ------------------------------------------------------------------------------------

function scaleBlock() {
  const field = (label, input) => el("div", { class: "field" }, label, input);
  return [
    el("div", { class: "field-grid three rating-grid" },
      field(el("label", { class: "field-label", for: "poll-scale", text: t("Scale") }),
        el("select", { id: "poll-scale", name: "scale", "data-testid": "poll-scale" },
          el("option", { value: "5", text: t("1 to 5") }),
          el("option", { value: "10", text: t("1 to 10") }))),
      field(el("label", { class: "field-label", for: "poll-min-label", text: t("Label for 1") }),
        el("input", { id: "poll-min-label", name: "min_label", maxlength: "40", "data-testid": "poll-min-label", placeholder: t("e.g. Not at all") })),
      field(el("label", { class: "field-label", for: "poll-max-label" }, t("Label for "), el("span", { "data-role": "scale-top", text: "5" })),
        el("input", { id: "poll-max-label", name: "max_label", maxlength: "40", "data-testid": "poll-max-label", placeholder: t("e.g. Very much") }))),
  ];
}

// "Label for 5" / "Label for 10" follows the scale.
function syncScale(f) {
  const top = f.scale.form.querySelector('[data-role="scale-top"]');
  top.textContent = f.scale.value;
}

export default {
  label: t("Rating scale"), // the console's, in its language (kinds/rating.js keeps the English one)
  help: t("1–5 or 1–10 between two labels"),
  icon: "kindRating",
  hasOptions: false,
  summary: (poll) => `Rating 1–${(poll.settings || {}).scale || 5}`,
  describe(poll) {
    const s = poll.settings || {};
    return `A scale from 1 (${s.min_label || "lowest"}) to ${s.scale || 5} (${s.max_label || "highest"}).`;
  },
  editor: {
    block: scaleBlock,
    wire(f) {
      f.scale.addEventListener("change", () => syncScale(f));
    },
    // Every kind's fields get a value (a default when the poll is of another kind).
    fill(f, poll) {
      const s = (poll && poll.settings) || {};
      const own = poll && poll.kind === "rating";
      f.scale.value = String(s.scale || 5);
      f.min_label.value = own ? s.min_label || "" : t("Not at all");
      f.max_label.value = own ? s.max_label || "" : t("Very much");
      syncScale(f);
    },
    collect: (f) => ({ value: { scale: Number(f.scale.value), min_label: f.min_label.value.trim(), max_label: f.max_label.value.trim() } }),
  },
  // The projector's (screen/results-panel.js): its one-line instruction.
  screenHint: () => "",
};
