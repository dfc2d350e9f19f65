// Result drawings for every poll kind, shared by the phone, the console and the projector.
// renderResults(container, poll, tally) picks the drawing from poll.renderer and updates the
// container in place where it can, so bars and words animate between tallies instead of
// being rebuilt. Text is always set with textContent.
import { renderBars } from "./bars.js";
import { el, percent } from "./live.js";

export function renderResults(container, poll, tally) {
  const draw = RENDERERS[poll.renderer] || RENDERERS.bars;
  if (container.dataset.renderer !== poll.renderer || container.dataset.pollId !== String(poll.id)) {
    container.replaceChildren();
    container.dataset.renderer = poll.renderer;
    container.dataset.pollId = String(poll.id);
  }
  container.classList.add("results", `results-${poll.renderer}`);
  draw(container, poll, tally);
  container.dataset.total = String(tally ? tally.total : 0);
}

function totalLine(container, text) {
  let line = container.querySelector(":scope > .results-total");
  if (!line) {
    line = el("p", { class: "results-total" });
    container.append(line);
  }
  line.textContent = text;
}

function responses(n) {
  return `${n} ${n === 1 ? "response" : "responses"}`;
}

// --- choice and quiz: horizontal bars ----------------------------------------------------------

function drawBars(container, poll, tally) {
  renderBars(container, poll, tally);
  const correct = tally && tally.correct_option;
  for (const row of container.querySelectorAll(".bar-row")) {
    const isCorrect = correct !== undefined && correct !== null && row.dataset.optionId === String(correct);
    row.classList.toggle("correct", isCorrect);
    row.classList.toggle("incorrect", correct !== undefined && correct !== null && !isCorrect);
  }
  const note = container.querySelector(".quiz-note");
  if (poll.kind === "quiz" && tally && tally.correct_option) {
    const text = `${tally.correct_share}% answered correctly`;
    if (note) note.textContent = text;
    else container.append(el("p", { class: "quiz-note", text }));
  } else if (note) {
    note.remove();
  }
  drawLeaderboard(container, tally);
}

// A quiz leaderboard: self-chosen nicknames by correct answers (never by speed).
function drawLeaderboard(container, tally) {
  let board = container.querySelector(":scope > .leaderboard");
  const rows = (tally && tally.leaderboard) || [];
  if (!rows.length) {
    if (board) board.remove();
    return;
  }
  if (!board) {
    board = el("div", { class: "leaderboard", dataset: { testid: "leaderboard" } },
      el("h4", { class: "leaderboard-title", text: "Leaderboard" }), el("ol"));
    container.append(board);
  }
  board.querySelector("ol").replaceChildren(
    ...rows.map((row) =>
      el("li", {},
        el("span", { class: "leaderboard-name", text: row.nickname }),
        el("span", { class: "leaderboard-score", text: `${row.correct} correct` }))),
  );
}

// --- word cloud: stable layout ----------------------------------------------------------------
// Words keep the place where they first appeared (only their size changes), so the cloud
// does not jump on every update; new words join at the end.

function drawCloud(container, poll, tally) {
  let cloud = container.querySelector(".cloud");
  if (!cloud) {
    cloud = el("div", { class: "cloud", role: "list" });
    container.prepend(cloud);
  }
  const words = tally ? tally.words : [];
  const max = words.reduce((m, [, n]) => Math.max(m, n), 1);
  const seen = new Map(Array.from(cloud.children, (node) => [node.dataset.word, node]));
  for (const [word, count] of words) {
    let node = seen.get(word);
    if (!node) {
      node = el("span", { class: `cloud-word tone-${hash(word) % 6}`, role: "listitem", dataset: { word } });
      node.textContent = word;
      cloud.append(node);
    }
    seen.delete(word);
    // Size from 1x to 4x by share of the most frequent word (square root keeps small words readable).
    node.style.fontSize = `${(1 + 3 * Math.sqrt(count / max)).toFixed(2)}em`;
    node.dataset.count = String(count);
    node.title = `${count}`;
  }
  for (const gone of seen.values()) gone.remove(); // hidden by a moderator, or reset
  cloud.classList.toggle("empty", words.length === 0);
  totalLine(container, words.length ? responses(tally.total) : "Waiting for the first words…");
}

function hash(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h;
}

// --- open text: a wall of approved answers ------------------------------------------------------

function drawWall(container, poll, tally) {
  let wall = container.querySelector(".wall");
  if (!wall) {
    wall = el("ul", { class: "wall" });
    container.prepend(wall);
  }
  const answers = tally ? tally.answers : [];
  const existing = new Map(Array.from(wall.children, (node) => [node.dataset.id, node]));
  const fresh = [];
  for (const answer of answers) {
    let node = existing.get(String(answer.id));
    if (!node) node = el("li", { class: "wall-card", dataset: { id: String(answer.id) }, text: answer.text });
    existing.delete(String(answer.id));
    fresh.push(node);
  }
  for (const gone of existing.values()) gone.remove();
  wall.replaceChildren(...fresh);
  const shown = tally ? tally.shown : 0;
  totalLine(container, shown ? `${shown} ${shown === 1 ? "answer" : "answers"}` : "Waiting for answers…");
}

