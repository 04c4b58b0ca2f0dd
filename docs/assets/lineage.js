// Column lineage: for one column, the models its upstream and downstream
// columns live in, drawn as boxes of column rows joined column to column.

const LC_W = 250, LC_HEAD = 32, LC_ROW = 22, LC_MAX_ROWS = 14;
const ROLE_CLASS = { self: "selected", up: "upstream", down: "downstream" };

// lineageBoxes groups the lineage columns by node and picks each box's
// rows: every column of a narrow node (others dimmed), only the lineage
// columns of a wide one.
function lineageBoxes(db, lin) {
  const byNode = new Map();
  for (const [key, c] of lin.cols) {
    if (!byNode.has(c.node)) byNode.set(c.node, new Map());
    byNode.get(c.node).set(key, c);
  }
  const boxes = [];
  for (const [id, cols] of byNode) {
    const node = db.byId.get(id);
    const declared = node ? node.columns || [] : [];
    const rows = [];
    const all = declared.length <= LC_MAX_ROWS;
    for (const c of declared) {
      const key = colKey(id, c.name);
      const hit = cols.get(key);
      if (hit || all) rows.push({ key, name: c.name, type: c.data_type || "", role: hit ? hit.role : "other" });
    }
    const hidden = declared.length - rows.length;
    const listed = new Set(rows.map((r) => r.key));
    for (const [key, c] of cols) {
      if (!listed.has(key)) rows.push({ key, name: c.column, type: "", role: c.role });
    }
    boxes.push({ id, node, rows, hidden });
  }
  return boxes;
}

// columnLineageView renders the lineage of nodeId.column.
function columnLineageView(db, nodeId, column) {
  const lin = columnLineage(db, nodeId, column);
  const boxes = lineageBoxes(db, lin);
  const rowPos = new Map();
  const nodeEdges = new Map();
  for (const e of lin.edges) {
    const a = lin.cols.get(e.from).node, b = lin.cols.get(e.to).node;
    if (a !== b) nodeEdges.set(a + "\n" + b, { from: a, to: b });
  }
  const g = layoutGraph(
    boxes.map((b) => ({ id: b.id, width: LC_W, height: LC_HEAD + (b.rows.length + (b.hidden ? 1 : 0)) * LC_ROW + 8 })),
    [...nodeEdges.values()],
    { nodesep: 24, ranksep: 110 }
  );
  const { svg, viewport } = newSvg("clg");
  const edgeLayer = s("g", { class: "edges" });
  const boxLayer = s("g", { class: "boxes" });
  viewport.append(edgeLayer, boxLayer);
  for (const b of boxes) {
    const pos = g.node(b.id);
    const x = pos.x - pos.width / 2, y = pos.y - pos.height / 2;
    boxLayer.append(lineageBox(db, b, x, y, pos.height, rowPos));
  }
  for (const e of lin.edges) {
    const a = rowPos.get(e.from), b = rowPos.get(e.to);
    if (!a || !b || a.node === b.node) continue;
    const x1 = a.x + LC_W, x2 = b.x, dx = Math.max(40, (x2 - x1) / 2);
    const role = lin.cols.get(e.from).role === "down" || lin.cols.get(e.to).role === "down" ? "down" : "up";
    edgeLayer.append(s("path", {
      class: "cedge " + role,
      d: `M${x1},${a.y} C${x1 + dx},${a.y} ${x2 - dx},${b.y} ${x2},${b.y}`,
    }));
  }
  const size = g.graph();
  const wrap = h("div", { class: "clg-wrap" }, svg);
  const height = Math.min(560, Math.max(200, (size.height || 0) + 40));
  wrap.style.height = height + "px";
  const pz = new PanZoom(svg, viewport);
  svg.addEventListener("click", (e) => {
    if (pz.dragged) return;
    const row = e.target.closest("g.lcol");
    const head = e.target.closest("g.lhead");
    const node = row || head ? db.byId.get((row || head).dataset.node) : null;
    if (!node) return;
    location.hash = row ? columnHref(node, row.dataset.col) : nodeHref(node);
  });
  afterPaint(() => pz.fit({ x: 0, y: 0, width: size.width || 1, height: size.height || 1 }));
  return h("div", { class: "column-lineage" }, lineageSummary(db, lin), wrap, lineageLists(db, lin));
}

