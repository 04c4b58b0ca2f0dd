// Search by node name, column name and description.

const SEARCH_LIMIT = 40;

// marked returns text with the first match of q (lower case) in a <mark>.
function marked(text, q) {
  const i = q ? text.toLowerCase().indexOf(q) : -1;
  if (i < 0) return [text];
  return [text.slice(0, i), h("mark", { text: text.slice(i, i + q.length) }), text.slice(i + q.length)];
}

// snippet cuts text to about len characters around the match of q.
function snippet(text, q, len = 90) {
  const i = Math.max(0, text.toLowerCase().indexOf(q));
  const start = Math.max(0, Math.min(i - 30, text.length - len));
  let out = text.slice(start, start + len);
  if (start > 0) out = "…" + out;
  if (start + len < text.length) out += "…";
  return out;
}

class Search {
  constructor(db, input, panel) {
    this.db = db;
    this.input = input;
    this.panel = panel;
    this.active = -1;
    this.items = [];
    this.entries = [];
    for (const n of db.nodes) {
      const base = n.kind === "test" ? 0 : 10;
      this.entries.push({ node: n, field: "name", text: n.name, lower: n.name.toLowerCase(), weight: 60 + base });
      if (n.description) {
        this.entries.push({ node: n, field: "description", text: n.description, lower: n.description.toLowerCase(), weight: 10 + base });
      }
      for (const c of n.columns || []) {
        this.entries.push({ node: n, column: c.name, field: "column", text: c.name, lower: c.name.toLowerCase(), weight: 40 + base });
        if (c.description) {
          this.entries.push({ node: n, column: c.name, field: "column description", text: c.description, lower: c.description.toLowerCase(), weight: 5 + base });
        }
      }
    }
    const run = debounce(() => this.run(), 60);
    input.addEventListener("input", run);
    input.addEventListener("keydown", (e) => this.onKey(e));
    input.addEventListener("focus", () => this.input.value && this.run());
    document.addEventListener("click", (e) => {
      if (!e.target.closest(".search")) this.close();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "/" && document.activeElement !== input && !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  // find ranks the entries matching q: exact beats prefix beats substring,
  // names beat columns beat descriptions; one hit per node and column.
  find(q) {
    const hits = new Map();
    for (const e of this.entries) {
      const i = e.lower.indexOf(q);
      if (i < 0) continue;
      const exact = e.lower === q ? 30 : i === 0 ? 15 : 0;
      const score = e.weight + exact;
      const key = e.node.id + "\u0000" + (e.column || "");
      const prev = hits.get(key);
      if (!prev || prev.score < score) hits.set(key, { ...e, score });
    }
    return [...hits.values()]
      .sort((a, b) => b.score - a.score || a.text.length - b.text.length || a.node.name.localeCompare(b.node.name))
      .slice(0, SEARCH_LIMIT);
  }

  run() {
    const q = this.input.value.trim().toLowerCase();
    if (!q) {
      this.close();
      return;
    }
    this.items = this.find(q);
    this.active = this.items.length ? 0 : -1;
    clear(this.panel);
    this.panel.hidden = false;
    if (this.items.length === 0) {
      this.panel.append(h("div", { class: "no-results", text: "Nothing matches." }));
      return;
    }
    this.panel.append(h("ul", { role: "listbox" }, this.items.map((it, i) => this.row(it, q, i))));
    this.highlight();
  }

  row(it, q, i) {
    const n = it.node;
    const title = it.column
      ? [h("span", { class: "r-node", text: n.name + "." }), h("span", { class: "r-col" }, marked(it.column, it.field === "column" ? q : ""))]
      : marked(n.name, it.field === "name" ? q : "");
    const detail = it.field.endsWith("description") ? marked(snippet(it.text, q), q) : [n.kind === "test" ? n.path : n.folder];
    return h("li", { class: "result", role: "option", "data-index": i, onmousedown: (e) => e.preventDefault(), onclick: () => this.open(it) },
      h("span", { class: "badge kind k-" + n.kind, text: it.column ? "column" : n.kind }),
      h("span", { class: "r-main" }, h("span", { class: "r-title" }, title), h("span", { class: "r-detail" }, detail)));
  }

  highlight() {
    this.panel.querySelectorAll("li.result").forEach((li, i) => {
      li.classList.toggle("active", i === this.active);
      if (i === this.active) li.scrollIntoView({ block: "nearest" });
    });
  }

  onKey(e) {
    if (e.key === "Escape") {
      this.close();
      this.input.blur();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (this.items.length === 0) return;
      const step = e.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.items.length) % this.items.length;
      this.highlight();
    } else if (e.key === "Enter" && this.active >= 0 && this.items[this.active]) {
      this.open(this.items[this.active]);
    }
  }

  open(it) {
    this.close();
    location.hash = it.column ? columnHref(it.node, it.column) : nodeHref(it.node);
  }

  close() {
    this.panel.hidden = true;
    clear(this.panel);
    this.items = [];
  }
}
