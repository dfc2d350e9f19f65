// A kind's phone widget that loads on demand: the kinds whose widget is large and whose polls
// are rare (ranking, 100 points, the free-text kinds) keep it in a module of its own, which the
// phone page fetches (a chunk of its joined module, roundtable/web/bundle.py) only when a poll of
// that kind is on screen, rather than with the page.
//
// lazyWidget(load, name, options) is a kind's `widget(ctx)`: a stand-in with the interface of
// every widget (kinds/free-text.js) that says "Loading…" until `load()` gives the module, then
// puts `new module[name](ctx, options)` in its place and asks the card to draw again
// (ctx.refresh). A failed load (the phone went offline) offers to try again.
import { el } from "../live.js";
import { t } from "../i18n.js";

class LazyWidget {
  constructor(ctx, load, name, options) {
    this.ctx = ctx;
    this.inner = null;
    this.placeholder = el("p", { class: "widget-loading muted small", role: "status", "data-testid": `widget-loading-${ctx.id}` });
    this.start = () => {
      this.placeholder.replaceChildren(t("Loading…"));
      load().then(
        (module) => {
          this.inner = new module[name](ctx, options);
          this.inner.node.hidden = this.placeholder.hidden;
          this.placeholder.replaceWith(this.inner.node);
          ctx.refresh();
        },
        () => {
          this.placeholder.replaceChildren(
            t("This question could not be loaded."), " ",
            el("button", { type: "button", class: "button link-button", text: t("Try again"), onclick: () => this.start() }));
        },
      );
    };
    this.start();
  }

  get node() {
    return this.inner ? this.inner.node : this.placeholder;
  }

  get submitSlot() {
    return this.inner ? this.inner.submitSlot : undefined;
  }

  get keepWhenClosed() {
    return this.inner ? this.inner.keepWhenClosed : false;
  }

  get usesKeyboard() {
    return this.inner ? this.inner.usesKeyboard : false;
  }

  get multiple() {
    return this.inner ? this.inner.multiple : false;
  }

  render(poll, view) {
    if (this.inner) this.inner.render(poll, view);
  }

  hint(poll, view) {
    return this.inner ? this.inner.hint(poll, view) : "";
  }

  submitInfo(poll, view) {
    return this.inner ? this.inner.submitInfo(poll, view) : null;
  }
}

export function lazyWidget(load, name, options) {
  return (ctx) => new LazyWidget(ctx, load, name, options);
}
