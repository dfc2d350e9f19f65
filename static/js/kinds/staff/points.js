// 100 points, the console's part (kinds/staff/index.js adds it to kinds/points.js).
export default {
  help: "Share 100 points over the options",
  icon: "kindPoints",
  hasOptions: true,
  maxOptions: 10,
  summary: () => "100 points",
  describe: () => "Each person shares 100 points over the options.",
};
