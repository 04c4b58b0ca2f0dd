package materialize

import (
	"errors"
	"reflect"
	"testing"

	"martlet/runner/adapter"
)

func TestDuckDBContracts(t *testing.T) {
	testLiveContracts(t, openLiveDuckDB, "VARCHAR", "DECIMAL(12,3)")
}

func TestPostgresContracts(t *testing.T) {
	testLiveContracts(t, openLivePostgres, "text", "numeric(12,3)")
}

// testLiveContracts checks contracts against the columns the database
// describes, which names a string literal's type textType and
// decimal(12,3) decimalType.
func testLiveContracts(t *testing.T, open func(t *testing.T) (adapter.Adapter, string), textType, decimalType string) {
	a, schema := open(t)
	contract := cols("id", "int", "amount", "numeric(12,2)", "status", "string", "placed_at", "timestamp", "paid", "bool")
	good := `SELECT 1 AS id, CAST(9.5 AS DECIMAL(12,2)) AS amount, 'placed' AS status, CAST('2024-01-01' AS TIMESTAMP) AS placed_at, true AS paid`
	bad := `SELECT '1' AS id, CAST(9.5 AS DECIMAL(12,3)) AS amount, 'placed' AS status, true AS paid, 1 AS extra`
	for _, kind := range []Kind{Table, View, Incremental} {
		rel := adapter.Relation{Schema: schema, Name: "orders_" + string(kind)}
		mustRunLive(t, a, Request{Kind: kind, Target: rel, SQL: good, Contract: contract})
		_, err := runLive(t, a, Request{Kind: kind, Target: rel, SQL: bad, Contract: contract})
		var ce *ContractError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: error %v, want a contract error", kind, err)
		}
		want := []string{
			"missing column placed_at",
			"extra column extra",
			"column id has type " + textType + ", contract says int",
			"column amount has type " + decimalType + ", contract says numeric(12,2)",
		}
		if !reflect.DeepEqual(ce.Differences, want) {
			t.Errorf("%s: differences %q, want %q", kind, ce.Differences, want)
		}
		if got := queryRows(t, a, "SELECT count(*) FROM "+rel.String()+" WHERE placed_at IS NOT NULL"); got[0] != "1" {
			t.Errorf("%s: the relation was replaced despite the broken contract", kind)
		}
	}
}
