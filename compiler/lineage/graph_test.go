package lineage

import (
	"fmt"
	"strings"
	"testing"
)

// graphFixture is a small project: a source, an ephemeral model over it,
// two models, all analyzed by Analyze in dependency order.
func graphFixture(t *testing.T) *Graph {
	cat := &testCatalog{relations: map[string]string{
		"raw.events":       "source.p.raw.events",
		".__dbt__cte__eph": "model.p.eph",
		"main.daily":       "model.p.daily",
		"main.weekly":      "model.p.weekly",
	}, columns: map[string][]string{
		"source.p.raw.events": {"id", "at", "amount"},
	}}
	models := []struct{ id, sql string }{
		{"model.p.eph", `select id as event_id, at, amount from "raw"."events"`},
		{"model.p.daily", `with __dbt__cte__eph as (select 1) select cast(at as date) as day, event_id, amount, sum(amount) over (order by at) as running from __dbt__cte__eph`},
		{"model.p.weekly", `select date_trunc('week', day) as week, sum(amount) as amount, event_id as id from "main"."daily" group by 1, 3`},
	}
	g := NewGraph()
	for _, m := range models {
		r := Analyze(m.sql, "postgres", cat, Options{})
		if r.Unknown != "" {
			t.Fatalf("%s: %s", m.id, r.Unknown)
		}
		cols := make([]string, len(r.Columns))
		for i, c := range r.Columns {
			cols[i] = c.Name
		}
		cat.columns[m.id] = cols
		g.Add(m.id, r.Columns)
	}
	return g
}

func edgesString(es []Edge) string {
	var s []string
	for _, e := range es {
		s = append(s, fmt.Sprintf("%s.%s %s", e.Node, e.Column, e.Kind))
	}
	return strings.Join(s, ", ")
}

func hopsString(hs []Hop) string {
	var s []string
	for _, h := range hs {
		s = append(s, fmt.Sprintf("%d:%s.%s %s", h.Depth, h.Node, h.Column, h.Kind))
	}
	return strings.Join(s, ", ")
}

func TestGraph(t *testing.T) {
	g := graphFixture(t)
	ephemeral := func(id string) bool { return id == "model.p.eph" }
	tests := []struct {
		name, got, want string
	}{
		{"upstream", edgesString(g.Upstream(ColumnID{"model.p.daily", "event_id"}, nil)),
			"model.p.eph.event_id passthrough"},
		{"upstream through an ephemeral keeps a rename", edgesString(g.Upstream(ColumnID{"model.p.daily", "event_id"}, ephemeral)),
			"source.p.raw.events.id renamed"},
		{"upstream through an ephemeral keeps a passthrough", edgesString(g.Upstream(ColumnID{"model.p.daily", "amount"}, ephemeral)),
			"source.p.raw.events.amount passthrough"},
		{"upstream through an ephemeral, derived", edgesString(g.Upstream(ColumnID{"model.p.daily", "running"}, ephemeral)),
			"source.p.raw.events.amount derived, source.p.raw.events.at derived"},
		{"upstream of an unknown column", edgesString(g.Upstream(ColumnID{"model.p.daily", "nope"}, ephemeral)), ""},
		{"downstream", edgesString(g.Downstream(ColumnID{"model.p.eph", "amount"})),
			"model.p.daily.amount passthrough, model.p.daily.running derived"},
		{"trace up", hopsString(g.Trace(ColumnID{"model.p.weekly", "id"}, false)),
			"1:model.p.daily.event_id renamed, 2:model.p.eph.event_id renamed, 3:source.p.raw.events.id passthrough"},
		{"trace down (impact analysis)", hopsString(g.Trace(ColumnID{"source.p.raw.events", "amount"}, true)),
			"1:model.p.eph.amount passthrough, 2:model.p.daily.amount passthrough, 2:model.p.daily.running derived, " +
				"3:model.p.weekly.amount derived"},
		{"trace down from a column nothing reads", hopsString(g.Trace(ColumnID{"model.p.weekly", "week"}, true)), ""},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, tc.want)
		}
	}
}

func TestEdgeKindText(t *testing.T) {
	for _, k := range []EdgeKind{Passthrough, Renamed, Derived} {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back EdgeKind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("%v: round trip gives %v, %v", k, back, err)
		}
	}
	if _, err := EdgeKind(9).MarshalText(); err == nil {
		t.Error("MarshalText(9): no error")
	}
	var k EdgeKind
	if err := k.UnmarshalText([]byte("copied")); err == nil {
		t.Error(`UnmarshalText("copied"): no error`)
	}
	if s := EdgeKind(9).String(); s != "EdgeKind(9)" {
		t.Errorf("String = %q", s)
	}
}
