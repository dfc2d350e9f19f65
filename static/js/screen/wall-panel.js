// The projector's question wall: the highlighted question large, else the top questions of the
// live session. "wall" messages may overtake the "state" that carried an older wall, and the
// session may change under it: the newest wall of the live session wins.
import { el } from "../live.js";
import { plural } from "../text.js";

const upvotesText = (n) => plural(n || 0, "upvote");

export class WallPanel {
  // nodes: {spotlight, spotlightText, spotlightName, spotlightUpvotes, questionsTop, questionList,
  // questionsEmpty} of screen.html's questions view.
  constructor(nodes) {
    this.nodes = nodes;
    this.shownWall = null;
  }

  accept(wall) {
    if (!wall) return false;
    const shown = this.shownWall;
    if (shown && shown.item_id === wall.item_id && wall.seq < shown.seq) return false;
    this.shownWall = wall;
    return true;
  }

  render(view) {
    const { nodes } = this;
    if (view.wall) this.accept(view.wall);
    const liveId = view.item && view.item.id;
    const wall = this.shownWall && this.shownWall.item_id === liveId ? this.shownWall : null;
    // The highlighted question is part of the state (the facilitator put it there).
    const highlighted = view.highlighted || null;
    nodes.spotlight.hidden = !highlighted;
    nodes.questionsTop.hidden = Boolean(highlighted);
    if (highlighted) {
      nodes.spotlightText.textContent = highlighted.text;
      const length = highlighted.text.length;
      nodes.spotlightText.dataset.length = length > 200 ? "long" : length > 110 ? "medium" : "short";
      nodes.spotlightName.textContent = highlighted.name || "";
      nodes.spotlightName.hidden = !highlighted.name;
      nodes.spotlightUpvotes.textContent = upvotesText(highlighted.upvotes);
      return;
    }
    const questions = wall ? wall.questions : [];
    // Rows are kept by question id and only moved when the order changes, so that an upvote does
    // not redraw (and re-animate) the whole list.
    const list = nodes.questionList;
    const existing = new Map(Array.from(list.children, (row) => [row.dataset.questionId, row]));
    questions.forEach((question, index) => {
      const id = String(question.id);
      let row = existing.get(id);
      existing.delete(id);
      if (!row) {
        row = el("li", { class: "question-row", dataset: { questionId: id } },
          el("span", { class: "upvotes" }),
          el("span", { class: "question-body" },
            el("span", { class: "question-text" }),
            el("span", { class: "question-name" })));
      }
      const votes = row.querySelector(".upvotes");
      votes.textContent = String(question.upvotes || 0);
      votes.setAttribute("aria-label", upvotesText(question.upvotes));
      row.querySelector(".question-text").textContent = question.text;
      const name = row.querySelector(".question-name");
      name.textContent = question.name || "";
      name.hidden = !question.name;
      if (list.children[index] !== row) list.insertBefore(row, list.children[index] || null);
    });
    for (const gone of existing.values()) gone.remove();
    nodes.questionsEmpty.hidden = questions.length > 0;
  }
}
