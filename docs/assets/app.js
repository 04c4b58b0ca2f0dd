// The shell: top bar, sidebar, and the hash router that switches between
// the graph and the node pages.

const SIDEBAR_OPEN_LIMIT = 300;
const SIDEBAR_BATCH = 500;

function topBar(db) {
  const input = h("input", {
    type: "search",
    id: "search",
    placeholder: "Search models, columns, descriptions…",
    "aria-label": "Search",
    autocomplete: "off",
    spellcheck: "false",
  });
  const results = h("div", { class: "search-results", hidden: true });
  const t = db.target;
  const counts = runCounts(db);
  const run = db.run
    ? h("div", { class: "run-summary", title: "Last run " + fmtTime(db.run.generated_at) + ", " + fmtDuration(db.run.elapsed) },
        h("span", { class: "rs ok", text: `${counts.ok} passed` }),
        counts.warn ? h("span", { class: "rs warn", text: `${counts.warn} warned` }) : null,
        counts.err ? h("span", { class: "rs err", text: `${counts.err} failed` }) : null,
        counts.skip ? h("span", { class: "rs skip", text: `${counts.skip} skipped` }) : null)
    : h("div", { class: "run-summary" }, h("span", { class: "rs none", text: "no run results" }));
  const bar = h("header", { class: "topbar" },
    h("a", { class: "brand", href: "#/" }, h("span", { class: "logo", "aria-hidden": "true" }), "martlet", h("span", { class: "brand-sub", text: "docs" })),
    h("span", { class: "project", text: db.title }),
    t.name ? h("span", { class: "chip", text: [t.name, t.type, t.schema].filter(Boolean).join(" · ") }) : null,
    h("div", { class: "search" }, input, h("kbd", { text: "/" }), results),
    run);
  new Search(db, input, results);
  return bar;
}

function sidebarGroup(title, nodes, open) {
  const list = h("ul", { class: "tree" });
  let shown = 0;
  const more = h("button", { type: "button", class: "more", hidden: true });
  const fill = () => {
    const batch = nodes.slice(shown, shown + SIDEBAR_BATCH);
    for (const n of batch) {
      const dot = h("span", { class: "dot st-" + statusClass(n.result && n.result.status) });
      list.append(h("li", null, h("a", { href: nodeHref(n), "data-id": n.id, title: n.id }, dot, h("span", { class: "tree-name", text: n.name }))));
    }
    shown += batch.length;
    more.hidden = shown >= nodes.length;
    more.textContent = `Show ${fmtInt(Math.min(SIDEBAR_BATCH, nodes.length - shown))} more`;
  };
  more.addEventListener("click", fill);
  const details = h("details", { class: "group" },
    h("summary", null, h("span", { class: "group-name", text: title }), h("span", { class: "group-count", text: fmtInt(nodes.length) })),
    list, more);
  details.addEventListener("toggle", () => {
    if (details.open && shown === 0) fill();
  });
  details.open = open;
  return details;
}

function sidebar(db) {
  const byFolder = new Map();
  const tests = [];
  for (const n of db.nodes) {
    if (n.kind === "test") tests.push(n);
    else pushTo(byFolder, n.kind === "source" ? "sources" : n.folder || "(no folder)", n);
  }
  const open = db.nodes.length - tests.length <= SIDEBAR_OPEN_LIMIT;
  const groups = [...byFolder.keys()].sort().map((f) => sidebarGroup(f, sortedNodes(byFolder.get(f)), open));
  if (tests.length) groups.push(sidebarGroup("tests", sortedNodes(tests), false));
  return h("nav", { class: "sidebar", "aria-label": "Project" },
    h("a", { class: "nav-graph", href: "#/", text: "Lineage graph" }),
    h("h2", { class: "side-title", text: "Project" }),
    groups);
}

// parseRoute splits the hash into its decoded parts.
function parseRoute(hash) {
  return hash.replace(/^#\/?/, "").split("/").map((p) => {
    try {
      return decodeURIComponent(p);
    } catch (e) {
      return p;
    }
  });
}

class App {
  constructor(db) {
    this.db = db;
    this.main = h("main", { id: "main" });
    this.side = sidebar(db);
    this.graph = null;
    document.body.append(topBar(db), h("div", { class: "shell" }, this.side, this.main));
    window.addEventListener("hashchange", () => this.route());
    this.route();
  }

  route() {
    const [head, id, sub, column] = parseRoute(location.hash);
    const graph = head === "" || head === "graph";
    this.main.classList.toggle("main-graph", graph);
    this.markActive(graph ? null : id);
    if (graph) {
      if (!this.graph) this.graph = new GraphView(this.db);
      if (this.main.firstChild !== this.graph.root) clear(this.main).append(this.graph.root);
      this.graph.show(id || null);
      document.title = this.db.title + " · martlet docs";
      return;
    }
    clear(this.main);
    this.main.scrollTop = 0;
    renderNodePage(this.main, this.db, id, sub === "column" ? column : null);
    const n = this.db.byId.get(id);
    document.title = (n ? n.name + " · " : "") + this.db.title + " · martlet docs";
  }

  markActive(id) {
    for (const a of this.side.querySelectorAll("a.active")) a.classList.remove("active");
    if (!id) return;
    const a = this.side.querySelector(`a[data-id="${CSS.escape(id)}"]`);
    if (a) a.classList.add("active");
  }
}

try {
  window.martletDocs = new App(loadData());
} catch (err) {
  document.body.append(h("pre", { class: "fatal", text: "The docs page could not start: " + err }));
}
