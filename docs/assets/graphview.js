// The graph view (#/ and #/graph/<id>): the whole DAG, or for big projects
// the lineage of the focused node, with a toolbar, a legend and a card for
// the selected node.

class GraphView {
  constructor(db) {
    this.db = db;
    this.colorMode = "materialized";
    this.showTests = false;
    this.lineageOnly = false;
    this.drawnKey = "";
    this.focusId = null;
    this.root = h("section", { class: "graph-view", "aria-label": "Dependency graph" });
    this.canvas = h("div", { class: "canvas" });
    this.note = h("div", { class: "canvas-note", hidden: true });
    this.card = h("aside", { class: "node-card", hidden: true });
    this.legend = h("div", { class: "legend" });
    this.count = h("span", { class: "count" });
    this.root.append(this.toolbar(), this.canvas);
    this.canvas.append(this.note, this.card, this.legend);
    this.dag = new DagView(this.canvas, db, {
      colorMode: this.colorMode,
      onSelect: (id) => (location.hash = id ? "#/graph/" + encodeURIComponent(id) : "#/"),
      onOpen: (id) => (location.hash = nodeHref(db.byId.get(id))),
    });
  }

  toolbar() {
    const seg = (mode, label) =>
      h("button", {
        type: "button",
        class: "seg",
        "data-mode": mode,
        "aria-pressed": String(mode === this.colorMode),
        text: label,
        onclick: () => this.setColorMode(mode),
      });
    const check = (label, prop, cls) =>
      h("label", { class: "check " + cls },
        h("input", {
          type: "checkbox",
          checked: this[prop],
          onchange: (e) => {
            this[prop] = e.target.checked;
            this.render();
          },
        }),
        label);
    this.segs = [seg("materialized", "Materialization"), seg("folder", "Folder")];
    return h("div", { class: "toolbar" },
      h("span", { class: "tb-label", text: "Colour by" }),
      h("div", { class: "segmented", role: "group" }, this.segs),
      check(`Tests (${fmtInt(this.db.nodes.filter((n) => n.kind === "test").length)})`, "showTests", "tests-toggle"),
      check("Focused lineage only", "lineageOnly", "lineage-toggle"),
      h("span", { class: "spacer" }),
      this.count,
      h("button", { type: "button", class: "icon", title: "Zoom out", text: "−", onclick: () => this.dag.zoomBy(1 / 1.25) }),
      h("button", { type: "button", class: "icon", title: "Zoom in", text: "+", onclick: () => this.dag.zoomBy(1.25) }),
      h("button", { type: "button", class: "fit", text: "Fit", onclick: () => this.dag.fit() }));
  }

  setColorMode(mode) {
    this.colorMode = mode;
    for (const b of this.segs) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    this.dag.setColorMode(mode);
    this.renderLegend();
  }

  // show renders the view focused on id (or nothing).
  show(id) {
    this.focusId = id && this.db.byId.has(id) ? id : null;
    this.render();
  }

  keep() {
    const tests = this.showTests;
    const focus = this.focusId;
    return (id) => tests || id === focus || this.db.byId.get(id).kind !== "test";
  }

  // plan decides which nodes to draw: all visible nodes when they are few
  // enough, else the focused node's lineage, capped at the limit.
  plan() {
    const keep = this.keep();
    const visible = this.db.nodes.filter((n) => keep(n.id)).map((n) => n.id);
    if (this.focusId && (this.lineageOnly || visible.length > this.db.limit)) {
      const lin = lineageIds(this.db, this.focusId, this.db.limit, keep);
      return { ids: lin.ids, truncated: lin.truncated, total: visible.length };
    }
    if (visible.length > this.db.limit) return { ids: null, total: visible.length };
    return { ids: visible, truncated: false, total: visible.length };
  }

