package postgres

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"martlet/runner/adapter"
	"martlet/runner/adapter/postgres/pgtest"
)

// openTest opens the test server with threads connections and returns the
// adapter with a fresh schema, both cleaned up when t ends.
func openTest(t testing.TB, threads int) (*Adapter, string) {
	t.Helper()
	a, err := Open(context.Background(), pgtest.DSN(t), threads)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, pgtest.Schema(t, a)
}

func mustExec(t testing.TB, a *Adapter, sql string) {
	t.Helper()
	if _, err := a.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// queryStrings returns the first column of sql's rows rendered with fmt.
func queryStrings(t testing.TB, a *Adapter, sql string) []string {
	t.Helper()
	rows, err := a.Query(context.Background(), sql, 0)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	out := []string{}
	for _, r := range rows.Values {
		out = append(out, fmt.Sprint(r[0]))
	}
	return out
}

func TestExecReportsRowsAffected(t *testing.T) {
	a, schema := openTest(t, 2)
	ctx := context.Background()
	s := adapter.QuoteIdent(schema)
	tests := []struct {
		sql  string
		want int64
	}{
		{"CREATE TABLE " + s + ".t (id bigint)", 0},
		{"INSERT INTO " + s + ".t SELECT generate_series(1, 5)", 5},
		{"CREATE TABLE " + s + ".u AS SELECT generate_series(1, 7) AS id", 7},
		{"DELETE FROM " + s + ".t WHERE id <= 2", 2},
		{"CREATE VIEW " + s + ".v AS SELECT * FROM " + s + ".t", 0},
		{"INSERT INTO " + s + ".t VALUES (10); UPDATE " + s + ".t SET id = id + 100 WHERE id > 3", 3},
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
}

func TestErrorsAreOneLineWithServerDetails(t *testing.T) {
	a, schema := openTest(t, 1)
	s := adapter.QuoteIdent(schema)
	mustExec(t, a, "CREATE TABLE "+s+".t (id int PRIMARY KEY)")
	mustExec(t, a, "INSERT INTO "+s+".t VALUES (1)")
	tests := []struct {
		name, sql, want, code string
	}{
		{"position", "SELECT 1\nFROM " + s + ".nope", `ERROR: relation "` + schema + `.nope" does not exist at line 2, column 6 (SQLSTATE 42P01)`, "42P01"},
		{"detail", "INSERT INTO " + s + ".t VALUES (1)", "; DETAIL: Key (id)=(1) already exists. (SQLSTATE 23505)", "23505"},
		{"hint", "SELECT no_such_function(1)", "; HINT: No function matches the given name and argument types. You might need to add explicit type casts. (SQLSTATE 42883)", "42883"},
		{"missing privilege", "SELECT * FROM pg_catalog.pg_authid", "ERROR: permission denied for table pg_authid (SQLSTATE 42501)", "42501"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, run := range []func() error{
				func() error { _, err := a.Exec(context.Background(), tt.sql); return err },
				func() error { _, err := a.ExecTx(context.Background(), []string{"SELECT 1", tt.sql}); return err },
				func() error { _, err := a.Query(context.Background(), tt.sql, 0); return err },
			} {
				err := run()
				if err == nil {
					t.Fatal("no error")
				}
				if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
					t.Errorf("error %q, want one line containing %q", msg, tt.want)
				}
				var pgErr *pgconn.PgError
				if !errors.As(err, &pgErr) || pgErr.Code != tt.code {
					t.Errorf("error %v does not unwrap to a PgError with code %s", err, tt.code)
				}
			}
		})
	}
}

