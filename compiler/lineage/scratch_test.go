package lineage

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"martlet/compiler/sqlcheck"
)

func TestScratchDump(t *testing.T) {
	if os.Getenv("SQLFILE") == "" {
		t.Skip()
	}
	sql, _ := os.ReadFile(os.Getenv("SQLFILE"))
	tree, err := sqlcheck.PostgresParseJSON(string(sql))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	json.Unmarshal([]byte(tree), &v)
	b, _ := json.MarshalIndent(v, "", " ")
	fmt.Println(string(b))
}

func BenchmarkScratchParse(b *testing.B) {
	sql, _ := os.ReadFile("/work/main/target/compiled/marts/channel_performance.sql")
	for b.Loop() {
		sqlcheck.PostgresParseJSON(string(sql))
	}
}
func BenchmarkScratchDecodeMap(b *testing.B) {
	sql, _ := os.ReadFile("/work/main/target/compiled/marts/channel_performance.sql")
	tree, _ := sqlcheck.PostgresParseJSON(string(sql))
	b.Logf("tree %d bytes", len(tree))
	for b.Loop() {
		var v any
		json.Unmarshal([]byte(tree), &v)
	}
}

func TestScratchDuck(t *testing.T) {
	if os.Getenv("SQLFILE") == "" {
		t.Skip()
	}
	sql, _ := os.ReadFile(os.Getenv("SQLFILE"))
	c, _ := sqlcheck.NewDuckDB()
	tree, err := c.ParseJSON(string(sql))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(tree)
}
