package postgres

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

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
			name:     "detects types as DuckDB does",
			csv:      "id,amount,day,label,flag,at,at_tz,tod\n1,2.5,2024-01-02,x,true,2024-01-02 03:04:05,2024-01-02 03:04:05+02,10:11:12\n2,3,2024-02-03,y,F,2024-01-02T03:04:05.5,,23:00:00\n",
			wantRows: 2,
			wantCols: columns("id", "bigint", "amount", "double precision", "day", "date", "label", "text", "flag", "boolean",
				"at", "timestamp without time zone", "at_tz", "timestamp with time zone", "tod", "time without time zone"),
			wantFirst: []any{int64(1), 2.5, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "x", true,
				time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC), "10:11:12"},
		},
		{
			name:        "column_types are PostgreSQL types, matched case-insensitively",
			csv:         "id,Amount,code,note\n1,2.50,007,hello\n",
			columnTypes: map[string]string{"amount": "numeric(12,2)", "code": "varchar(5)", "note": "character varying"},
			wantRows:    1,
			wantCols:    columns("id", "bigint", "Amount", "numeric(12,2)", "code", "character varying(5)", "note", "character varying"),
			wantFirst:   []any{int64(1), "2.50", "007", "hello"},
		},
		{
			name:      "header names kept as-is, quoted fields",
			csv:       "Order ID,it's\n1,\"a, \"\"quoted\"\"\nb\"\n",
			wantRows:  1,
			wantCols:  columns("Order ID", "bigint", "it's", "text"),
			wantFirst: []any{int64(1), "a, \"quoted\"\nb"},
		},
		{
			name:      "empty and quoted-empty fields are NULL",
			csv:       "id,s,n\n1,,\n2,\"\",3\n",
			wantRows:  2,
			wantCols:  columns("id", "bigint", "s", "text", "n", "bigint"),
			wantFirst: []any{int64(1), nil, nil},
		},
		{
			name:     "a late value widens the detected type",
			csv:      "id,v\n" + goodRows(30000) + "x,late\n",
			wantRows: 30001,
			wantCols: columns("id", "text", "v", "text"),
		},
		{
			name:     "header only",
			csv:      "a,b\n",
			wantRows: 0,
			wantCols: columns("a", "text", "b", "text"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, schema := openTest(t, 1)
			ctx := context.Background()
			path := writeFile(t, t.TempDir(), "seed.csv", tt.csv)
			rel := adapter.Relation{Schema: schema, Name: "s"}
			rows, err := a.LoadSeed(ctx, rel, path, tt.columnTypes)
			if err != nil {
				t.Fatal(err)
			}
			if rows != tt.wantRows {
				t.Errorf("loaded %d rows, want %d", rows, tt.wantRows)
			}
			if got := queryStrings(t, a, "SELECT count(*) FROM "+rel.String()); !reflect.DeepEqual(got, []string{fmt.Sprint(tt.wantRows)}) {
				t.Errorf("table holds %v rows, want %d", got, tt.wantRows)
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
			got, err := a.Query(ctx, "SELECT * FROM "+rel.String()+" ORDER BY 1", 1)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.wantFirst {
				v := got.Values[0][i]
				if tm, ok := v.(time.Time); ok {
					v = tm.UTC()
				}
				if !reflect.DeepEqual(v, want) {
					t.Errorf("column %d = %#v, want %#v", i+1, v, want)
				}
			}
		})
	}
}

func TestLoadSeedCreatesSchema(t *testing.T) {
	a, schema := openTest(t, 1)
	rel := adapter.Relation{Schema: schema + "_new", Name: "s"}
	t.Cleanup(func() {
		a.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+adapter.QuoteIdent(rel.Schema)+" CASCADE")
	})
	path := writeFile(t, t.TempDir(), "s.csv", "id\n1\n")
	if rows, err := a.LoadSeed(context.Background(), rel, path, nil); err != nil || rows != 1 {
		t.Fatalf("LoadSeed = %d, %v; want 1 row", rows, err)
	}
}

