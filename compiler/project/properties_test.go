package project

import (
	"reflect"
	"testing"
)

// loadProps loads a project whose only properties file is models/p.yml.
func loadProps(t *testing.T, yml string) (*Properties, []string) {
	t.Helper()
	p, ds := load(t, map[string]string{FileName: minimal, "models/p.yml": yml}, Options{})
	if p == nil {
		t.Fatalf("project not loaded: %q", ds)
	}
	return p.Props, ds
}

const specProps = `version: 2
sources:
  - name: raw
    schema: raw_data
    database: lake
    description: Raw events.
    tables:
      - {name: events}
      - name: users
        identifier: tbl_users
        description: App users.
        columns:
          - name: id
            tests: [unique]
        data_tests: [not_null]
        loaded_at_field: ts
models:
  - name: orders
    description: One row per order.
    config: {materialized: table, +tags: [x], pre-hook: "select 1"}
    columns:
      - name: order_id
        description: Primary key.
        data_type: integer
        tests: [unique, not_null]
      - name: status
        tests:
          - accepted_values: {values: ["placed", "shipped"]}
      - name: customer_id
        data_tests:
          - relationships: {to: ref("customers"), field: customer_id}
    tests:
      - dbt_utils.expression_is_true:
          expression: "amount >= 0"
          config: {severity: warn}
seeds:
  - name: countries
    config: {column_types: {code: varchar}}
snapshots:
  - name: snap
macros:
  - name: cents
exposures: []
`

func TestPropertiesSpecExample(t *testing.T) {
	props, ds := loadProps(t, specProps)
	assertDiags(t, ds, nil)

	if len(props.Sources) != 1 {
		t.Fatalf("sources = %d", len(props.Sources))
	}
	src := props.Sources[0]
	if src.Name != "raw" || src.Schema != "raw_data" || src.Database != "lake" || src.Description != "Raw events." ||
		src.Pos != (Pos{"models/p.yml", 3, 5}) || len(src.Tables) != 2 {
		t.Errorf("source = %+v", src)
	}
	ev, users := src.Tables[0], src.Tables[1]
	if ev.Name != "events" || ev.Identifier != "events" || ev.Pos != (Pos{"models/p.yml", 8, 9}) {
		t.Errorf("events = %+v", ev)
	}
	if users.Identifier != "tbl_users" || users.Description != "App users." || len(users.Columns) != 1 ||
		users.Columns[0].Tests[0].Name != "unique" || len(users.Tests) != 1 || users.Tests[0].Name != "not_null" {
		t.Errorf("users = %+v", users)
	}

	orders := props.Resources["orders"]
	if orders == nil || orders.Description != "One row per order." || orders.Pos != (Pos{"models/p.yml", 18, 5}) {
		t.Fatalf("orders = %+v", orders)
	}
	if got := keyVals(orders.Config); !reflect.DeepEqual(got, []string{"materialized=table@20:14", "tags=[x]@20:35", "pre_hook=select 1@20:47"}) {
		t.Errorf("orders config = %q", got)
	}
	if len(orders.Columns) != 3 {
		t.Fatalf("orders columns = %d", len(orders.Columns))
	}
	id := orders.Column("ORDER_ID")
	if id == nil || id.Description != "Primary key." || id.DataType != "integer" || id.Pos != (Pos{"models/p.yml", 22, 9}) {
		t.Errorf("order_id = %+v", id)
	}
	var names []string
	for _, ts := range id.Tests {
		names = append(names, ts.Name+"@"+itoa(ts.Pos.Line)+":"+itoa(ts.Pos.Col))
	}
	if !reflect.DeepEqual(names, []string{"unique@25:17", "not_null@25:25"}) {
		t.Errorf("order_id tests = %q", names)
	}
	status := orders.Column("status").Tests[0]
	if status.Name != "accepted_values" || !reflect.DeepEqual(status.Args, map[string]any{"values": []any{"placed", "shipped"}}) ||
		status.Pos != (Pos{"models/p.yml", 28, 13}) {
		t.Errorf("accepted_values = %+v", status)
	}
	rel := orders.Column("customer_id").Tests[0]
	if !reflect.DeepEqual(rel.Args, map[string]any{"to": `ref("customers")`, "field": "customer_id"}) {
		t.Errorf("relationships args = %v", rel.Args)
	}
	if orders.Column("nope") != nil {
		t.Error("Column(nope) must be nil")
	}
	expr := orders.Tests[0]
	if expr.Name != "dbt_utils.expression_is_true" || !reflect.DeepEqual(expr.Args, map[string]any{"expression": "amount >= 0"}) ||
		!reflect.DeepEqual(keyVals(expr.Config), []string{"severity=warn@35:20"}) {
		t.Errorf("model test = %+v config %q", expr, keyVals(expr.Config))
	}
	if props.Resources["countries"] == nil || props.Resources["snap"] == nil || len(props.Resources) != 3 {
		t.Errorf("resources = %v", props.Resources)
	}
}

