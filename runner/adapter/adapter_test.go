package adapter

import "testing"

func TestRelationString(t *testing.T) {
	tests := []struct {
		rel  Relation
		want string
	}{
		{Relation{Schema: "main", Name: "orders"}, `"main"."orders"`},
		{Relation{Schema: "Mixed Case", Name: `we"ird`}, `"Mixed Case"."we""ird"`},
		{Relation{Schema: "a.b", Name: "c"}, `"a.b"."c"`},
	}
	for _, tt := range tests {
		if got := tt.rel.String(); got != tt.want {
			t.Errorf("%#v.String() = %s, want %s", tt.rel, got, tt.want)
		}
	}
}

func TestQuoteString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "'plain'"},
		{"it's", "'it''s'"},
		{"''", "''''''"},
	}
	for _, tt := range tests {
		if got := QuoteString(tt.in); got != tt.want {
			t.Errorf("QuoteString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRelationKindString(t *testing.T) {
	tests := []struct {
		kind RelationKind
		want string
	}{{KindNone, "none"}, {KindTable, "table"}, {KindView, "view"}}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.want {
			t.Errorf("%d.String() = %s, want %s", tt.kind, got, tt.want)
		}
	}
}

func TestSeedErrorFormat(t *testing.T) {
	tests := []struct {
		err  SeedError
		want string
	}{
		{SeedError{Path: "seeds/a.csv", Line: 3, Msg: "bad"}, "seeds/a.csv:3: bad"},
		{SeedError{Path: "seeds/a.csv", Msg: "bad"}, "seeds/a.csv: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
