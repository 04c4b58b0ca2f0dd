package runner

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"martlet/compiler/manifest"
	"martlet/compiler/project"
	"martlet/runner/adapter"
)

func execute(t *testing.T, f *fakeAdapter, m *manifest.Manifest, ids []string, mode Mode, threads int) *Results {
	t.Helper()
	res, err := Execute(context.Background(), Options{Mode: mode, Manifest: m, Selected: ids, Adapter: f, Threads: threads, ProjectRoot: "/proj"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestBuildRunsSeedsThenModelsInOrderAndSkipsDependantsOfFailures(t *testing.T) {
	m, ids := build(
		seed("users"),
		model("stg_users", "view", "select * from users_src", "users"),
		model("broken", "table", "select BROKEN", "stg_users"),
		model("after_broken", "table", "select * from after_broken_src", "broken"),
		model("fine", "table", "select * from fine_src", "stg_users"),
		test("t_fine", "", "select * from fine_check", "fine"),
	)
	f := newFake()
	f.failOn["BROKEN"] = "Binder Error: column BROKEN not found"
	res := execute(t, f, m, ids, ModeBuild, 1)

	want := map[string]Status{
		"users": StatusSuccess, "stg_users": StatusSuccess, "broken": StatusError,
		"after_broken": StatusSkipped, "fine": StatusSuccess, "t_fine": StatusPass,
	}
	if got := statuses(res); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	if !res.Failed() {
		t.Error("Failed() = false after a model error")
	}
	seedAt, viewAt, fineAt := f.index(`LOAD SEED "main"."users"`), f.index("users_src"), f.index("fine_src")
	if seedAt < 0 || viewAt < seedAt || fineAt < viewAt {
		t.Errorf("statement order wrong (seed %d, view %d, fine %d):\n%s", seedAt, viewAt, fineAt, strings.Join(f.sql(), "\n"))
	}
	if f.index("after_broken_src") >= 0 {
		t.Error("a dependant of a failed model ran")
	}
	if f.seeds[0] != "/proj/seeds/users.csv" {
		t.Errorf("seed loaded from %q, want the project root joined with its path", f.seeds[0])
	}
	if f.catalogs != 1 {
		t.Errorf("Relations called %d times, want 1", f.catalogs)
	}
	var broken Result
	for _, r := range res.Results {
		if r.Name == "broken" {
			broken = r
		}
		if r.Name == "after_broken" && r.Message != "skipped because upstream model broken failed" {
			t.Errorf("skip message = %q", r.Message)
		}
	}
	if !strings.Contains(broken.Message, "column BROKEN not found") || broken.Started.IsZero() {
		t.Errorf("broken result = %+v, want the database error and a start time", broken)
	}
	c := res.Counts()
	if c != (Counts{Pass: 4, Error: 1, Skip: 1, Total: 6}) {
		t.Errorf("counts = %+v", c)
	}
}

func TestModeKeepsOnlyItsKindsAndOrdersThroughEphemeralModels(t *testing.T) {
	m, ids := build(
		seed("raw"),
		model("base", "table", "select * from base_src", "raw"),
		model("eph", "ephemeral", "select * from base", "base"),
		model("top", "table", "select * from top_src", "eph"),
		test("t_top", "", "select * from top_check", "top"),
	)
	f := newFake()
	f.failOn["base_src"] = "boom"
	res := execute(t, f, m, ids, ModeRun, 4)
	want := map[string]Status{"base": StatusError, "top": StatusSkipped}
	if got := statuses(res); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v, want %v (seeds, tests and ephemeral models are not run by `run`)", got, want)
	}
	if f.index("LOAD SEED") >= 0 || f.index("top_check") >= 0 {
		t.Errorf("run executed a seed or a test:\n%s", strings.Join(f.sql(), "\n"))
	}

	f = newFake()
	res = execute(t, f, m, ids, ModeTest, 1)
	if got := statuses(res); !reflect.DeepEqual(got, map[string]Status{"t_top": StatusPass}) {
		t.Errorf("test mode statuses = %v", got)
	}
	if f.catalogs != 0 {
		t.Errorf("test mode read the catalog %d times, want 0 (tests build no relation)", f.catalogs)
	}
}

func TestWarnTestDoesNotSkipDependantsOrFailTheRun(t *testing.T) {
	m, ids := build(
		model("a", "table", "select 1 as id"),
		test("warns", "warn", "select * from warn_rows", "a"),
		model("b", "table", "select * from b_src", "a"),
	)
	f := newFake()
	f.counts["warn_rows"] = 2
	res := execute(t, f, m, ids, ModeBuild, 1)
	if got := statuses(res); got["warns"] != StatusWarn || got["b"] != StatusSuccess {
		t.Errorf("statuses = %v", got)
	}
	if res.Failed() {
		t.Error("a warning failed the run")
	}
	for _, r := range res.Results {
		if r.Name == "warns" && (r.Rows != 2 || r.Message != "Got 2 results, configured to warn if != 0") {
			t.Errorf("warn result = %+v", r)
		}
	}
}

func TestFailingTestFailsTheRunAndSkipsDependants(t *testing.T) {
	m, ids := build(
		model("a", "table", "select 1 as id"),
		test("unique_a_id", "", "select id from a group by id having count(*) > 1;\n-- trailing comment", "a"),
		model("b", "table", "select * from b_src", "unique_a_id"),
	)
	f := newFake()
	f.counts["having count"] = 3
	res := execute(t, f, m, ids, ModeBuild, 1)
	if got := statuses(res); got["unique_a_id"] != StatusFail || got["b"] != StatusSkipped {
		t.Errorf("statuses = %v", got)
	}
	if !res.Failed() {
		t.Error("Failed() = false after a failing test")
	}
	q := f.sql()[f.index("having count")]
	if q != "SELECT count(*) FROM (\nselect id from a group by id having count(*) > 1\n) AS martlet_test" {
		t.Errorf("test query = %q", q)
	}
}

func TestTrimStatement(t *testing.T) {
	for in, want := range map[string]string{
		"select 1":                           "select 1",
		"select 1;\n":                        "select 1",
		"select 1 -- keep\n":                 "select 1 -- keep",
		"select 1;\n-- a\n  -- b\n;\n":       "select 1",
		"-- only a comment":                  "",
		"select ';' as x;;":                  "select ';' as x",
		"select 1\n-- first\nfrom t -- last": "select 1\n-- first\nfrom t -- last",
	} {
		if got := trimStatement(in); got != want {
			t.Errorf("trimStatement(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestThreadsRunIndependentModelsConcurrently(t *testing.T) {
	m, ids := build(
		model("m1", "view", "select 1"),
		model("m2", "view", "select 2"),
		model("m3", "view", "select 3"),
		model("m4", "view", "select 4"),
	)
	f := newFake()
	f.relations[adapter.Relation{Schema: "main", Name: "other"}] = adapter.KindTable
	f.hold = 4
	execute(t, f, m, ids, ModeRun, 4)
	if f.peak != 4 {
		t.Errorf("at most %d statements ran at once, want 4", f.peak)
	}

	f = newFake()
	f.relations[adapter.Relation{Schema: "main", Name: "other"}] = adapter.KindTable
	execute(t, f, m, ids, ModeRun, 1)
	if f.peak != 1 {
		t.Errorf("with one thread, %d statements ran at once", f.peak)
	}
}

func TestFailFastSkipsEverythingNotStarted(t *testing.T) {
	m, ids := build(
		model("a", "table", "select * from a_src"),
		model("b", "table", "select * from b_src"),
	)
	f := newFake()
	f.failOn["a_src"] = "boom"
	res, err := Execute(context.Background(), Options{Mode: ModeRun, Manifest: m, Selected: ids, Adapter: f, Threads: 1, FailFast: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(res); got["a"] != StatusError || got["b"] != StatusSkipped {
		t.Errorf("statuses = %v", got)
	}
	if msg := res.Results[1].Message; msg != "skipped by --fail-fast after a failure" {
		t.Errorf("skip message = %q", msg)
	}
}

func TestSchemaIsCreatedOncePerRun(t *testing.T) {
	m, ids := build(
		model("m1", "view", "select 1"),
		model("m2", "table", "select 2"),
		model("m3", "incremental", "select 3"),
	)
	f := newFake()
	execute(t, f, m, ids, ModeRun, 3)
	n := 0
	for _, s := range f.sql() {
		if strings.HasPrefix(s, "CREATE SCHEMA") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d CREATE SCHEMA statements, want 1:\n%s", n, strings.Join(f.sql(), "\n"))
	}
	f = newFake()
	f.relations[adapter.Relation{Schema: "main", Name: "m1"}] = adapter.KindView
	execute(t, f, m, ids, ModeRun, 3)
	if f.index("CREATE SCHEMA") >= 0 {
		t.Error("CREATE SCHEMA ran for a schema the catalog showed to exist")
	}
}

func TestSchemasAreCreatedBeforeOnRunStartHooks(t *testing.T) {
	// As in dbt: an on-run-start hook may create a relation in the target
	// schema, which on a fresh PostgreSQL target does not exist yet.
	m, ids := build(seed("users"), model("m1", "table", "select 1"))
	m.OnRunStart = []string{"RUN START"}
	f := newFake()
	execute(t, f, m, ids, ModeBuild, 1)
	if i := f.index("CREATE SCHEMA"); i < 0 || i > f.index("RUN START") {
		t.Errorf("the schema is not created before the on-run-start hook:\n%s", strings.Join(f.sql(), "\n"))
	}

	f = newFake()
	f.failOn["CREATE SCHEMA"] = "permission denied for database shop"
	res, err := Execute(context.Background(), Options{Mode: ModeBuild, Manifest: m, Selected: ids, Adapter: f, Threads: 1})
	if err == nil || !strings.Contains(err.Error(), "creating schema main: permission denied") || res != nil {
		t.Errorf("a schema that cannot be created: results %v, error %v; want no results and the error", res, err)
	}
	if f.index("RUN START") >= 0 {
		t.Errorf("the on-run-start hook ran without its schema:\n%s", strings.Join(f.sql(), "\n"))
	}
}

func TestHooks(t *testing.T) {
	m, ids := build(
		model("a", "table", "select * from a_src"),
		model("b", "table", "select * from b_src", "a"),
	)
	m.Node(ids[0]).PreHook = []string{"PRE A"}
	m.Node(ids[0]).PostHook = []string{"POST A"}
	m.Node(ids[1]).PostHook = []string{"POST B"}
	m.OnRunStart = []string{"RUN START"}
	m.OnRunEnd = []string{"RUN END"}

	f := newFake()
	f.failOn["POST B"] = "post hook broke"
	res := execute(t, f, m, ids, ModeRun, 1)
	order := []string{"RUN START", "PRE A", "a_src", "POST A", "b_src", "POST B", "RUN END"}
	for i := 1; i < len(order); i++ {
		if f.index(order[i-1]) >= f.index(order[i]) || f.index(order[i-1]) < 0 {
			t.Fatalf("%q does not run before %q:\n%s", order[i-1], order[i], strings.Join(f.sql(), "\n"))
		}
	}
	got := statuses(res)
	if got["b"] != StatusError || got["on-run-start.0"] != StatusSuccess || got["on-run-end.0"] != StatusSuccess {
		t.Errorf("statuses = %v; a failing post-hook must fail its node and on-run-end must still run", got)
	}
	if first, last := res.Results[0], res.Results[len(res.Results)-1]; first.NodeID != "operation.shop.on-run-start.0" || last.Kind != KindOperation {
		t.Errorf("hook results are not first and last: %+v ... %+v", first, last)
	}

	f = newFake()
	f.failOn["RUN START"] = "no permission"
	res = execute(t, f, m, ids, ModeRun, 1)
	got = statuses(res)
	if got["on-run-start.0"] != StatusError || got["a"] != StatusSkipped || got["b"] != StatusSkipped || !res.Failed() {
		t.Errorf("statuses after a failing on-run-start = %v", got)
	}
	if f.index("a_src") >= 0 || f.index("RUN END") >= 0 {
		t.Errorf("nodes or on-run-end ran after on-run-start failed:\n%s", strings.Join(f.sql(), "\n"))
	}
}

func TestSeedErrorNamesTheProjectFileAndLine(t *testing.T) {
	m, ids := build(seed("users"))
	f := newFake()
	f.failOn["LOAD SEED"] = "expected 3 fields, found 2"
	res := execute(t, f, m, ids, ModeSeed, 1)
	if msg := res.Results[0].Message; msg != "seeds/users.csv:3: expected 3 fields, found 2" {
		t.Errorf("message = %q", msg)
	}
}

func TestFullRefreshConfigOverridesTheFlag(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		config *bool
		flag   bool
		want   bool
	}{
		{nil, false, false}, {nil, true, true},
		{&no, true, false}, {&yes, false, true},
	} {
		r := &run{opts: Options{FullRefresh: tc.flag}}
		n := &manifest.Node{}
		n.Config.FullRefresh = tc.config
		if got := r.fullRefresh(n); got != tc.want {
			t.Errorf("config %v, flag %v: full refresh = %v, want %v", tc.config, tc.flag, got, tc.want)
		}
	}
}

func TestCancelSkipsNodesNotStarted(t *testing.T) {
	m, ids := build(
		model("slow", "table", "select * from slow_src"),
		model("next", "table", "select * from next_src", "slow"),
		model("other", "table", "select * from other_src"),
	)
	m.OnRunEnd = []string{"RUN END"}
	f := newFake()
	f.relations[adapter.Relation{Schema: "main", Name: "x"}] = adapter.KindTable
	f.block = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for range 5000 {
			f.mu.Lock()
			started := f.running > 0
			f.mu.Unlock()
			if started {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	res, err := Execute(ctx, Options{Mode: ModeRun, Manifest: m, Selected: ids, Adapter: f, Threads: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	got := statuses(res)
	if got["slow"] != StatusError || got["next"] != StatusSkipped || got["other"] != StatusSkipped {
		t.Errorf("statuses = %v", got)
	}
	if f.index("RUN END") >= 0 {
		t.Error("on-run-end ran after cancellation")
	}
}

func TestExecuteRejectsUnknownNodesAndReportsNothingToDo(t *testing.T) {
	m, _ := build(model("a", "table", "select 1"))
	f := newFake()
	if _, err := Execute(context.Background(), Options{Manifest: m, Selected: []string{"model.shop.nope"}, Adapter: f}); err == nil {
		t.Error("no error for a selected node missing from the manifest")
	}
	var out strings.Builder
	res, err := Execute(context.Background(), Options{Mode: ModeSeed, Manifest: m, Selected: []string{"model.shop.a"}, Adapter: f, Out: &out})
	if err != nil || len(res.Results) != 0 || !strings.Contains(out.String(), "Nothing to do") {
		t.Errorf("seed mode with only a model selected: %v, %v, %q", res, err, out.String())
	}
}

// TestTestThresholds judges test results as dbt does: fail when the
// severity is error and error_if holds, else warn when warn_if holds,
// else pass; fail_calc and limit shape the query.
func TestTestThresholds(t *testing.T) {
	warnIf, errorIf := project.Threshold{Op: ">", N: 10}, project.Threshold{Op: ">", N: 100}
	for _, tt := range []struct {
		failures int64
		severity string
		want     Status
		message  string
	}{
		{5, "", StatusPass, ""},
		{50, "", StatusWarn, "Got 50 results, configured to warn if > 10"},
		{500, "", StatusFail, "Got 500 results, configured to fail if > 100"},
		{500, "warn", StatusWarn, "Got 500 results, configured to warn if > 10"},
	} {
		m, ids := build(test("big_orders", tt.severity, "select * from orders where amount > 1000"))
		n := m.Node(ids[0])
		n.Config.WarnIf, n.Config.ErrorIf = &warnIf, &errorIf
		f := newFake()
		f.counts["amount > 1000"] = tt.failures
		res := execute(t, f, m, ids, ModeTest, 1)
		if r := result(t, res, "big_orders"); r.Status != tt.want || r.Message != tt.message || r.Rows != tt.failures {
			t.Errorf("%d failures, severity %q: %s %q rows %d, want %s %q", tt.failures, tt.severity, r.Status, r.Message, r.Rows, tt.want, tt.message)
		}
	}
	m, ids := build(test("t", "", "select amount from orders;"))
	n := m.Node(ids[0])
	n.Config.FailCalc, n.Config.Limit = "sum(amount)", 3
	want := "SELECT sum(amount) FROM (\nSELECT * FROM (\nselect amount from orders\n) AS martlet_failures LIMIT 3\n) AS martlet_test"
	if got := testQuery(n); got != want {
		t.Errorf("testQuery = %q, want %q", got, want)
	}
}
