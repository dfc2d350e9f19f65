// Single choice, the console's part (kinds/staff/index.js adds it to kinds/single.js).
export default {
  help: "Each person picks one option",
  icon: "kindSingle",
  hasOptions: true,
  maxOptions: 12,
  summary: () => "Single choice",
  describe: () => "",
};
