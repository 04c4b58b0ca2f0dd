package duckdb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"martlet/runner/adapter"
)

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// goodRows returns n well-formed "id,name" rows, to push a bad row past
// anything DuckDB samples.
func goodRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%d,n%d\n", i, i)
	}
	return b.String()
}

// columns returns the columns named and typed by alternate arguments.
func columns(nameTypes ...string) []adapter.Column {
	var cols []adapter.Column
	for i := 0; i+1 < len(nameTypes); i += 2 {
		cols = append(cols, adapter.Column{Name: nameTypes[i], Type: nameTypes[i+1]})
	}
	return cols
}

func TestLoadSeed(t *testing.T) {
	tests := []struct {
		name        string
		csv         string
		columnTypes map[string]string
		wantRows    int64
		wantCols    []adapter.Column
		wantFirst   []any
	}{
		{
			name:      "detects types",
			csv:       "id,amount,day,label\n1,2.5,2024-01-02,x\n2,3,2024-02-03,y\n",
			wantRows:  2,
			wantCols:  columns("id", "BIGINT", "amount", "DOUBLE", "day", "DATE", "label", "VARCHAR"),
			wantFirst: []any{int64(1), 2.5, nil, "x"},
		},
		{
			name:        "column_types override",
			csv:         "id,amount,code\n1,2.50,007\n",
			columnTypes: map[string]string{"amount": "decimal(12,2)", "code": "varchar"},
			wantRows:    1,
			wantCols:    columns("id", "BIGINT", "amount", "DECIMAL(12,2)", "code", "VARCHAR"),
			wantFirst:   []any{int64(1), nil, "007"},
		},
		{
			name:      "header names kept as-is, quoted fields",
			csv:       "Order ID,it's\n1,\"a, \"\"quoted\"\" b\"\n",
			wantRows:  1,
			wantCols:  columns("Order ID", "BIGINT", "it's", "VARCHAR"),
			wantFirst: []any{int64(1), `a, "quoted" b`},
		},
		{
			name:     "a late value widens the detected type",
			csv:      "id,v\n" + goodRows(30000) + "x,late\n",
			wantRows: 30001,
			wantCols: columns("id", "VARCHAR", "v", "VARCHAR"),
		},
		{
			name:     "header only",
			csv:      "a,b\n",
			wantRows: 0,
			wantCols: columns("a", "VARCHAR", "b", "VARCHAR"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := openTemp(t, 1)
			ctx := context.Background()
			path := writeFile(t, t.TempDir(), "seed.csv", tt.csv)
			rel := adapter.Relation{Schema: "seeds", Name: "s"}
			rows, err := a.LoadSeed(ctx, rel, path, tt.columnTypes)
			if err != nil {
				t.Fatal(err)
			}
			if rows != tt.wantRows {
				t.Errorf("loaded %d rows, want %d", rows, tt.wantRows)
			}
			cols, err := a.Columns(ctx, rel)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cols, tt.wantCols) {
				t.Errorf("columns %v, want %v", cols, tt.wantCols)
			}
			if tt.wantFirst == nil {
				return
			}
			got, err := a.Query(ctx, "SELECT * FROM "+rel.String(), 1)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.wantFirst {
				if want != nil && !reflect.DeepEqual(got.Values[0][i], want) {
					t.Errorf("column %d = %#v, want %#v", i, got.Values[0][i], want)
				}
			}
		})
	}
}