func TestPropertiesTestForms(t *testing.T) {
	props, ds := loadProps(t, `version: 2
models:
  - name: m
    columns:
      - name: c
        data_tests:
          - not_null
          - unique:
          - accepted_values:
              arguments:
                values: [a, b]
                quote: false
              config:
                severity: warn
                where: "x > 0"
          - relationships:
              name: c_fk
              to: ref('other')
              field: id
              severity: error
              where: "1=1"
              limit: 5
              warn_if: ">10"
              error_if: ">100"
              tags: [t]
              enabled: true
              store_failures: true
`)
	assertDiags(t, ds, nil)
	tests := props.Resources["m"].Columns[0].Tests
	if len(tests) != 4 {
		t.Fatalf("tests = %d", len(tests))
	}
	if tests[0].Name != "not_null" || tests[0].Args != nil || tests[0].Pos != (Pos{"models/p.yml", 7, 13}) {
		t.Errorf("not_null = %+v", tests[0])
	}
	if tests[1].Name != "unique" || len(tests[1].Args) != 0 || tests[1].Args == nil || tests[1].Pos != (Pos{"models/p.yml", 8, 13}) {
		t.Errorf("unique = %+v", tests[1])
	}
	av := tests[2]
	if !reflect.DeepEqual(av.Args, map[string]any{"values": []any{"a", "b"}, "quote": false}) ||
		!reflect.DeepEqual(keyVals(av.Config), []string{"severity=warn@14:17", "where=x > 0@15:17"}) {
		t.Errorf("dbt 1.10 form: args %v, config %q", av.Args, keyVals(av.Config))
	}
	rel := tests[3]
	if !reflect.DeepEqual(rel.Args, map[string]any{"__name": "c_fk", "to": "ref('other')", "field": "id"}) {
		t.Errorf("relationships args = %v", rel.Args)
	}
	wantCfg := []string{"severity=error@20:15", "where=1=1@21:15", "limit=5@22:15", "warn_if=>10@23:15",
		"error_if=>100@24:15", "tags=[t]@25:15", "enabled=true@26:15", "store_failures=true@27:15"}
	if got := keyVals(rel.Config); !reflect.DeepEqual(got, wantCfg) {
		t.Errorf("inline test config = %q\nwant %q", got, wantCfg)
	}
}

