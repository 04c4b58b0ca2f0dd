package materialize

import (
	"errors"
	"reflect"
	"testing"

	"martlet/runner/adapter"
)

func TestNormalizeType(t *testing.T) {
	tests := []struct {
		adapter string
		types   []string
		want    string
	}{
		{"duckdb", []string{"int", "INTEGER", "int4", "Int32"}, "integer"},
		{"postgres", []string{"bigint", "int8", "INT64"}, "bigint"},
		{"postgres", []string{"varchar", "text", "string", "character varying(20)", "VARCHAR(10)"}, "varchar"},
		{"postgres", []string{"double", "float8", "double precision", "float"}, "double"},
		{"duckdb", []string{"float", "real", "float4"}, "real"},
		{"duckdb", []string{"decimal(12,2)", "numeric(12, 2)", "DECIMAL(12,2)"}, "decimal(12,2)"},
		{"duckdb", []string{"numeric(5)", "decimal(5,0)"}, "decimal(5,0)"},
		{"postgres", []string{"timestamp", "timestamp without time zone", "timestamp(3) without time zone", "datetime"}, "timestamp"},
		{"postgres", []string{"timestamptz", "timestamp with time zone", "TIMESTAMP WITH TIME ZONE"}, "timestamptz"},
		{"postgres", []string{"date", "DATE"}, "date"},
		{"duckdb", []string{"boolean", "bool", "BOOLEAN"}, "boolean"},
		{"duckdb", []string{"INTEGER[]", "int[]"}, "integer[]"},
		{"duckdb", []string{"STRUCT(a INTEGER)", "struct(a  integer)"}, "struct(a integer)"},
		{"duckdb", []string{"uuid", "UUID"}, "uuid"},
	}
	for _, tt := range tests {
		for _, typ := range tt.types {
			if got := normalizeType(tt.adapter, typ); got != tt.want {
				t.Errorf("normalizeType(%s, %q) = %q, want %q", tt.adapter, typ, got, tt.want)
			}
		}
	}
	same := [][2]string{{"decimal", "DECIMAL(18,3)"}, {"numeric(12,2)", "numeric"}}
	for _, p := range same {
		if !sameType("postgres", p[0], p[1]) {
			t.Errorf("sameType(%q, %q) = false", p[0], p[1])
		}
	}
	differ := [][2]string{{"decimal(12,2)", "decimal(12,3)"}, {"integer", "bigint"}, {"timestamp", "timestamptz"}, {"varchar", "integer"}}
	for _, p := range differ {
		if sameType("postgres", p[0], p[1]) {
			t.Errorf("sameType(%q, %q) = true", p[0], p[1])
		}
	}
}

func TestCheckContract(t *testing.T) {
	model := cols("order_id", "INTEGER", "Amount", "DECIMAL(12,2)", "status", "VARCHAR", "placed_at", "TIMESTAMP", "note", "VARCHAR")
	tests := []struct {
		name     string
		adapter  string
		contract []adapter.Column
		want     []string
	}{
		{"satisfied, any order and spelling", "duckdb",
			cols("status", "text", "placed_at", "timestamp", "order_id", "int", "amount", "numeric(12,2)", "note", "string"), nil},
		{"every difference", "duckdb",
			cols("order_id", "bigint", "amount", "numeric(12,2)", "status", "integer", "shipped_at", "date", "note", ""),
			[]string{
				"missing column shipped_at",
				"extra column placed_at",
				"column order_id has type INTEGER, contract says bigint",
				"column status has type VARCHAR, contract says integer",
				"column note has no data_type in the contract",
			}},
		{"postgres names are exact", "postgres",
			cols("order_id", "integer", "amount", "numeric(12,2)", "status", "text", "placed_at", "timestamp", "note", "text"),
			[]string{"missing column amount", "extra column Amount"}},
		{"an enforced contract without columns", "duckdb", []adapter.Column{},
			[]string{"extra column order_id", "extra column Amount", "extra column status", "extra column placed_at", "extra column note"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkContract(Request{Adapter: tt.adapter, ModelColumns: model, Contract: tt.contract})
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ce *ContractError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a *ContractError", err)
			}
			if !reflect.DeepEqual(ce.Differences, tt.want) {
				t.Errorf("differences:\n got %q\nwant %q", ce.Differences, tt.want)
			}
		})
	}
}

func TestPlanChecksTheContractFirst(t *testing.T) {
	for _, kind := range []Kind{View, Table, Incremental} {
		r := Request{
			Adapter: "duckdb", Kind: kind, Target: orders, SQL: selectSQL, Existing: adapter.KindTable,
			ModelColumns: cols("id", "INTEGER", "v", "INTEGER"), TargetColumns: cols("id", "INTEGER", "v", "INTEGER"),
			Contract: cols("id", "integer", "v", "varchar"),
		}
		steps, err := Plan(r)
		want := "the model does not satisfy its enforced contract: column v has type INTEGER, contract says varchar"
		if err == nil || err.Error() != want || steps != nil {
			t.Errorf("%s: Plan = %v, %v; want no steps and %q", kind, steps, err, want)
		}
		r.Contract = cols("id", "int", "v", "int4")
		if _, err := Plan(r); err != nil {
			t.Errorf("%s: a satisfied contract: %v", kind, err)
		}
	}
	_, err := Plan(Request{Adapter: "duckdb", Kind: Table, Target: orders, SQL: selectSQL, Contract: cols("id", "integer")})
	if err == nil {
		t.Error("a contract with undescribed model columns passed")
	}
}