func TestLoadSeedReplacesTable(t *testing.T) {
	a := openTemp(t, 1)
	ctx := context.Background()
	dir := t.TempDir()
	rel := adapter.Relation{Schema: "main", Name: "s"}
	for _, tt := range []struct {
		csv  string
		want int64
	}{{"id\n1\n2\n3\n", 3}, {"id,x\n9,a\n", 1}} {
		path := writeFile(t, dir, "s.csv", tt.csv)
		rows, err := a.LoadSeed(ctx, rel, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rows != tt.want {
			t.Errorf("loaded %d rows, want %d", rows, tt.want)
		}
	}
	if got := queryInts(t, a, "SELECT id FROM main.s"); !reflect.DeepEqual(got, []int64{9}) {
		t.Errorf("table holds %v after reload, want [9]", got)
	}
}

func TestLoadSeedPathWithQuote(t *testing.T) {
	a := openTemp(t, 1)
	path := writeFile(t, t.TempDir(), "it's.csv", "id\n1\n")
	rows, err := a.LoadSeed(context.Background(), adapter.Relation{Schema: "main", Name: "q"}, path, map[string]string{"id": "INTEGER"})
	if err != nil || rows != 1 {
		t.Fatalf("LoadSeed = %d, %v; want 1 row", rows, err)
	}
}

func TestLoadSeedMalformed(t *testing.T) {
	const late = 30000 // past DuckDB's 20480-row sniffing sample
	tests := []struct {
		name        string
		csv         string
		columnTypes map[string]string
		wantLine    int
		wantMsg     string
	}{
		{"too many fields", "id,name\n1,a\n2,b,extra\n3,c\n", nil, 3, "expected 2 fields, found 3"},
		{"too few fields", "id,name\n1,a\n2,b\n3\n", nil, 4, "expected 2 fields, found 1"},
		{"ragged last row of a short file", "id,name\n1,a\n2,b,c\n", nil, 3, "expected 2 fields, found 3"},
		{"unterminated quote", "id,name\n1,a\n2,\"b\n3,c\n", nil, 3, "value with unterminated quote found"},
		{"too many fields late", "id,name\n" + goodRows(late) + "1,a,b\n", nil, late + 2, "expected 2 fields, found 3"},
		{"too few fields late", "id,name\n" + goodRows(late) + "1\n", nil, late + 2, "expected 2 fields, found 1"},
		{"unterminated quote late", "id,name\n" + goodRows(late) + "1,\"a\n2,b\n", nil, late + 2, "value with unterminated quote found"},
		{
			"value not matching column_types", "id,name\n1,a\nx,b\n", map[string]string{"id": "INTEGER"},
			3, `column "id": could not convert string "x" to 'INTEGER'`,
		},
		{
			"column_types names a missing column", "id,name\n1,a\n", map[string]string{"nope": "INTEGER"},
			1, `column_types names columns missing from the header: "nope"`,
		},
		{
			"ragged row with column_types", "id,code\n1,007\n2,008\n3,009,extra\n", map[string]string{"code": "VARCHAR"},
			4, "expected 2 fields, found 3",
		},
		{"empty file", "", nil, 1, "empty file: a header row is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := openTemp(t, 1)
			ctx := context.Background()
			rel := adapter.Relation{Schema: "main", Name: "s"}
			mustExec(t, a, "CREATE TABLE s AS SELECT 42::BIGINT AS id")
			path := writeFile(t, t.TempDir(), "s.csv", tt.csv)
			_, err := a.LoadSeed(ctx, rel, path, tt.columnTypes)
			var seedErr *adapter.SeedError
			if !errors.As(err, &seedErr) {
				t.Fatalf("error %v (%T), want *adapter.SeedError", err, err)
			}
			want := &adapter.SeedError{Path: path, Line: tt.wantLine, Msg: tt.wantMsg}
			if *seedErr != *want {
				t.Errorf("error %q, want %q", seedErr, want)
			}
			if got := queryInts(t, a, "SELECT id FROM main.s"); !reflect.DeepEqual(got, []int64{42}) {
				t.Errorf("previous table replaced by a failed load: %v", got)
			}
		})
	}
}

func TestParseCSVError(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantOK   bool
		wantLine int
		wantMsg  string
	}{
		{"not a CSV error", "Binder Error: no such table", false, 0, ""},
		{
			"field count",
			"Invalid Input Error: CSV Error on Line: 12\nOriginal Line: 5,6,7\nExpected Number of Columns: 2 Found: 3\nPossible fixes:\n* x",
			true, 12, "expected 2 fields, found 3",
		},
		{
			"unterminated quote spanning lines",
			"Invalid Input Error: CSV Error on Line: 3\nOriginal Line: 3,\"x\n5,6\n\nValue with unterminated quote found.\n\nPossible fixes:",
			true, 3, "value with unterminated quote found",
		},
		{
			"conversion",
			"Conversion Error: CSV Error on Line: 4\nOriginal Line: x,6\nError when converting column \"a b\". Could not convert string \"x\" to 'INTEGER'\n\nColumn a",
			true, 4, `column "a b": could not convert string "x" to 'INTEGER'`,
		},
		{
			"unknown problem keeps DuckDB's first line",
			"Invalid Input Error: CSV Error on Line: 7\nOriginal Line: q\nSomething new",
			true, 7, "Invalid Input Error: CSV Error on Line: 7",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, msg, ok := parseCSVError(tt.text)
			if ok != tt.wantOK || line != tt.wantLine || msg != tt.wantMsg {
				t.Errorf("parseCSVError = %d, %q, %v; want %d, %q, %v", line, msg, ok, tt.wantLine, tt.wantMsg, tt.wantOK)
			}
		})
	}
}

// BenchmarkLoadSeed1M loads a 1,000,000-row CSV of six columns (int,
// varchar, timestamp, double, varchar, int).
func BenchmarkLoadSeed1M(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "big.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,name,created_at,score,country,quantity")
	for i := range 1_000_000 {
		fmt.Fprintf(w, "%d,user_%d,2024-%02d-%02d %02d:%02d:%02d,%d.%02d,c%d,%d\n",
			i, i, i%12+1, i%28+1, i%24, i%60, (i*7)%60, i%1000, i%100, i%50, i%97)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	a, err := Open(filepath.Join(dir, "bench.duckdb"), 1)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	rel := adapter.Relation{Schema: "main", Name: "big"}
	b.ResetTimer()
	for b.Loop() {
		rows, err := a.LoadSeed(context.Background(), rel, path, nil)
		if err != nil {
			b.Fatal(err)
		}
		if rows != 1_000_000 {
			b.Fatalf("loaded %d rows", rows)
		}
	}
}

func TestLoadSeedsConcurrentlyIntoNewSchema(t *testing.T) {
	const seeds = 8
	for round := range 5 {
		a := openTemp(t, 4)
		dir := t.TempDir()
		errs := make(chan error, seeds)
		for i := range seeds {
			path := writeFile(t, dir, fmt.Sprintf("s%d.csv", i), "id\n1\n2\n")
			go func() {
				_, err := a.LoadSeed(context.Background(), adapter.Relation{Schema: "raw", Name: fmt.Sprintf("s%d", i)}, path, nil)
				errs <- err
			}()
		}
		for range seeds {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