func TestLoadSeedReplacesTable(t *testing.T) {
	a, schema := openTest(t, 1)
	ctx := context.Background()
	dir := t.TempDir()
	rel := adapter.Relation{Schema: schema, Name: "s"}
	view := adapter.Relation{Schema: schema, Name: "on_seed"}
	load := func(csv string, want int64) {
		t.Helper()
		rows, err := a.LoadSeed(ctx, rel, writeFile(t, dir, "s.csv", csv), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rows != want {
			t.Errorf("loaded %d rows, want %d", rows, want)
		}
	}
	load("id\n1\n2\n3\n", 3)
	mustExec(t, a, "CREATE VIEW "+view.String()+" AS SELECT id FROM "+rel.String())

	// Same columns: the table is refilled and the view on it survives.
	load("id\n7\n8\n", 2)
	if got := queryStrings(t, a, "SELECT id FROM "+view.String()+" ORDER BY id"); !reflect.DeepEqual(got, []string{"7", "8"}) {
		t.Errorf("view shows %v after a reload, want [7 8]", got)
	}

	// New columns: the table is replaced, dropping the view.
	load("id,x\n9,a\n", 1)
	if got := queryStrings(t, a, "SELECT id::text || x FROM "+rel.String()); !reflect.DeepEqual(got, []string{"9a"}) {
		t.Errorf("table holds %v after a reload, want [9a]", got)
	}
	rels, err := a.Relations(ctx, []string{schema})
	if err != nil {
		t.Fatal(err)
	}
	want := map[adapter.Relation]adapter.RelationKind{rel: adapter.KindTable}
	if !reflect.DeepEqual(rels, want) {
		t.Errorf("relations %v, want only the seed table", rels)
	}

	// A view standing under the seed's name is replaced.
	mustExec(t, a, "DROP TABLE "+rel.String())
	mustExec(t, a, "CREATE VIEW "+rel.String()+" AS SELECT 1 AS id")
	load("id\n5\n", 1)
	if got := queryStrings(t, a, "SELECT id FROM "+rel.String()); !reflect.DeepEqual(got, []string{"5"}) {
		t.Errorf("seed over a view holds %v, want [5]", got)
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
		{"unterminated quote", "id,name\n1,a\n2,\"b\n3,c\n", nil, 3, "value with unterminated quote found"},
		{"too few fields late", "id,name\n" + goodRows(late) + "1\n", nil, late + 2, "expected 2 fields, found 1"},
		{
			"column_types names a missing column", "id,name\n1,a\n", map[string]string{"nope": "integer"},
			1, `column_types names columns missing from the header: "nope"`,
		},
		{"empty file", "", nil, 1, "empty file: a header row is required"},
		{
			"value PostgreSQL rejects for column_types", "id,amount\n1,2.5\n2,abc\n", map[string]string{"amount": "numeric(12,2)"},
			3, `column "amount": invalid input syntax for type numeric: "abc"`,
		},
		{
			"value PostgreSQL rejects after a field spanning lines", "id,note,code\n1,\"two\nlines\",ab\n2,x,abcdef\n", map[string]string{"code": "varchar(3)"},
			4, `column "code": value too long for type character varying(3)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, schema := openTest(t, 1)
			ctx := context.Background()
			rel := adapter.Relation{Schema: schema, Name: "s"}
			mustExec(t, a, "CREATE TABLE "+rel.String()+" AS SELECT 42::bigint AS id")
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
			if got := queryStrings(t, a, "SELECT id FROM "+rel.String()); !reflect.DeepEqual(got, []string{"42"}) {
				t.Errorf("previous table replaced by a failed load: %v", got)
			}
			if rels, err := a.Relations(ctx, []string{schema}); err != nil || len(rels) != 1 {
				t.Errorf("relations after a failed load: %v, %v; want the previous table only", rels, err)
			}
		})
	}
}

func TestLoadSeedBadColumnType(t *testing.T) {
	a, schema := openTest(t, 1)
	path := writeFile(t, t.TempDir(), "s.csv", "id\n1\n")
	_, err := a.LoadSeed(context.Background(), adapter.Relation{Schema: schema, Name: "s"}, path, map[string]string{"id": "intgr"})
	if want := `ERROR: type "intgr" does not exist (SQLSTATE 42704)`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestLoadSeedsConcurrentlyIntoNewSchema(t *testing.T) {
	const seeds = 8
	a, schema := openTest(t, 4)
	for round := range 3 {
		target := fmt.Sprintf("%s_r%d", schema, round)
		t.Cleanup(func() { a.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+adapter.QuoteIdent(target)+" CASCADE") })
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make([]error, seeds)
		for i := range seeds {
			path := writeFile(t, dir, fmt.Sprintf("s%d.csv", i), "id\n1\n2\n")
			wg.Go(func() {
				_, errs[i] = a.LoadSeed(context.Background(), adapter.Relation{Schema: target, Name: fmt.Sprintf("s%d", i)}, path, nil)
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

func TestPostgresType(t *testing.T) {
	tests := map[string]string{
		"BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision", "DECIMAL(12,2)": "numeric(12,2)",
		"VARCHAR": "text", "DATE": "date", "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz",
		"BOOLEAN": "boolean", "TIME": "time", "BLOB": "text",
	}
	for duck, want := range tests {
		if got := postgresType(duck); got != want {
			t.Errorf("postgresType(%q) = %q, want %q", duck, got, want)
		}
	}
}

// BenchmarkLoadSeed1M loads a 1,000,000-row CSV of six columns (int,
// varchar, timestamp, double, varchar, int).
func BenchmarkLoadSeed1M(b *testing.B) {
	a, schema := openTest(b, 1)
	path := filepath.Join(b.TempDir(), "big.csv")
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
	rel := adapter.Relation{Schema: schema, Name: "big"}
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