  render() {
    const plan = this.plan();
    this.renderCard();
    this.dag.setInsets(this.legend.offsetHeight + 12, this.card.hidden ? 0 : this.card.offsetHeight + 20);
    if (!plan.ids) {
      this.drawnKey = "";
      this.dag.draw([]);
      this.showNote(this.bigProjectNote(plan.total));
      this.count.textContent = fmtInt(plan.total) + " nodes";
      return;
    }
    const key = plan.ids.join("\n");
    const finish = (drawn) => {
      this.showNote(plan.truncated ? this.truncatedNote() : null);
      this.dag.focus(this.focusId);
      if (this.focusId) this.dag.reveal(this.focusId);
      else if (!drawn && this.dag.readable()) this.dag.fit();
      this.count.textContent =
        fmtInt(plan.ids.length) + (plan.ids.length === plan.total ? " nodes" : " of " + fmtInt(plan.total) + " nodes");
    };
    if (key === this.drawnKey) {
      finish(false);
      return;
    }
    this.drawnKey = key;
    this.renderLegend();
    if (plan.ids.length > 150) {
      this.showNote(h("p", { class: "working", text: `Laying out ${fmtInt(plan.ids.length)} nodes…` }));
      afterPaint(() => {
        this.dag.draw(plan.ids);
        finish(true);
      });
    } else {
      this.dag.draw(plan.ids);
      finish(true);
    }
  }

  showNote(content) {
    clear(this.note);
    this.note.hidden = !content;
    if (content) this.note.append(content);
  }

  bigProjectNote(total) {
    const hubs = this.db.nodes
      .filter((n) => n.kind !== "test")
      .map((n) => ({ n, degree: this.db.parents.get(n.id).length + this.db.children.get(n.id).length }))
      .sort((a, b) => b.degree - a.degree)
      .slice(0, 8);
    return h("div", { class: "big-note" },
      h("h2", { text: `${fmtInt(total)} nodes are too many to draw at once` }),
      h("p", { text: "Search, pick a node in the sidebar, or start from one of the most connected nodes to draw its lineage." }),
      h("ul", { class: "hubs" },
        hubs.map(({ n, degree }) =>
          h("li", null, h("a", { href: "#/graph/" + encodeURIComponent(n.id), text: n.name }),
            h("span", { class: "muted", text: ` ${degree} edges` })))));
  }

  truncatedNote() {
    return h("p", { class: "trunc", text: `Showing the nearest ${fmtInt(this.db.limit)} nodes of this lineage.` });
  }

  // renderCard shows the focused node, docked at the bottom of the canvas.
  renderCard() {
    const n = this.focusId && this.db.byId.get(this.focusId);
    clear(this.card);
    this.card.hidden = !n;
    if (!n) return;
    const keep = this.keep();
    const stat = (label, value) => h("div", { class: "stat" }, h("span", { class: "stat-label", text: label }), value);
    const swatch = h("span", { class: "swatch" });
    swatch.style.background = nodeColor(this.db, n, this.colorMode);
    append(this.card, [
      h("div", { class: "card-main" },
        h("div", { class: "card-title" }, swatch, h("h3", { text: n.name }),
          h("span", { class: "muted", text: `${n.kind} · ${n.materialized}${n.folder ? " · " + n.folder : ""}` })),
        n.description ? h("p", { class: "card-desc", text: n.description }) : null),
      h("div", { class: "card-stats" },
        stat("Last run", statusBadge(n.result)),
        stat("Upstream", h("b", { text: fmtInt(walk(this.db, n.id, "up", keep).size) })),
        stat("Downstream", h("b", { text: fmtInt(walk(this.db, n.id, "down", keep).size) })),
        stat("Columns", h("b", { text: fmtInt((n.columns || []).length) })),
        n.kind !== "test" ? stat("Tests", h("b", { text: fmtInt((this.db.testsOn.get(n.id) || []).length) })) : null),
      h("div", { class: "card-actions" },
        h("a", { class: "button primary open-page", href: nodeHref(n), text: "Open docs page →" }),
        h("button", { type: "button", class: "close", title: "Clear focus", "aria-label": "Clear focus", text: "×", onclick: () => (location.hash = "#/") })),
    ]);
  }

  renderLegend() {
    clear(this.legend);
    const entries =
      this.colorMode === "folder"
        ? this.db.folders.map((f) => [f || "(none)", this.db.folderColor.get(f)])
        : [...new Set(this.db.nodes.map((n) => n.materialized))]
            .sort((a, b) => Object.keys(MAT_COLORS).indexOf(a) - Object.keys(MAT_COLORS).indexOf(b))
            .map((m) => [m, MAT_COLORS[m] || "#64748b"]);
    for (const [label, color] of entries.slice(0, 24)) {
      const sw = h("span", { class: "swatch" });
      sw.style.background = color;
      this.legend.append(h("span", { class: "legend-item" }, sw, label));
    }
  }
}
