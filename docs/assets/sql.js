// Light SQL highlighting: the text is split into tokens that become text
// nodes inside spans; nothing is parsed as HTML.

const SQL_KEYWORDS = new Set(
  ("select from where group by order having limit offset join left right inner outer full cross " +
    "on as and or not in is null case when then else end with recursive union all distinct insert " +
    "into values update set delete merge create table view replace over partition rows range " +
    "between like ilike cast try_cast coalesce count sum avg min max qualify using exists true false " +
    "asc desc filter interval date timestamp lateral unnest window nulls first last except intersect")
    .split(" ")
);

const SQL_TOKEN =
  /(\{#[\s\S]*?#\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\b\d+(?:\.\d+)?\b|[A-Za-z_][A-Za-z0-9_$]*)/g;

function sqlTokenClass(tok) {
  const c = tok[0];
  if (c === "{") return "tk-jinja";
  if (tok.startsWith("--") || tok.startsWith("/*")) return "tk-com";
  if (c === "'") return "tk-str";
  if (c === '"') return "tk-id";
  if (c >= "0" && c <= "9") return "tk-num";
  return SQL_KEYWORDS.has(tok.toLowerCase()) ? "tk-kw" : "";
}

// highlightSQL returns a fragment of text nodes and spans for text. Very
// long text is left plain.
function highlightSQL(text) {
  const frag = document.createDocumentFragment();
  if (text.length > 200000) {
    frag.append(text);
    return frag;
  }
  let last = 0;
  for (const m of text.matchAll(SQL_TOKEN)) {
    const cls = sqlTokenClass(m[0]);
    if (!cls) continue;
    if (m.index > last) frag.append(text.slice(last, m.index));
    frag.append(h("span", { class: cls, text: m[0] }));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

// sqlBlock is a titled code block with line numbers and a copy button.
function sqlBlock(text) {
  const lines = text.split("\n").length;
  const gutter = h("pre", { class: "gutter", "aria-hidden": "true" });
  gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
  const code = h("pre", { class: "code" }, h("code", null, highlightSQL(text)));
  const copy = h("button", {
    class: "copy",
    type: "button",
    text: "Copy",
    onclick: () => {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(text).then(
        () => (copy.textContent = "Copied"),
        () => (copy.textContent = "Copy failed")
      );
    },
  });
  return h("div", { class: "sql" }, copy, h("div", { class: "sql-scroll" }, gutter, code));
}