// --- rating: distribution columns and the mean ----------------------------------------------------

function drawRating(container, poll, tally) {
  const scale = poll.settings.scale || 5;
  let chart = container.querySelector(".rating");
  if (!chart || chart.querySelectorAll(".rating-col").length !== scale) {
    container.replaceChildren();
    chart = el("div", { class: "rating" });
    chart.append(el("div", { class: "rating-mean" }, el("strong", { class: "rating-mean-value" }), el("span", { text: "average" })));
    const columns = el("div", { class: "rating-columns" });
    for (let n = 1; n <= scale; n++) {
      columns.append(
        el("div", { class: "rating-col", dataset: { value: String(n) } },
          el("span", { class: "rating-count" }),
          el("div", { class: "rating-track" }, el("div", { class: "rating-fill" })),
          el("span", { class: "rating-value", text: String(n) })),
      );
    }
    chart.append(columns);
    container.append(
      chart,
      el("div", { class: "rating-ends" },
        el("span", { text: `1 = ${poll.settings.min_label || ""}` }),
        el("span", { text: `${scale} = ${poll.settings.max_label || ""}` })),
    );
    // The mean sits in the first child; columns in the second.
    chart.dataset.scale = String(scale);
  }
  const counts = tally ? tally.counts : {};
  const max = Math.max(1, ...Object.values(counts));
  for (const col of chart.querySelectorAll(".rating-col")) {
    const count = counts[col.dataset.value] || 0;
    col.querySelector(".rating-count").textContent = String(count);
    col.querySelector(".rating-fill").style.height = `${Math.round((count / max) * 100)}%`;
  }
  const mean = tally && tally.mean !== null && tally.mean !== undefined ? tally.mean.toFixed(1) : "–";
  chart.querySelector(".rating-mean-value").textContent = mean;
  totalLine(container, responses(tally ? tally.total : 0));
}

// --- ranking: options by Borda score ------------------------------------------------------------

function drawRanking(container, poll, tally) {
  let list = container.querySelector(".ranking");
  if (!list) {
    list = el("ol", { class: "ranking bars" });
    container.prepend(list);
  }
  const rows = tally ? tally.ranking : poll.options.map((o) => ({ option_id: o.id, score: 0, average_position: null }));
  const best = Math.max(1, ...rows.map((r) => r.score));
  const existing = new Map(Array.from(list.children, (node) => [node.dataset.optionId, node]));
  const ordered = [];
  rows.forEach((row, index) => {
    const option = poll.options.find((o) => o.id === row.option_id);
    if (!option) return;
    let node = existing.get(String(row.option_id));
    if (!node) {
      node = el("li", { class: "bar-row ranking-row", dataset: { optionId: String(row.option_id) } },
        el("div", { class: "bar-label" },
          el("span", { class: "bar-text" }, el("span", { class: "rank" }), el("span", { class: "rank-label" })),
          el("span", { class: "bar-figures" })),
        el("div", { class: "bar-track" }, el("div", { class: "bar-fill" })));
    }
    node.querySelector(".rank").textContent = `${index + 1}`;
    node.querySelector(".rank-label").textContent = option.label;
    const avg = row.average_position ? `avg. place ${row.average_position.toFixed(1)}` : "no votes";
    node.querySelector(".bar-figures").textContent = `${row.score} pts · ${avg}`;
    node.querySelector(".bar-fill").style.width = `${Math.round((row.score / best) * 100)}%`;
    ordered.push(node);
  });
  list.replaceChildren(...ordered);
  totalLine(container, responses(tally ? tally.total : 0));
}

// --- 100 points: total and average per option ------------------------------------------------------

function drawPoints(container, poll, tally) {
  const total = tally ? tally.total : 0;
  const sums = tally ? tally.points : {};
  const grand = Object.values(sums).reduce((a, b) => a + b, 0);
  const asBars = { total: grand, counts: sums };
  renderBars(container, poll, asBars);
  for (const row of container.querySelectorAll(".bar-row")) {
    const id = row.dataset.optionId;
    const average = tally ? tally.average[id] : 0;
    row.querySelector(".bar-figures").textContent = `${sums[id] || 0} pts · avg ${average}`;
    row.querySelector(".bar-fill").style.width = `${percent(sums[id] || 0, grand)}%`;
  }
  const line = container.querySelector(".bars-total");
  if (line) line.textContent = responses(total);
}

const RENDERERS = {
  bars: drawBars,
  cloud: drawCloud,
  wall: drawWall,
  rating: drawRating,
  ranking: drawRanking,
  points: drawPoints,
};
