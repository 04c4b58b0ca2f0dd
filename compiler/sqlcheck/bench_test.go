package sqlcheck

import "testing"

// benchCheck measures Check on benchQuery, one goroutine at a time.
func benchCheck(b *testing.B, c Checker) {
	b.SetBytes(int64(len(benchQuery)))
	for b.Loop() {
		if err := c.Check(benchQuery); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCheckParallel measures Check on benchQuery from GOMAXPROCS
// goroutines; ns/op is the wall time per check with all cores busy.
func benchCheckParallel(b *testing.B, c Checker) {
	b.SetBytes(int64(len(benchQuery)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := c.Check(benchQuery); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkCheckDuckDB(b *testing.B)           { benchCheck(b, newDuckDB(b)) }
func BenchmarkCheckDuckDBParallel(b *testing.B)   { benchCheckParallel(b, newDuckDB(b)) }
func BenchmarkCheckPostgres(b *testing.B)         { benchCheck(b, PostgresChecker{}) }
func BenchmarkCheckPostgresParallel(b *testing.B) { benchCheckParallel(b, PostgresChecker{}) }

// BenchmarkDuckDBParseJSON measures ParseJSON, which runs json_serialize_sql.
func BenchmarkDuckDBParseJSON(b *testing.B) {
	c := newDuckDB(b)
	for b.Loop() {
		if _, err := c.ParseJSON(benchQuery); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckDuckDBError measures Check on a query with a syntax error,
// which takes the slower json_serialize_sql path to find the position.
func BenchmarkCheckDuckDBError(b *testing.B) {
	c := newDuckDB(b)
	sql := benchQuery + " where where"
	for b.Loop() {
		if err := c.Check(sql); err == nil {
			b.Fatal("want a syntax error")
		}
	}
}