func TestStatementTimeout(t *testing.T) {
	dsn := pgtest.DSN(t)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	a, err := Open(context.Background(), dsn+sep+"statement_timeout=100", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = a.Exec(context.Background(), "SELECT pg_sleep(5)")
	want := "ERROR: canceling statement due to statement timeout (SQLSTATE 57014)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestExecTx(t *testing.T) {
	tests := []struct {
		name     string
		stmts    []string
		wantRows int64
		wantErr  bool
		wantIDs  []string
	}{
		{
			name: "commits on one connection and reports the last non-zero count",
			stmts: []string{
				"CREATE TEMP TABLE x AS SELECT 10 AS id UNION ALL SELECT 11",
				"INSERT INTO $S.t SELECT id FROM x",
				"DELETE FROM $S.t WHERE id = 0",
				"DROP TABLE x",
			},
			wantRows: 1,
			wantIDs:  []string{"1", "10", "11"},
		},
		{
			name:    "rolls back everything on error",
			stmts:   []string{"INSERT INTO $S.t VALUES (10)", "DROP TABLE $S.t", "SELECT 1/0"},
			wantErr: true,
			wantIDs: []string{"0", "1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, schema := openTest(t, 2)
			qualify := strings.NewReplacer("$S", adapter.QuoteIdent(schema)).Replace
			mustExec(t, a, qualify("CREATE TABLE $S.t AS SELECT generate_series(0, 1) AS id"))
			stmts := make([]string, len(tt.stmts))
			for i, s := range tt.stmts {
				stmts[i] = qualify(s)
			}
			rows, err := a.ExecTx(context.Background(), stmts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if rows != tt.wantRows {
				t.Errorf("rows affected %d, want %d", rows, tt.wantRows)
			}
			if got := queryStrings(t, a, qualify("SELECT id FROM $S.t ORDER BY id")); !reflect.DeepEqual(got, tt.wantIDs) {
				t.Errorf("ids %v, want %v", got, tt.wantIDs)
			}
		})
	}
}

func TestQueryLimit(t *testing.T) {
	a, _ := openTest(t, 1)
	const sql = "SELECT n, 'x' || n AS s FROM generate_series(1::bigint, 5) AS n"
	for _, tt := range []struct{ limit, want int }{{0, 5}, {-1, 5}, {2, 2}, {5, 5}, {9, 5}} {
		rows, err := a.Query(context.Background(), sql, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows.Values) != tt.want {
			t.Errorf("limit %d: %d rows, want %d", tt.limit, len(rows.Values), tt.want)
		}
		wantCols := []adapter.Column{{Name: "n", Type: "bigint"}, {Name: "s", Type: "text"}}
		if !reflect.DeepEqual(rows.Columns, wantCols) {
			t.Errorf("columns %v, want %v", rows.Columns, wantCols)
		}
		if len(rows.Values) > 1 && !reflect.DeepEqual(rows.Values[1], []any{int64(2), "x2"}) {
			t.Errorf("row 1 is %#v", rows.Values[1])
		}
	}
}

func TestQueryLimitStopsTheQuery(t *testing.T) {
	a, _ := openTest(t, 1)
	start := time.Now()
	// Streams a billion rows; reading them all would take minutes.
	rows, err := a.Query(context.Background(), "SELECT generate_series(1, 1000000000) AS n", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows.Values) != 3 {
		t.Errorf("%d rows, want 3", len(rows.Values))
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("a limited query took %v", elapsed)
	}
	if got := queryStrings(t, a, "SELECT 42"); !reflect.DeepEqual(got, []string{"42"}) {
		t.Errorf("adapter unusable after a limited query: %v", got)
	}
}

func TestQueryValuesArePlainGo(t *testing.T) {
	a, _ := openTest(t, 1)
	rows, err := a.Query(context.Background(), `SELECT
  1::smallint, 2::int, 3::bigint, 1.5::real, 2.5::float8, 12.50::numeric(12,2),
  'a'::text, 'b'::varchar(5), true, NULL::int,
  '2024-01-02'::date, '2024-01-02 03:04:05'::timestamp,
  '10:11:12.5'::time, '1 day 02:00:00'::interval,
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid,
  '{"k": [1, "x"]}'::jsonb, ARRAY[1, 2]::int[], '\x0102'::bytea, '1.5'::numeric`, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{
		int16(1), int32(2), int64(3), float32(1.5), 2.5, "12.50",
		"a", "b", true, nil,
		time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		"10:11:12.5", "1 day 02:00:00",
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		map[string]any{"k": []any{float64(1), "x"}}, []any{int32(1), int32(2)}, []byte{1, 2}, "1.5",
	}
	if len(rows.Values) != 1 || len(rows.Values[0]) != len(want) {
		t.Fatalf("got %v", rows.Values)
	}
	for i, w := range want {
		if got := rows.Values[0][i]; !reflect.DeepEqual(got, w) {
			t.Errorf("column %d (%s) = %#v (%T), want %#v (%T)", i+1, rows.Columns[i].Type, got, got, w, w)
		}
	}
	wantTypes := []string{
		"smallint", "integer", "bigint", "real", "double precision", "numeric(12,2)",
		"text", "character varying(5)", "boolean", "integer",
		"date", "timestamp without time zone", "time without time zone", "interval",
		"uuid", "jsonb", "integer[]", "bytea", "numeric",
	}
	for i, w := range wantTypes {
		if rows.Columns[i].Type != w {
			t.Errorf("column %d type %q, want %q", i+1, rows.Columns[i].Type, w)
		}
	}
}

func TestRelationsAndColumns(t *testing.T) {
	a, schema := openTest(t, 1)
	other := pgtest.Schema(t, a)
	weird := `we"ird ` + schema
	s, w := adapter.QuoteIdent(schema), adapter.QuoteIdent(weird)
	t.Cleanup(func() { a.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+w+" CASCADE") })
	for _, sql := range []string{
		"CREATE SCHEMA " + w,
		"CREATE TABLE " + s + `.t (id integer, "Name" varchar(20), amount numeric(12,2), at timestamptz)`,
		"CREATE TABLE " + s + ".parted (id int) PARTITION BY RANGE (id)",
		"CREATE TABLE " + s + ".part1 PARTITION OF " + s + ".parted FOR VALUES FROM (0) TO (10)",
		"CREATE VIEW " + w + ".v AS SELECT 1 AS one",
		"CREATE MATERIALIZED VIEW " + s + ".mv AS SELECT 1 AS one",
		"CREATE SEQUENCE " + s + ".seq",
		"CREATE INDEX ON " + s + ".t (id)",
		"CREATE TABLE " + adapter.QuoteIdent(other) + ".hidden (x int)",
		"ALTER TABLE " + s + ".t ADD COLUMN gone int",
		"ALTER TABLE " + s + ".t DROP COLUMN gone",
	} {
		mustExec(t, a, sql)
	}
	ctx := context.Background()
	got, err := a.Relations(ctx, []string{schema, weird})
	if err != nil {
		t.Fatal(err)
	}
	want := map[adapter.Relation]adapter.RelationKind{
		{Schema: schema, Name: "t"}:      adapter.KindTable,
		{Schema: schema, Name: "parted"}: adapter.KindTable,
		{Schema: schema, Name: "part1"}:  adapter.KindTable,
		{Schema: schema, Name: "mv"}:     adapter.KindView,
		{Schema: weird, Name: "v"}:       adapter.KindView,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Relations = %v, want %v", got, want)
	}
	if got, err := a.Relations(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Relations(nil) = %v, %v; want empty", got, err)
	}
	cols, err := a.Columns(ctx, adapter.Relation{Schema: schema, Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []adapter.Column{
		{Name: "id", Type: "integer"}, {Name: "Name", Type: "character varying(20)"},
		{Name: "amount", Type: "numeric(12,2)"}, {Name: "at", Type: "timestamp with time zone"},
	}
	if !reflect.DeepEqual(cols, wantCols) {
		t.Errorf("Columns = %v, want %v", cols, wantCols)
	}
	if cols, err := a.Columns(ctx, adapter.Relation{Schema: schema, Name: "nope"}); err != nil || len(cols) != 0 {
		t.Errorf("Columns of a missing relation = %v, %v; want none", cols, err)
	}
}

func TestCancelStopsTheStatementOnTheServer(t *testing.T) {
	a, _ := openTest(t, 1)
	const sleep = "SELECT pg_sleep(10) /* martlet cancel test */"
	tests := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"Exec", func(ctx context.Context) error { _, err := a.Exec(ctx, sleep); return err }},
		{"ExecTx", func(ctx context.Context) error { _, err := a.ExecTx(ctx, []string{"SELECT 1", sleep}); return err }},
		{"Query", func(ctx context.Context) error { _, err := a.Query(ctx, sleep, 0); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := tt.run(ctx)
			elapsed := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v, want one wrapping context.DeadlineExceeded", err)
			}
			if elapsed > 2500*time.Millisecond {
				t.Errorf("cancellation took %v", elapsed)
			}
			running := queryStrings(t, a, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%martlet cancel test%' AND pid <> pg_backend_pid()")
			if !reflect.DeepEqual(running, []string{"0"}) {
				t.Errorf("%v sleeps still running on the server", running)
			}
		})
	}
}

func TestThreadsBoundConnections(t *testing.T) {
	const threads, queries = 3, 9
	a, _ := openTest(t, threads)
	type span struct{ start, end time.Time }
	var mu sync.Mutex
	pids := map[any]bool{}
	var spans []span
	var wg sync.WaitGroup
	for range queries {
		wg.Go(func() {
			rows, err := a.Query(context.Background(), "SELECT pg_backend_pid(), clock_timestamp(), pg_sleep(0.2), clock_timestamp()", 0)
			if err != nil {
				t.Error(err)
				return
			}
			r := rows.Values[0]
			mu.Lock()
			defer mu.Unlock()
			pids[r[0]] = true
			spans = append(spans, span{r[1].(time.Time), r[3].(time.Time)})
		})
	}
	wg.Wait()
	if len(pids) != threads {
		t.Errorf("queries ran on %d connections, want %d", len(pids), threads)
	}
	// The most queries running at once on the server, counted at each start.
	most := 0
	for _, s := range spans {
		n := 0
		for _, o := range spans {
			if !o.start.After(s.start) && o.end.After(s.start) {
				n++
			}
		}
		most = max(most, n)
	}
	if most != threads {
		t.Errorf("at most %d queries ran at once, want %d", most, threads)
	}
}
