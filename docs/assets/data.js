// The project data: the JSON that Generate inlined, indexed for the views.

const KIND_ORDER = ["source", "seed", "model", "snapshot", "test"];

// colKey names a column of a node; column names compare case-insensitively,
// as unquoted SQL identifiers do.
function colKey(nodeId, column) {
  return nodeId + "\u0000" + String(column).toLowerCase();
}

function pushTo(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// loadData parses the inlined JSON and builds the indexes: nodes by ID,
// parents and children, tests by the node they check, the folders, and
// column lineage in both directions.
function loadData() {
  const data = JSON.parse(document.getElementById("martlet-data").textContent);
  const db = {
    project: data.project,
    title: data.title,
    target: data.target || {},
    generatedAt: data.generated_at,
    run: data.run,
    limit: data.full_graph_limit > 0 ? data.full_graph_limit : 400,
    nodes: Array.isArray(data.nodes) ? data.nodes : [],
    byId: new Map(),
    parents: new Map(),
    children: new Map(),
    testsOn: new Map(),
    colUp: new Map(),
    colDown: new Map(),
    folders: [],
    folderColor: new Map(),
  };
  for (const n of db.nodes) {
    db.byId.set(n.id, n);
    db.children.set(n.id, []);
  }
  const folders = new Set();
  for (const n of db.nodes) {
    const parents = [...new Set(n.depends_on || [])].filter((p) => db.byId.has(p) && p !== n.id);
    db.parents.set(n.id, parents);
    for (const p of parents) db.children.get(p).push(n.id);
    folders.add(n.folder);
    if (n.kind === "test") {
      const checked = n.test && db.byId.has(n.test.attached) ? [n.test.attached] : parents;
      for (const id of checked) pushTo(db.testsOn, id, n);
    }
    for (const c of n.columns || []) {
      const ups = Array.isArray(c.upstream) ? c.upstream : [];
      db.colUp.set(colKey(n.id, c.name), ups);
      for (const u of ups) pushTo(db.colDown, colKey(u.node, u.column), { node: n.id, column: c.name });
    }
  }
  db.folders = [...folders].sort();
  db.folders.forEach((f, i) => db.folderColor.set(f, FOLDER_PALETTE[i % FOLDER_PALETTE.length]));
  return db;
}

// runCounts tallies the last run's statuses.
function runCounts(db) {
  const counts = { ok: 0, warn: 0, err: 0, skip: 0 };
  for (const n of db.nodes) {
    if (n.result) counts[statusClass(n.result.status)]++;
  }
  return counts;
}

// walk returns the nodes reachable from start through parents ("up") or
// children ("down"), as a Map from ID to distance, start excluded. keep, if
// given, limits the walk to the nodes it accepts.
function walk(db, start, dir, keep) {
  const next = dir === "up" ? db.parents : db.children;
  const dist = new Map();
  let frontier = [start];
  for (let d = 1; frontier.length > 0; d++) {
    const level = [];
    for (const id of frontier) {
      for (const other of next.get(id) || []) {
        if (other === start || dist.has(other) || (keep && !keep(other))) continue;
        dist.set(other, d);
        level.push(other);
      }
    }
    frontier = level;
  }
  return dist;
}

// lineageIds returns start with its ancestors and descendants that keep
// accepts, nearest first, at most cap of them: whole levels are added, on
// both sides, while they fit.
function lineageIds(db, start, cap, keep) {
  const up = walk(db, start, "up", keep);
  const down = walk(db, start, "down", keep);
  const byDepth = [];
  for (const m of [up, down]) {
    for (const [id, d] of m) (byDepth[d] = byDepth[d] || []).push(id);
  }
  const ids = [start];
  let truncated = false;
  for (let d = 1; d < byDepth.length; d++) {
    const level = byDepth[d] || [];
    if (ids.length + level.length > cap) {
      truncated = true;
      break;
    }
    ids.push(...level);
  }
  return { ids, truncated, up: up.size, down: down.size };
}

// columnLineage follows a column's upstream columns (from Column.upstream,
// transitively) and downstream columns (the inverse). It returns the columns
// by key with their role (self, up or down) and the column edges.
function columnLineage(db, nodeId, column, cap = 3000) {
  const cols = new Map();
  const edges = [];
  const start = colKey(nodeId, column);
  cols.set(start, { node: nodeId, column, role: "self" });
  const follow = (index, role, edge) => {
    let queue = [start];
    while (queue.length > 0 && cols.size < cap) {
      const next = [];
      for (const key of queue) {
        for (const ref of index.get(key) || []) {
          const k = colKey(ref.node, ref.column);
          edges.push(edge(k, key));
          if (cols.has(k)) continue;
          cols.set(k, { node: ref.node, column: ref.column, role });
          next.push(k);
        }
      }
      queue = next;
    }
  };
  follow(db.colUp, "up", (k, key) => ({ from: k, to: key }));
  follow(db.colDown, "down", (k, key) => ({ from: key, to: k }));
  return { cols, edges, truncated: cols.size >= cap };
}

// sortedNodes orders nodes by kind, then name.
function sortedNodes(nodes) {
  return [...nodes].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name)
  );
}