func TestPropertiesErrors(t *testing.T) {
	tests := []struct {
		name, yml string
		want      []string
	}{
		{"not a mapping", "- a\n", []string{"models/p.yml:1:1: a properties file must be a mapping with `version: 2`"}},
		{"syntax error", "version: 2\nmodels:\n  - name: [\n", []string{"models/p.yml:3:11: invalid YAML: sequence end token ']' not found"}},
		{"unknown top key", "version: 2\nmodel:\n  - name: m\n", []string{`models/p.yml:2:1: warning: unknown key "model" in a properties file`}},
		{"models not a list", "models: {name: m}\n", []string{"models/p.yml:1:9: models must be a list, not a mapping"}},
		{"sources not a list", "sources: raw\n", []string{"models/p.yml:1:10: sources must be a list, not a scalar"}},
		{"tests: 3", "models:\n  - name: m\n    tests: 3\n", []string{"models/p.yml:3:12: tests must be a list, not a scalar"}},
		{"data_tests: {}", "models:\n  - name: m\n    data_tests: {}\n", []string{"models/p.yml:3:17: data_tests must be a list, not a mapping"}},
		{"test with two keys", "models:\n  - name: m\n    columns:\n      - name: c\n        tests:\n          - unique: {}\n            not_null: {}\n",
			[]string{"models/p.yml:6:13: a test must be a name or a mapping of one test name to its arguments"}},
		{"test as a list", "models:\n  - name: m\n    tests:\n      - [unique]\n", []string{"models/p.yml:4:9: a test must be a name or a mapping, not a list"}},
		{"test args a list", "models:\n  - name: m\n    tests:\n      - accepted_values: [a, b]\n",
			[]string{`models/p.yml:4:26: the arguments of test "accepted_values" must be a mapping, not a list`}},
		{"arguments not a mapping", "models:\n  - name: m\n    tests:\n      - accepted_values:\n          arguments: [a]\n",
			[]string{`models/p.yml:5:22: arguments of test "accepted_values" must be a mapping`}},
		{"duplicate model", "models:\n  - name: m\n  - name: x\n  - name: m\n    description: again\n",
			[]string{`models/p.yml:4:5: properties of "m" are declared twice (also at models/p.yml:2)`}},
		{"model without a name", "models:\n  - description: d\n", []string{"models/p.yml:2:5: model without a name"}},
		{"seed with an empty name", "seeds:\n  - name: ''\n", []string{"models/p.yml:2:5: seed without a name"}},
		{"snapshot as a scalar", "snapshots:\n  - snap\n", []string{`models/p.yml:2:5: each snapshot must be a mapping with a name, not "snap"`}},
		{"column as a list", "models:\n  - name: m\n    columns:\n      - [c]\n", []string{"models/p.yml:4:9: each column must be a mapping with a name, not a list"}},
		{"source without a name", "sources:\n  - tables: []\n", []string{"models/p.yml:2:5: source without a name"}},
		{"source table without a name", "sources:\n  - name: s\n    tables:\n      - identifier: t\n", []string{"models/p.yml:4:9: source table without a name"}},
		{"config not a mapping", "models:\n  - name: m\n    config: table\n", []string{"models/p.yml:3:13: config must be a mapping"}},
		{"unknown model key", "models:\n  - name: m\n    materialized: table\n", []string{`models/p.yml:3:5: warning: unknown key "materialized" in the properties of "m"`}},
		{"unknown column key", "models:\n  - name: m\n    columns:\n      - name: c\n        type: int\n", []string{`models/p.yml:5:9: warning: unknown key "type" in column "c"`}},
		{"unknown source key", "sources:\n  - name: s\n    owner: me\n", []string{`models/p.yml:3:5: warning: unknown key "owner" in source "s"`}},
		{"unknown source table key", "sources:\n  - name: s\n    tables:\n      - name: t\n        owner: me\n", []string{`models/p.yml:5:9: warning: unknown key "owner" in source table "t"`}},
		{"several problems", "models:\n  - name: m\n    tests: 3\n    colums: []\n  - 7\n",
			[]string{"models/p.yml:3:12: tests must be a list, not a scalar", `models/p.yml:4:5: warning: unknown key "colums" in the properties of "m"`,
				`models/p.yml:5:5: each model must be a mapping with a name, not "7"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := loadProps(t, tt.yml)
			assertDiags(t, ds, tt.want)
		})
	}
}

func TestPropertiesDuplicateAcrossFiles(t *testing.T) {
	p, ds := load(t, map[string]string{
		FileName:            minimal,
		"models/a/one.yml":  "version: 2\nmodels:\n  - name: m\n    description: first\n",
		"models/b/two.yaml": "version: 2\n\nseeds:\n  - name: m\n",
	}, Options{})
	assertDiags(t, ds, []string{`models/b/two.yaml:4:5: properties of "m" are declared twice (also at models/a/one.yml:3)`})
	if got := p.Props.Resources["m"].Description; got != "first" {
		t.Errorf("the first declaration must win; description = %q", got)
	}
}

func TestPropertiesEmptyAndIgnoredKeys(t *testing.T) {
	for _, yml := range []string{"", "# nothing\n", "version: 2\n", "version: 2\nmodels:\nsources:\n",
		"version: 2\nmacros: [{name: m}]\nexposures: []\nmetrics: []\nsemantic_models: []\nanalyses: []\nunit_tests: []\ngroups: []\nsaved_queries: []\n"} {
		props, ds := loadProps(t, yml)
		assertDiags(t, ds, nil)
		if len(props.Resources) != 0 || len(props.Sources) != 0 {
			t.Errorf("%q: got %+v", yml, props)
		}
	}
	props, ds := loadProps(t, `models:
  - name: m
    docs: {show: true}
    meta: {a: 1}
    access: public
    group: g
    latest_version: 1
    versions: []
    constraints: []
    deprecation_date: 2030-01-01
    time_spine: {}
    columns:
      - name: c
        meta: {}
        quote: true
        constraints: []
        tags: [a]
        policy_tags: []
        granularity: day
        config: {}
sources:
  - name: s
    loader: x
    meta: {}
    tags: []
    freshness: {}
    loaded_at_field: ts
    config: {}
    quoting: {}
    overrides: x
    catalog: cat
    tables:
      - name: t
        loader: x
        meta: {}
        tags: []
        freshness: null
        loaded_at_field: ts
        config: {}
        quoting: {}
        external: {}
`)
	assertDiags(t, ds, nil)
	if props.Sources[0].Database != "cat" {
		t.Errorf("catalog must set the database: %+v", props.Sources[0])
	}
}

func TestPropertiesManyFilesDeterministic(t *testing.T) {
	// Files are parsed in parallel but read in path order.
	files := map[string]string{FileName: minimal}
	var want []string
	for i := range 40 {
		name := "models/p" + itoa(10+i) + ".yml"
		files[name] = "version: 2\nmodels:\n  - name: m\n    description: '" + itoa(i) + "'\n  - name: m" + itoa(i) + "\n  - bad\n"
		if i > 0 {
			want = append(want, name+`:3:5: properties of "m" are declared twice (also at models/p10.yml:3)`)
		}
		want = append(want, name+`:6:5: each model must be a mapping with a name, not "bad"`)
	}
	p, ds := load(t, files, Options{})
	assertDiags(t, ds, want)
	if got := p.Props.Resources["m"].Description; got != "0" || len(p.Props.Resources) != 41 {
		t.Errorf("m from file %q, %d resources", got, len(p.Props.Resources))
	}
}
