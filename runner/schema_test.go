package runner

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"martlet/compiler/manifest"
	"martlet/runner/materialize"
)

// columnNames returns the columns of main.name as "name TYPE".
func (p *duckProject) columnNames(t *testing.T, name string) []string {
	t.Helper()
	return p.rows(t, `select column_name || ' ' || data_type from information_schema.columns
		where table_schema = 'main' and table_name = '`+name+`' order by ordinal_position`)
}

func TestDuckDBOnSchemaChange(t *testing.T) {
	const (
		first = `select * from (values (1, 'a')) as t(id, name)`
		later = `select * from (values (2, 'b', 10)) as t(id, name, amount)`
	)
	tests := []struct {
		setting  string
		status   Status
		message  string
		wantCols []string
		wantRows []string
	}{
		{"", StatusSuccess, "OK", []string{"id INTEGER", "name VARCHAR"}, []string{"1 a", "2 b"}},
		{materialize.SchemaIgnore, StatusSuccess, "OK", []string{"id INTEGER", "name VARCHAR"}, []string{"1 a", "2 b"}},
		{materialize.SchemaFail, StatusError,
			`the columns of incremental model "main"."events" changed (added columns amount (INTEGER)) and on_schema_change is fail; the table was left as it was`,
			[]string{"id INTEGER", "name VARCHAR"}, []string{"1 a"}},
		{materialize.SchemaAppend, StatusSuccess, "OK", []string{"id INTEGER", "name VARCHAR", "amount INTEGER"}, []string{"1 a <nil>", "2 b 10"}},
		{materialize.SchemaSync, StatusSuccess, "OK", []string{"id INTEGER", "name VARCHAR", "amount INTEGER"}, []string{"1 a <nil>", "2 b 10"}},
	}
	for _, tt := range tests {
		t.Run("setting "+tt.setting, func(t *testing.T) {
			p := newDuckProject(t)
			m, ids := build(model("events", "incremental", first))
			n := m.Node(ids[0])
			n.Config.OnSchemaChange = tt.setting
			p.execute(t, m, ids, ModeRun, false)
			n.IncrementalSQL = later
			res := p.execute(t, m, ids, ModeRun, false).Results[0]
			if res.Status != tt.status || res.Message != tt.message {
				t.Errorf("result %s %q, want %s %q", res.Status, res.Message, tt.status, tt.message)
			}
			if got := p.columnNames(t, "events"); !reflect.DeepEqual(got, tt.wantCols) {
				t.Errorf("columns %v, want %v", got, tt.wantCols)
			}
			if got := p.rows(t, `select * from "main"."events" order by id`); !reflect.DeepEqual(got, tt.wantRows) {
				t.Errorf("rows %v, want %v", got, tt.wantRows)
			}
		})
	}
}

func TestDuckDBOnSchemaChangeFullRefreshRebuildsFromTheFullSQL(t *testing.T) {
	p := newDuckProject(t)
	m, ids := build(model("events", "incremental", `select * from (values (1, 'a')) as t(id, name)`))
	n := m.Node(ids[0])
	n.Config.OnSchemaChange = materialize.SchemaFullRefresh
	p.execute(t, m, ids, ModeRun, false)
	// The model gains a column: its full SQL rebuilds the table.
	n.CompiledSQL = `select * from (values (1, 'a', 0), (2, 'b', 0)) as t(id, name, amount)`
	n.IncrementalSQL = `select * from (values (3, 'c', 30)) as t(id, name, amount)`
	p.execute(t, m, ids, ModeRun, false)
	if got, want := p.rows(t, `select * from "main"."events" order by id`), []string{"1 a 0", "2 b 0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the change: %v, want the rebuilt %v", got, want)
	}
	p.execute(t, m, ids, ModeRun, false)
	if got, want := p.rows(t, `select * from "main"."events" order by id`), []string{"1 a 0", "2 b 0", "3 c 30"}; !reflect.DeepEqual(got, want) {
		t.Errorf("without a change: %v, want %v", got, want)
	}
}

// contracted enforces a contract of (name, data_type) pairs on n.
func contracted(n *manifest.Node, pairs ...string) {
	n.Config.ContractEnforced = true
	n.Columns = nil
	for i := 0; i+1 < len(pairs); i += 2 {
		n.Columns = append(n.Columns, manifest.Column{Name: pairs[i], DataType: pairs[i+1], Declared: true})
	}
}

func TestDuckDBContracts(t *testing.T) {
	p := newDuckProject(t)
	good := `select 1 as id, cast(9.5 as decimal(12,2)) as amount, 'placed' as status`
	bad := `select '1' as id, 'placed' as status, 1 as extra`
	const wantErr = "the model does not satisfy its enforced contract: missing column amount; extra column extra; column id has type VARCHAR, contract says int"
	for _, mat := range []string{"table", "view", "incremental"} {
		t.Run(mat, func(t *testing.T) {
			name := "orders_" + mat
			m, ids := build(
				model(name, mat, good),
				model(name+"_count", "table", `select count(*) as n from "main"."`+name+`"`, name),
			)
			contracted(m.Node(ids[0]), "status", "text", "id", "int", "amount", "numeric(12,2)")
			if res := p.execute(t, m, ids, ModeRun, false); res.Failed() {
				t.Fatalf("a satisfied contract failed: %+v", res.Results)
			}
			m.Node(ids[0]).CompiledSQL = bad
			res := p.execute(t, m, ids, ModeRun, false)
			if r := result(t, res, name); r.Status != StatusError || r.Message != wantErr {
				t.Errorf("broken contract: %s %q, want error %q", r.Status, r.Message, wantErr)
			}
			if r := result(t, res, name+"_count"); r.Status != StatusSkipped {
				t.Errorf("dependant %s, want skipped", r.Status)
			}
			if got, want := p.rows(t, `select id, amount, status from "main"."`+name+`"`), []string{"1 9.50 placed"}; !reflect.DeepEqual(got, want) {
				t.Errorf("the relation changed: %v, want %v", got, want)
			}
		})
	}
}

func TestDuckDBContractDescribeErrorNamesTheStep(t *testing.T) {
	p := newDuckProject(t)
	m, ids := build(model("orders", "table", "select nope"))
	contracted(m.Node(ids[0]), "id", "integer")
	res, err := Execute(context.Background(), Options{Mode: ModeRun, Manifest: m, Selected: ids, Adapter: p.db})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Results[0]; r.Status != StatusError || !strings.HasPrefix(r.Message, "describing the model's columns: ") {
		t.Errorf("result %s %q, want an error describing the columns", r.Status, r.Message)
	}
}
