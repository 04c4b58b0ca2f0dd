// The page of one node (#/<kind>/<id>, #/<kind>/<id>/column/<name>):
// description, last run, lineage, columns, column lineage, tests and SQL.

function section(title, ...children) {
  return h("section", { class: "panel" }, h("h2", { text: title }), children);
}

function metaItem(label, value) {
  if (value === null || value === undefined || value === "") return null;
  return [h("dt", { text: label }), h("dd", null, value)];
}

function codeText(text) {
  return h("code", { text });
}

// renderNodePage fills main with the page of node id, the lineage of
// column shown when column is set.
function renderNodePage(main, db, id, column) {
  const n = db.byId.get(id);
  if (!n) {
    main.append(h("div", { class: "page" }, h("h1", { text: "Not found" }),
      h("p", null, "No node ", codeText(id), " in this project. ", h("a", { href: "#/", text: "Back to the graph" }))));
    return;
  }
  const page = h("article", { class: "page node-page", "data-id": n.id });
  main.append(page);
  page.append(pageHeader(db, n), overview(n));
  if (n.description) page.append(section("Description", h("p", { class: "description", text: n.description })));
  if (n.kind === "test") page.append(testInfo(db, n));
  page.append(lineagePanel(db, n));
  if (n.kind !== "test" || n.columns.length > 0) page.append(columnsPanel(db, n, column));
  if (column) {
    const lin = section(`Column lineage of ${n.name}.${column}`, columnLineageView(db, n.id, column));
    lin.id = "column-lineage";
    page.append(lin);
    afterPaint(() => lin.scrollIntoView({ block: "nearest" }));
  }
  const tests = db.testsOn.get(n.id) || [];
  if (n.kind !== "test") page.append(testsPanel(tests));
  page.append(sqlPanel(n));
}

function pageHeader(db, n) {
  const mat = h("span", { class: "badge mat", text: n.materialized });
  mat.style.setProperty("--c", nodeColor(db, n, "materialized"));
  return h("header", { class: "page-head" },
    h("div", { class: "crumbs" },
      h("a", { href: "#/", text: db.project }),
      n.folder ? h("span", { text: " / " + n.folder }) : null),
    h("div", { class: "title-row" },
      h("h1", { text: n.name }),
      h("span", { class: "badge kind", text: n.kind }),
      n.materialized !== n.kind ? mat : null,
      statusBadge(n.result),
      h("a", { class: "button", href: "#/graph/" + encodeURIComponent(n.id), text: "Show in graph" })),
    h("div", { class: "uid muted", text: n.id }));
}

function overview(n) {
  const r = n.result;
  const cfg = n.config || {};
  return h("section", { class: "overview" },
    h("dl", { class: "meta" },
      metaItem("Relation", n.relation ? codeText(n.relation) : null),
      metaItem("Path", codeText(n.path)),
      metaItem("Tags", n.tags.length ? n.tags.map((t) => h("span", { class: "tag", text: t })) : null),
      metaItem("Unique key", cfg.unique_key ? codeText(cfg.unique_key.join(", ")) : null),
      metaItem("Strategy", cfg.incremental_strategy),
      metaItem("On schema change", cfg.on_schema_change)),
    h("div", { class: "run-card st-" + statusClass(r && r.status) },
      h("h3", { text: "Last run" }),
      r
        ? h("dl", { class: "meta" },
            metaItem("Status", statusBadge(r)),
            metaItem("Started", r.started ? fmtTime(r.started) : null),
            metaItem("Duration", fmtDuration(r.duration)),
            metaItem(n.kind === "test" ? "Failures" : "Rows", fmtInt(r.failures != null ? r.failures : r.rows)),
            metaItem("Message", r.message ? h("span", { class: "message", text: r.message }) : null))
        : h("p", { class: "muted", text: "No result: this node was not in the last run." })));
}

function nodeLinks(db, ids) {
  if (ids.length === 0) return h("span", { class: "muted", text: "none" });
  return h("ul", { class: "links" }, sortedNodes(ids.map((id) => db.byId.get(id))).map((p) =>
    h("li", null, h("a", { href: nodeHref(p), text: p.name }), h("span", { class: "muted", text: " " + p.kind }))));
}

function lineagePanel(db, n) {
  const graph = h("div", { class: "mini-graph" });
  const keep = (id) => id === n.id || db.byId.get(id).kind !== "test";
  const lin = lineageIds(db, n.id, 60, keep);
  const panel = section("Lineage",
    graph,
    h("div", { class: "deps" },
      h("div", null, h("h3", { text: "Depends on" }), nodeLinks(db, db.parents.get(n.id).filter(keep))),
      h("div", null, h("h3", { text: "Referenced by" }), nodeLinks(db, db.children.get(n.id).filter(keep)))));
  const go = (id) => id && id !== n.id && (location.hash = nodeHref(db.byId.get(id)));
  afterPaint(() => {
    if (!graph.isConnected) return;
    const dag = new DagView(graph, db, { onSelect: go, onOpen: go });
    dag.draw(lin.ids);
    dag.focus(n.id);
  });
  return panel;
}

