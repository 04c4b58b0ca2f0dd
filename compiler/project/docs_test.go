package project

import (
	"reflect"
	"testing"
)

const docsMD = `# Order docs

{% docs orders_status %}
Orders can be one of:

| status | meaning |
|---|---|
| placed | ordered |
{% enddocs %}

Text between blocks is ignored.

{%- docs customer_id -%}  The customer. {%- enddocs -%}
{% docs raw_jaffle %}Raw data.{% enddocs %}
`

const docsProps = `version: 2
sources:
  - name: jaffle
    description: '{{ doc("raw_jaffle") }}'
    tables:
      - name: orders
        description: "Orders: {{doc('orders_status')}}"
        columns:
          - {name: customer_id, description: "{{ doc('customer_id') }}"}
models:
  - name: orders
    description: >
      {{ doc("orders_status") }}
    columns:
      - name: customer_id
        description: '{{ doc("customer_id") }}'
      - name: status
        description: Not a {{ ref }} and not {{ doc(x) }}.
`

func TestDocsBlocks(t *testing.T) {
	p := mustLoad(t, map[string]string{
		FileName:           minimal,
		"models/docs.md":   docsMD,
		"models/props.yml": docsProps,
		"seeds/seeds.md":   "{% docs seed_doc %}\nA seed.\n{% enddocs %}",
		"tests/tests.md":   "{% docs not_read %}tests/ is no docs directory{% enddocs %}",
	})
	status := "Orders can be one of:\n\n| status | meaning |\n|---|---|\n| placed | ordered |"
	wantDocs := map[string]string{"orders_status": status, "customer_id": "The customer.", "raw_jaffle": "Raw data.", "seed_doc": "A seed."}
	if !reflect.DeepEqual(p.Props.Docs, wantDocs) {
		t.Errorf("Docs = %q", p.Props.Docs)
	}
	if len(p.Files.Docs) != 2 || p.Files.Docs[0].Path != "models/docs.md" || p.Files.Docs[1].Path != "seeds/seeds.md" {
		t.Errorf("Files.Docs = %+v", p.Files.Docs)
	}
	orders := p.Props.Resources["orders"]
	if orders.Description != status+"\n" { // a folded scalar keeps its final newline
		t.Errorf("model description = %q", orders.Description)
	}
	if got := orders.Column("customer_id").Description; got != "The customer." {
		t.Errorf("column description = %q", got)
	}
	if got := orders.Column("status").Description; got != "Not a {{ ref }} and not {{ doc(x) }}." {
		t.Errorf("other templating must be left alone: %q", got)
	}
	src := p.Props.Sources[0]
	if src.Description != "Raw data." || src.Tables[0].Description != "Orders: "+status || src.Tables[0].Columns[0].Description != "The customer." {
		t.Errorf("source descriptions = %q / %q / %q", src.Description, src.Tables[0].Description, src.Tables[0].Columns[0].Description)
	}
}

func TestDocsPaths(t *testing.T) {
	p := mustLoad(t, map[string]string{
		FileName:           "name: shop\ndocs-paths: [docs, docs]\n",
		"docs/a.md":        "{% docs a %}A{% enddocs %}",
		"docs/sub/b.md":    "{% docs b %}B{% enddocs %}",
		"docs/c.txt":       "{% docs c %}C{% enddocs %}",
		"models/m.md":      "{% docs m %}M{% enddocs %}",
		"models/p.yml":     "version: 2\nmodels:\n  - {name: m, description: '{{ doc(\"b\") }}'}\n",
		"docs/ignored.yml": "not: properties\n",
	})
	if want := map[string]string{"a": "A", "b": "B"}; !reflect.DeepEqual(p.Props.Docs, want) {
		t.Errorf("Docs = %q, want %q", p.Props.Docs, want)
	}
	if got := p.Props.Resources["m"].Description; got != "B" {
		t.Errorf("description = %q", got)
	}
}

func TestDocsErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"duplicate", map[string]string{"models/a.md": "{% docs x %}1{% enddocs %}", "models/b/b.md": "\n\n  {% docs x %}2{% enddocs %}"},
			[]string{`models/b/b.md:3:3: docs block "x" is defined twice (also at models/a.md:1)`}},
		{"unclosed", map[string]string{"models/a.md": "{% docs a %}A{% enddocs %}\n{% docs b %}\nB\n"},
			[]string{`models/a.md:2:1: docs block "b" is not closed with {% enddocs %}`}},
		{"nested", map[string]string{"models/a.md": "{% docs a %}\n {% docs b %}{% enddocs %}"},
			[]string{`models/a.md:2:2: docs block "a" is not closed before the next {% docs %}`}},
		{"no name", map[string]string{"models/a.md": "x {% docs %}A{% enddocs %}"},
			[]string{"models/a.md:1:3: a docs block needs a name: {% docs name %}"}},
		{"stray enddocs", map[string]string{"models/a.md": "{% docs a %}A{% enddocs %}{% enddocs %}"},
			[]string{"models/a.md:1:27: {% enddocs %} without a {% docs name %} before it"}},
		{"unknown doc", map[string]string{
			"models/a.md": "{% docs orders_status %}S{% enddocs %}",
			"models/p.yml": "version: 2\nmodels:\n  - name: orders\n    description: '{{ doc(\"order_status\") }}'\n" +
				"    columns:\n      - {name: id, description: \"{{ doc('nothing_like_it') }}\"}\n",
		}, []string{
			`models/p.yml:4:18: unknown docs block "order_status" in doc() (did you mean "orders_status"?)`,
			`models/p.yml:6:33: unknown docs block "nothing_like_it" in doc()`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.files[FileName] = minimal
			_, ds := load(t, tt.files, Options{})
			assertDiags(t, ds, tt.want)
		})
	}
}
