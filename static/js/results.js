// Result drawings, shared by the phone, the console and the projector.
//
// renderResults(container, poll, tally) asks the poll's kind (kinds/index.js) to draw; a kind this
// page does not know is drawn by the kind with the same renderer, else as bars. The container is
// updated in place where it can, so bars and words animate between tallies instead of being
// rebuilt. Text is always set with textContent.
import { drawingFor } from "./kinds/index.js";

export function renderResults(container, poll, tally) {
  const draw = drawingFor(poll);
  if (container.dataset.renderer !== poll.renderer || container.dataset.pollId !== String(poll.id)) {
    container.replaceChildren();
    container.dataset.renderer = poll.renderer;
    container.dataset.pollId = String(poll.id);
  }
  container.classList.add("results", `results-${poll.renderer}`);
  draw(container, poll, tally);
  container.dataset.total = String(tally ? tally.total : 0);
}