function columnTests(db, n, name) {
  const lower = name.toLowerCase();
  return (db.testsOn.get(n.id) || []).filter((t) => t.test && t.test.column && t.test.column.toLowerCase() === lower);
}

function columnsPanel(db, n, selected) {
  const sel = selected ? selected.toLowerCase() : null;
  if (n.columns.length === 0) {
    return section("Columns", h("p", { class: "muted", text: "No columns are recorded for this node." }));
  }
  const rows = n.columns.map((c) => {
    const key = colKey(n.id, c.name);
    const ups = (db.colUp.get(key) || []).length, downs = (db.colDown.get(key) || []).length;
    return h("tr", { class: "col-row" + (c.name.toLowerCase() === sel ? " selected" : ""), "data-col": c.name },
      h("td", { class: "col-name" }, h("a", { href: columnHref(n, c.name), text: c.name })),
      h("td", { class: "col-type" }, c.data_type ? codeText(c.data_type) : h("span", { class: "muted", text: "—" })),
      h("td", { class: "col-desc", text: c.description }),
      h("td", { class: "col-tests" }, columnTests(db, n, c.name).map((t) =>
        h("a", { class: "test-chip st-" + statusClass(t.result && t.result.status), href: nodeHref(t),
          title: t.result ? t.result.status : "not run", text: t.test.name }))),
      h("td", { class: "col-lin" },
        ups ? h("span", { class: "lin-up", title: "upstream columns", text: "↑" + ups }) : null,
        downs ? h("span", { class: "lin-down", title: "downstream columns", text: "↓" + downs }) : null));
  });
  const table = h("table", { class: "columns" },
    h("thead", null, h("tr", null, ["Column", "Type", "Description", "Tests", "Lineage"].map((t) => h("th", { text: t })))),
    h("tbody", null, rows));
  table.addEventListener("click", (e) => {
    const row = e.target.closest("tr.col-row");
    if (row && !e.target.closest("a")) location.hash = columnHref(n, row.dataset.col);
  });
  return section(`Columns (${n.columns.length})`, h("p", { class: "hint muted", text: "Click a column to see its lineage." }), table);
}

function testsPanel(tests) {
  if (tests.length === 0) return section("Tests", h("p", { class: "muted", text: "No tests check this node." }));
  const rows = sortedNodes(tests).map((t) => {
    const r = t.result;
    return h("tr", null,
      h("td", null, h("a", { href: nodeHref(t), text: t.test ? t.test.name : t.name })),
      h("td", null, t.test && t.test.column ? codeText(t.test.column) : h("span", { class: "muted", text: "—" })),
      h("td", null, statusBadge(r), t.test && t.test.severity === "warn" ? h("span", { class: "muted", text: " severity warn" }) : null),
      h("td", { class: "num", text: r && r.failures != null ? fmtInt(r.failures) : "" }),
      h("td", { class: "message", text: r ? r.message : "" }));
  });
  return section(`Tests (${tests.length})`, h("table", { class: "tests" },
    h("thead", null, h("tr", null, ["Test", "Column", "Status", "Failures", "Message"].map((t) => h("th", { text: t })))),
    h("tbody", null, rows)));
}

function testInfo(db, n) {
  const t = n.test || {};
  const attached = db.byId.get(t.attached);
  return section("Test",
    h("dl", { class: "meta" },
      metaItem("Test", codeText(t.name || "singular")),
      metaItem("Checks", attached ? h("a", { href: nodeHref(attached), text: attached.name }) : null),
      metaItem("Column", t.column ? h("a", { href: columnHref(attached || n, t.column), text: t.column }) : null),
      metaItem("Arguments", t.args ? h("pre", { class: "args", text: JSON.stringify(t.args, null, 2) }) : null),
      metaItem("Severity", t.severity || "error")));
}

function sqlPanel(n) {
  const tabs = [
    ["Compiled SQL", n.compiled_sql],
    ["Source", n.raw_sql],
    ["Incremental SQL", n.incremental_sql],
  ].filter(([, text]) => text);
  if (tabs.length === 0) return section("SQL", h("p", { class: "muted", text: "This node has no SQL." }));
  const body = h("div", { class: "tab-body" });
  const buttons = tabs.map(([label, text], i) =>
    h("button", {
      type: "button",
      role: "tab",
      class: "tab",
      "aria-selected": String(i === 0),
      text: label,
      onclick: (e) => {
        for (const b of buttons) b.setAttribute("aria-selected", String(b === e.currentTarget));
        clear(body).append(sqlBlock(text));
      },
    }));
  body.append(sqlBlock(tabs[0][1]));
  return section("SQL", h("div", { class: "tabs", role: "tablist" }, buttons), body);
}
