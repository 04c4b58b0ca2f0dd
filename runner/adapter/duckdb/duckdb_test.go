package duckdb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"martlet/runner/adapter"
)

// holdEnv, when set in the environment of the test binary, makes it hold the
// database file named by its value open until stdin closes (see TestMain).
const holdEnv = "MARTLET_DUCKDB_TEST_HOLD"

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		os.Exit(holdDatabase(path))
	}
	os.Exit(m.Run())
}

// holdDatabase opens path, reports "ready" on stdout and keeps the file open
// until stdin reaches EOF.
func holdDatabase(path string) int {
	a, err := Open(path, 1)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer a.Close()
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	return 0
}

func openTemp(t *testing.T, threads int) *Adapter {
	t.Helper()
	a, err := Open(filepath.Join(t.TempDir(), "test.duckdb"), threads)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func mustExec(t *testing.T, a *Adapter, sql string) {
	t.Helper()
	if _, err := a.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func queryInts(t *testing.T, a *Adapter, sql string) []int64 {
	t.Helper()
	rows, err := a.Query(context.Background(), sql, 0)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	var out []int64
	for _, r := range rows.Values {
		switch v := r[0].(type) {
		case int64:
			out = append(out, v)
		case int32:
			out = append(out, int64(v))
		default:
			t.Fatalf("%s: value %v is a %T, not an integer", sql, v, v)
		}
	}
	return out
}

func TestExecReportsRowsAffected(t *testing.T) {
	a := openTemp(t, 2)
	ctx := context.Background()
	tests := []struct {
		sql  string
		want int64
	}{
		{"CREATE TABLE t (id BIGINT)", 0},
		{"INSERT INTO t SELECT range FROM range(5)", 5},
		{"CREATE OR REPLACE TABLE u AS SELECT range AS id FROM range(7)", 0}, // DuckDB reports no count for CREATE TABLE AS
		{"DELETE FROM t WHERE id < 2", 2},
		{"CREATE VIEW v AS SELECT * FROM t", 0},
	}
	for _, tt := range tests {
		got, err := a.Exec(ctx, tt.sql)
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		if got != tt.want {
			t.Errorf("%s: rows affected %d, want %d", tt.sql, got, tt.want)
		}
	}
	if _, err := a.Exec(ctx, "SELECT * FROM missing_table"); err == nil || !strings.Contains(err.Error(), "missing_table") {
		t.Errorf("error %v does not carry DuckDB's message", err)
	}
}

func TestExecTx(t *testing.T) {
	tests := []struct {
		name     string
		stmts    []string
		wantRows int64
		wantErr  bool
		wantIDs  []int64
	}{
		{
			name:     "commits and reports the last non-zero count",
			stmts:    []string{"INSERT INTO t VALUES (10), (11)", "DELETE FROM t WHERE id = 0", "CREATE TEMP TABLE x AS SELECT 1", "DROP TABLE x"},
			wantRows: 1,
			wantIDs:  []int64{1, 10, 11},
		},
		{
			name:    "rolls back everything on error",
			stmts:   []string{"INSERT INTO t VALUES (10)", "DROP TABLE t", "SELECT error('boom')"},
			wantErr: true,
			wantIDs: []int64{0, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := openTemp(t, 1)
			mustExec(t, a, "CREATE TABLE t AS SELECT range AS id FROM range(2)")
			rows, err := a.ExecTx(context.Background(), tt.stmts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if rows != tt.wantRows {
				t.Errorf("rows affected %d, want %d", rows, tt.wantRows)
			}
			if got := queryInts(t, a, "SELECT id FROM t ORDER BY id"); !reflect.DeepEqual(got, tt.wantIDs) {
				t.Errorf("ids %v, want %v", got, tt.wantIDs)
			}
		})
	}
}

func TestQueryLimit(t *testing.T) {
	a := openTemp(t, 1)
	tests := []struct {
		limit, want int
	}{{0, 5}, {-1, 5}, {2, 2}, {5, 5}, {9, 5}}
	for _, tt := range tests {
		rows, err := a.Query(context.Background(), "SELECT range AS n, 'x' || range AS s FROM range(5)", tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows.Values) != tt.want {
			t.Errorf("limit %d: %d rows, want %d", tt.limit, len(rows.Values), tt.want)
		}
		wantCols := []adapter.Column{{Name: "n", Type: "BIGINT"}, {Name: "s", Type: "VARCHAR"}}
		if !reflect.DeepEqual(rows.Columns, wantCols) {
			t.Errorf("columns %v, want %v", rows.Columns, wantCols)
		}
		if len(rows.Values) > 1 && !reflect.DeepEqual(rows.Values[1], []any{int64(1), "x1"}) {
			t.Errorf("row 1 is %v", rows.Values[1])
		}
	}
}

func TestRelationsAndColumns(t *testing.T) {
	a := openTemp(t, 1)
	for _, sql := range []string{
		`CREATE SCHEMA "we""ird"`,
		`CREATE SCHEMA other`,
		`CREATE TABLE main.t (id INTEGER, "Name" VARCHAR)`,
		`CREATE VIEW "we""ird"."v" AS SELECT 1 AS one`,
		`CREATE TABLE other.hidden (x INTEGER)`,
		`CREATE TEMP TABLE tmp (x INTEGER)`,
	} {
		mustExec(t, a, sql)
	}
	ctx := context.Background()
	got, err := a.Relations(ctx, []string{"main", `we"ird`})
	if err != nil {
		t.Fatal(err)
	}
	want := map[adapter.Relation]adapter.RelationKind{
		{Schema: "main", Name: "t"}:   adapter.KindTable,
		{Schema: `we"ird`, Name: "v"}: adapter.KindView,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Relations = %v, want %v", got, want)
	}
	if got, err := a.Relations(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Relations(nil) = %v, %v; want empty", got, err)
	}

	cols, err := a.Columns(ctx, adapter.Relation{Schema: "main", Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []adapter.Column{{Name: "id", Type: "INTEGER"}, {Name: "Name", Type: "VARCHAR"}}
	if !reflect.DeepEqual(cols, wantCols) {
		t.Errorf("Columns = %v, want %v", cols, wantCols)
	}
	if cols, err := a.Columns(ctx, adapter.Relation{Schema: "main", Name: "nope"}); err != nil || len(cols) != 0 {
		t.Errorf("Columns of a missing relation = %v, %v; want none", cols, err)
	}
}

func TestCancelInterruptsQuery(t *testing.T) {
	a := openTemp(t, 1)
	tests := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"Query", func(ctx context.Context) error {
			_, err := a.Query(ctx, "SELECT count(*) FROM range(10000000000) a", 0)
			return err
		}},
		{"Exec", func(ctx context.Context) error {
			_, err := a.Exec(ctx, "CREATE TABLE big AS SELECT count(*) FROM range(10000000000) a")
			return err
		}},
		{"ExecTx", func(ctx context.Context) error {
			_, err := a.ExecTx(ctx, []string{"CREATE TABLE big AS SELECT count(*) FROM range(10000000000) a"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := tt.run(ctx)
			elapsed := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v, want one wrapping context.DeadlineExceeded", err)
			}
			if elapsed > 3*time.Second {
				t.Errorf("cancellation took %v", elapsed)
			}
		})
	}
	if got := queryInts(t, a, "SELECT 42::BIGINT"); !reflect.DeepEqual(got, []int64{42}) {
		t.Errorf("adapter unusable after cancellation: %v", got)
	}
}

func TestOpenSharesOneDatabasePerFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nested", "dir", "shared.duckdb")
	first, err := Open(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	second, err := Open(filepath.Join("nested", "dir", "shared.duckdb"), 4)
	if err != nil {
		t.Fatal(err)
	}
	if first.db != second.db {
		t.Error("two Opens of one file got different pools")
	}
	mustExec(t, first, "CREATE TABLE t AS SELECT 1 AS id")
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if got := queryInts(t, second, "SELECT id FROM t"); !reflect.DeepEqual(got, []int64{1}) {
		t.Errorf("second adapter sees %v after the first closed", got)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(registry.byPath); n != 0 {
		t.Errorf("registry holds %d databases after the last Close", n)
	}
	third, err := Open(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if got := queryInts(t, third, "SELECT id FROM t"); !reflect.DeepEqual(got, []int64{1}) {
		t.Errorf("reopened database has %v", got)
	}
}

func TestOpenInMemoryIsPrivate(t *testing.T) {
	for _, path := range []string{"", ":memory:"} {
		a, err := Open(path, 2)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Open(path, 2)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, a, "CREATE TABLE t AS SELECT 1 AS id")
		if _, err := b.Exec(context.Background(), "SELECT * FROM t"); err == nil {
			t.Errorf("%q: second in-memory database sees the first's table", path)
		}
		a.Close()
		b.Close()
	}
}

func TestOpenFailsWhenAnotherProcessHoldsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.duckdb")
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		child.Wait()
	}()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("child said %q, %v", line, err)
	}

	a, err := Open(path, 1)
	if err == nil {
		a.Close()
		t.Fatal("Open succeeded on a file held by another process")
	}
	want := fmt.Sprintf("database file %s is in use by another process (PID %d)", path, child.Process.Pid)
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// TestQueryDecimals checks that exact decimals come back as their text
// with every digit of their scale, as PostgreSQL's numeric values do.
func TestQueryDecimals(t *testing.T) {
	a := openTemp(t, 1)
	rows, err := a.Query(context.Background(), "SELECT 2.50::DECIMAL(6,2), -0.05::DECIMAL(4,3), 0::DECIMAL(5,2), 12::DECIMAL(4,0), 123456789012345678.9::DECIMAL(38,1)", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"2.50", "-0.050", "0.00", "12", "123456789012345678.9"}
	if !reflect.DeepEqual(rows.Values[0], want) {
		t.Errorf("values = %#v, want %#v", rows.Values[0], want)
	}
}
