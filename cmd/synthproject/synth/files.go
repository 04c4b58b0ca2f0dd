package synth

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// modelSQL renders a model's template: a base CTE over its primary
// upstream, one CTE per other upstream, and a final CTE that joins them.
func modelSQL(m model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{# %s: generated %s model over %s. #}\n", m.name, layers[m.layer].dir, strings.Join(m.refs, ", "))
	if m.table {
		b.WriteString("{{ config(materialized=\"table\") }}\n")
	}
	fmt.Fprintf(&b, `
with base as (
    select
        id,
        parent_id,
        category,
        amount,
        event_at,
        label
    from {{ ref(%q) }}
),
`, m.refs[0])
	amount := []string{"base.amount"}
	for k, r := range m.refs[1:] {
		fmt.Fprintf(&b, `
up_%d as (
    select id, amount
    from {{ ref(%q) }}
),
`, k+1, r)
		amount = append(amount, fmt.Sprintf("coalesce(up_%d.amount, base.amount)", k+1))
	}
	expr := amount[0]
	if len(amount) > 1 {
		expr = "greatest(" + strings.Join(amount, ", ") + ")"
	}
	var amountSQL string
	switch m.macro {
	case 0:
		amountSQL = fmt.Sprintf("{{ rounded(%q) }}", expr)
	case 1:
		amountSQL = fmt.Sprintf("{{ rounded(%q, 3) }}", expr)
	default:
		amountSQL = fmt.Sprintf("{{ at_least(%q, 0) }}", expr)
	}
	label, where := "base.label", ""
	switch m.useVar {
	case 0:
		where = "    where base.event_at >= cast('{{ var(\"start_date\") }}' as timestamp)\n"
	case 1:
		where = "    where base.amount >= {{ var(\"min_amount\") }}\n"
	default:
		label = fmt.Sprintf("'{{ var(\"label_prefix\") }}_%s'", m.name)
	}
	fmt.Fprintf(&b, `
final as (
    select
        base.id,
        base.id as parent_id,
        {{ normalized("base.category") }} as category,
        %s as amount,
        base.event_at,
        %s as label
    from base
`, amountSQL, label)
	for k := range m.refs[1:] {
		fmt.Fprintf(&b, "    left join up_%d on up_%d.id = base.id\n", k+1, k+1)
	}
	b.WriteString(where)
	b.WriteString(")\n\nselect * from final\n")
	return b.String()
}

// seedCSV is the i-th seed's CSV: SeedRows rows with unique ids.
func seedCSV(opts Options, i int) string {
	rng := rand.New(rand.NewPCG(opts.Seed, uint64(i+1)))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("id,parent_id,category,amount,event_at,label\n")
	for id := 1; id <= opts.SeedRows; id++ {
		at := start.Add(time.Duration(rng.IntN(366*24*60)) * time.Minute)
		fmt.Fprintf(&b, "%d,%d,%s,%d.%02d,%s,%s_%d\n",
			id, 1+rng.IntN(opts.SeedRows),
			Categories[rng.IntN(len(Categories))],
			rng.IntN(1000), rng.IntN(100),
			at.Format("2006-01-02 15:04:05"),
			Seeds[i], id)
	}
	return b.String()
}

// testKind is one generic column test in a properties file.
type testKind struct {
	column string
	yaml   func(m model) string // the test's YAML list item, without the dash
}

// testKinds are the generic tests in the order models get them.
var testKinds = []testKind{
	{"id", func(model) string { return "unique" }},
	{"id", func(model) string { return "not_null" }},
	{"category", func(model) string {
		return "accepted_values: {values: [" + quoteAll(Categories) + "]}"
	}},
	{"parent_id", func(m model) string {
		return fmt.Sprintf("relationships: {to: ref(%q), field: id}", m.refs[0])
	}},
	{"category", func(model) string { return "not_null" }},
	{"event_at", func(model) string { return "not_null" }},
	{"parent_id", func(model) string { return "not_null" }},
	{"label", func(model) string { return "not_null" }},
}

// columnDocs are the models' columns and their descriptions.
var columnDocs = []struct{ name, description string }{
	{"id", "Primary key, carried from the primary upstream."},
	{"parent_id", "The primary upstream's id."},
	{"category", "Normalized category."},
	{"amount", "Largest amount among the upstreams."},
	{"event_at", "When the row's event happened."},
	{"label", "Display label."},
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// propertiesFiles returns, by path, one properties file per folder that
// has documented models.
func propertiesFiles(models []model) map[string]string {
	byFolder := map[string][]model{}
	for _, m := range models {
		if m.tests > 0 {
			byFolder[m.folder] = append(byFolder[m.folder], m)
		}
	}
	folders := make([]string, 0, len(byFolder))
	for f := range byFolder {
		folders = append(folders, f)
	}
	sort.Strings(folders)
	files := make(map[string]string, len(folders))
	for _, f := range folders {
		base := f[strings.LastIndex(f, "/")+1:]
		files["models/"+f+"/_"+base+".yml"] = propertiesYAML(byFolder[f])
	}
	return files
}

// propertiesYAML describes models and their columns and lists their tests.
func propertiesYAML(models []model) string {
	var b strings.Builder
	b.WriteString("version: 2\n\nmodels:\n")
	for i, m := range models {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "  - name: %s\n    description: Generated %s model over %s.\n    columns:\n",
			m.name, layers[m.layer].dir, strings.Join(m.refs, ", "))
		tests := testKinds[:m.tests]
		for _, col := range columnDocs {
			fmt.Fprintf(&b, "      - name: %s\n        description: %s\n", col.name, col.description)
			first := true
			for _, t := range tests {
				if t.column != col.name {
					continue
				}
				if first {
					b.WriteString("        tests:\n")
					first = false
				}
				fmt.Fprintf(&b, "          - %s\n", t.yaml(m))
			}
		}
	}
	return b.String()
}
