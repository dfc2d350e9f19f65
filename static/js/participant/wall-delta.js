// Folding the server's "wall_delta" messages into the phone's copy of the question wall
// (docs/socket-protocol.md, "Question wall"; server: roundtable/questions/views.py wall_delta).
//
// A delta says what changed since its `base`: questions in full (new, edited, moderated),
// `upvotes` as [id, n] for questions whose count alone changed, and `removed` ids. It applies to a
// wall whose seq is at least `base`; a phone further behind has missed something and asks for a
// snapshot. Its size follows the changes, never the size of the wall.

const WALL_LIMIT = 300;

// "Top": most upvotes first, then the newest (the server's order for a whole wall).
function byTop(a, b) {
  return b.upvotes - a.upvotes || (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id);
}

// The wall after `delta`, `wall` itself when the delta is older, or null on a gap.
export function applyDelta(wall, delta) {
  if (!wall || wall.item_id !== delta.item_id) return null;
  if (delta.seq <= wall.seq) return wall;
  if (delta.base > wall.seq) return null;
  const questions = new Map(wall.questions.map((q) => [q.id, q]));
  for (const question of delta.questions || []) questions.set(question.id, question);
  for (const [id, upvotes] of delta.upvotes || []) {
    const question = questions.get(id);
    if (question) questions.set(id, { ...question, upvotes });
  }
  for (const id of delta.removed || []) questions.delete(id);
  const ordered = [...questions.values()].sort(byTop).slice(0, WALL_LIMIT);
  return { item_id: wall.item_id, seq: delta.seq, questions: ordered, highlighted: delta.highlighted ?? null };
}
