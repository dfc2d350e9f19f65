// The projector's results: the poll on screen, drawn by its kind (results.js), with its status,
// a one-line instruction and the response count. Tallies arrive a few times a second; the
// drawing is updated in place so bars, columns and words animate from one to the next.
import { WallPager } from "./wall-pager.js";
import { el } from "../live.js";
import { renderResults } from "../results.js";
import { staffKind } from "../kinds/staff/index.js";
import { drawScreenSplit, noteGroupTally, noteScreenView } from "../screen-split.js";
import { responsesText } from "../text.js";
import { t } from "../i18n.js";

const STATUS_TEXT = { open: t("Voting open"), closed: t("Voting closed"), draft: t("Not open yet") };

const isNewer = (tally, than) => !than || tally.seq >= than.seq;

export class ResultsPanel {
  // nodes: {status, count, question, hint, chart} of screen.html's results view.
  constructor(nodes) {
    this.nodes = nodes;
    this.poll = null;
    this.pager = new WallPager(nodes.chart); // pages the open-text wall through its answers
    this.shownTally = null; // the tally drawn (a "tally" message may be newer than the view's)
  }

  render(view) {
    const { nodes } = this;
    const poll = view.poll;
    this.poll = poll;
    this.view = view;
    noteScreenView(view);
    // The drawing is rebuilt only when the poll, its option set or its split by group changes.
    const split = view.split ? `:split:${view.split.wanted.join(",")}` : "";
    const shape = `${poll.id}:${poll.kind}:${poll.options.map((o) => o.id).join(",")}${split}`;
    if (nodes.chart.dataset.shape !== shape) {
      nodes.chart.replaceChildren();
      delete nodes.chart.dataset.renderer;
      nodes.chart.dataset.shape = shape;
      this.shownTally = null;
    }
    if (view.tally && view.tally.poll_id === poll.id && isNewer(view.tally, this.shownTally)) this.shownTally = view.tally;

    nodes.question.textContent = poll.question;
    // Long questions get a smaller size so that question and chart always fit on one screen.
    const length = poll.question.length;
    nodes.question.dataset.length = length > 140 ? "long" : length > 80 ? "medium" : "short";
    const n = poll.options.length;
    nodes.chart.dataset.kind = poll.kind;
    nodes.chart.dataset.options = String(n);
    nodes.chart.dataset.density = n > 8 ? "dense" : n > 5 ? "compact" : "roomy";

    nodes.status.textContent = STATUS_TEXT[poll.status] || "";
    nodes.status.dataset.status = poll.status;
    // What to do, said once on screen for the kinds where it is not obvious from the question.
    const kind = staffKind(poll.kind);
    nodes.hint.textContent = kind ? kind.screenHint(poll) : "";
    nodes.hint.hidden = !nodes.hint.textContent;
    this.draw();
  }

  // A "tally" message: only the poll on screen matters (live.js already dropped older ones).
  onTally(tally) {
    if (!this.poll || tally.poll_id !== this.poll.id || !isNewer(tally, this.shownTally)) return;
    this.shownTally = tally;
    this.draw();
  }

  // A "group_tally" message: the split of the poll on screen (screen-split.js keeps the newest).
  onGroupTally(split) {
    if (this.poll && noteGroupTally(split)) this.draw();
  }

  draw() {
    const { nodes, shownTally } = this;
    if (this.view && drawScreenSplit(nodes.chart, this.view)) {
      // Split by stakeholder group: columns side by side (hidden ones show headcounts only).
      nodes.chart.dataset.split = "on";
    } else if (shownTally && shownTally.hidden) {
      delete nodes.chart.dataset.split;
      // The server sends only how many answered while phones may not see the results: the
      // room sees that answers arrive, never the split (nor a quiz's right answer).
      this.drawHidden();
    } else {
      delete nodes.chart.dataset.split;
      if (nodes.chart.dataset.renderer === "hidden") {
        nodes.chart.replaceChildren();
        delete nodes.chart.dataset.renderer;
      }
      renderResults(nodes.chart, this.poll, shownTally);
      this.fit();
    }
    this.pager.refresh();
    const total = shownTally ? shownTally.total : 0;
    // "12 responses", "Majibu 12": the number stands out wherever the language puts it.
    const [before, ...after] = responsesText(total).split(String(total));
    nodes.count.replaceChildren(before, el("strong", { text: String(total) }), after.join(String(total)));
    nodes.count.dataset.total = String(total);
  }

  drawHidden() {
    const { chart } = this.nodes;
    if (chart.dataset.renderer === "hidden") return;
    chart.replaceChildren(
      el(
        "div",
        { class: "results-hidden", "data-testid": "screen-results-hidden" },
        el("p", { class: "results-hidden-title", text: t("Results appear when the facilitator reveals them") }),
        el("p", { class: "results-hidden-note", text: t("Keep answering on your phone") }),
      ),
    );
    chart.dataset.renderer = "hidden";
  }

  // A projector's resolution can change when the laptop is plugged in: refit what is measured.
  refit(view) {
    if (view && view.mode === "results" && view.poll) this.fit();
  }

  // A drawing that must be measured to fit the room's screen (a word cloud) does so itself.
  fit() {
    if (this.nodes.chart.dataset.renderer === "hidden" || this.nodes.chart.dataset.split) return;
    const kind = staffKind(this.poll.kind);
    if (kind && kind.fitScreen) kind.fitScreen(this.nodes.chart);
  }
}