function lineageBox(db, b, x, y, height, rowPos) {
  const name = b.node ? b.node.name : b.id;
  const box = s("g", { class: "lnode", transform: `translate(${x},${y})` });
  const color = b.node ? nodeColor(db, b.node, "materialized") : "#94a3b8";
  box.append(
    s("rect", { class: "lbox", width: LC_W, height, rx: 8, stroke: color }),
    s("g", { class: "lhead", "data-node": b.id },
      s("rect", { class: "lhead-bg", width: LC_W, height: LC_HEAD, rx: 8, fill: color }),
      s("rect", { class: "lhead-bg", y: LC_HEAD - 8, width: LC_W, height: 8, fill: color }),
      s("text", { x: 12, y: 21, class: "lhead-text", text: truncate(name, 30) }),
      s("title", { text: b.id }))
  );
  b.rows.forEach((r, i) => {
    const ry = LC_HEAD + 4 + i * LC_ROW;
    rowPos.set(r.key, { node: b.id, x, y: y + ry + LC_ROW / 2 });
    box.append(s("g", { class: "lcol " + (ROLE_CLASS[r.role] || "other"), "data-node": b.id, "data-col": r.name, transform: `translate(0,${ry})` },
      s("rect", { class: "lrow", x: 4, width: LC_W - 8, height: LC_ROW - 2, rx: 4 }),
      s("text", { class: "lname", x: 12, y: 15, text: truncate(r.name, 24) }),
      s("text", { class: "ltype", x: LC_W - 12, y: 15, "text-anchor": "end", text: truncate(r.type, 12) }),
      s("title", { text: r.name + (r.type ? " " + r.type : "") })));
  });
  if (b.hidden) {
    const ry = LC_HEAD + 4 + b.rows.length * LC_ROW;
    box.append(s("text", { class: "lmore", x: 12, y: ry + 15, text: `… ${b.hidden} more columns` }));
  }
  return box;
}

function lineageSummary(db, lin) {
  const count = (role) => {
    let cols = 0;
    const nodes = new Set();
    for (const c of lin.cols.values()) {
      if (c.role !== role) continue;
      cols++;
      nodes.add(c.node);
    }
    return `${fmtInt(cols)} ${role === "up" ? "upstream" : "downstream"} column${cols === 1 ? "" : "s"} in ${fmtInt(nodes.size)} node${nodes.size === 1 ? "" : "s"}`;
  };
  const text = lin.cols.size === 1 ? "No column lineage is recorded for this column." : count("up") + " · " + count("down");
  return h("p", { class: "lineage-summary" },
    h("span", { class: "key key-up", text: "upstream" }),
    h("span", { class: "key key-self", text: "selected" }),
    h("span", { class: "key key-down", text: "downstream" }),
    h("span", { class: "muted", text: (lin.truncated ? "(first columns only) " : "") + text }));
}

function lineageLists(db, lin) {
  const list = (role, title) => {
    const items = [...lin.cols.values()].filter((c) => c.role === role);
    if (items.length === 0) return null;
    return h("div", { class: "lineage-list" },
      h("h4", { text: title }),
      h("ul", null, items.slice(0, 500).map((c) => {
        const node = db.byId.get(c.node);
        const label = (node ? node.name : c.node) + "." + c.column;
        return h("li", { class: "col-chip " + ROLE_CLASS[role] },
          node ? h("a", { href: columnHref(node, c.column), text: label }) : label);
      })));
  };
  return h("div", { class: "lineage-lists" }, list("up", "Upstream columns"), list("down", "Downstream columns"));
}
