package runner

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// mask replaces the clock and durations in progress output with fixed text.
func mask(s string) string {
	s = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  `).ReplaceAllString(s, "HH:MM:SS  ")
	s = regexp.MustCompile(`\d+\.\d\ds\b`).ReplaceAllString(s, "N.NNs")
	return regexp.MustCompile(`and \d+\.\d\d seconds`).ReplaceAllString(s, "and N.NN seconds")
}

func TestProgressOutput(t *testing.T) {
	m, ids := build(
		seed("users"),
		model("stg_users", "view", "select * from users_src", "users"),
		model("orders", "table", "select BROKEN", "users"),
		model("order_items", "incremental", "select * from items", "orders"),
		test("unique_users_id", "", "select * from uniq", "stg_users"),
		test("not_null_users_id", "warn", "select * from warnrows", "stg_users"),
		test("accepted_values_users_x", "", "select * from failrows", "stg_users"),
	)
	m.OnRunStart = []string{"select 1"}
	f := newFake()
	f.failOn["BROKEN"] = "Binder Error: column BROKEN\nLINE 1: select BROKEN"
	f.counts["warnrows"] = 2
	f.counts["failrows"] = 3
	var out strings.Builder
	res, err := Execute(context.Background(), Options{Mode: ModeBuild, Manifest: m, Selected: ids, Adapter: f, Threads: 1, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	want := `HH:MM:SS  Concurrency: 1 threads (target='dev')

HH:MM:SS  Running 1 on-run-start hook
HH:MM:SS  1 of 1 START hook: on-run-start.0 .............................................. [RUN]
HH:MM:SS  1 of 1 OK hook: on-run-start.0 ................................................. [OK in N.NNs]

HH:MM:SS  1 of 7 START seed file main.users .............................................. [RUN]
HH:MM:SS  1 of 7 OK loaded seed file main.users .......................................... [INSERT 5 in N.NNs]
HH:MM:SS  2 of 7 START sql view model main.stg_users ..................................... [RUN]
HH:MM:SS  2 of 7 OK created sql view model main.stg_users ................................ [OK in N.NNs]
HH:MM:SS  3 of 7 START sql table model main.orders ....................................... [RUN]
HH:MM:SS  3 of 7 ERROR creating sql table model main.orders .............................. [ERROR in N.NNs]
HH:MM:SS  4 of 7 SKIP relation main.order_items .......................................... [SKIP]
HH:MM:SS  5 of 7 START test unique_users_id .............................................. [RUN]
HH:MM:SS  5 of 7 PASS unique_users_id .................................................... [PASS in N.NNs]
HH:MM:SS  6 of 7 START test not_null_users_id ............................................ [RUN]
HH:MM:SS  6 of 7 WARN 2 not_null_users_id ................................................ [WARN 2 in N.NNs]
HH:MM:SS  7 of 7 START test accepted_values_users_x ...................................... [RUN]
HH:MM:SS  7 of 7 FAIL 3 accepted_values_users_x .......................................... [FAIL 3 in N.NNs]

HH:MM:SS  Finished running 1 view model, 1 table model, 1 incremental model, 1 seed, 3 tests, 1 hook in 0 hours 0 minutes and N.NN seconds (N.NNs).

HH:MM:SS  Completed with 2 errors and 1 warning:

HH:MM:SS  Error in model orders (models/orders.sql)
HH:MM:SS    Binder Error: column BROKEN
HH:MM:SS    LINE 1: select BROKEN

HH:MM:SS  Warning in test not_null_users_id (models/schema.yml)
HH:MM:SS    Got 2 results, configured to warn if != 0

HH:MM:SS  Failure in test accepted_values_users_x (models/schema.yml)
HH:MM:SS    Got 3 results, configured to fail if != 0

HH:MM:SS  Done. PASS=4 WARN=1 ERROR=2 SKIP=1 TOTAL=8
`
	if got := mask(out.String()); got != want {
		t.Errorf("progress output:\n%s\nwant:\n%s", got, want)
	}
	if len(res.Results) != 8 {
		t.Errorf("%d results, want 8", len(res.Results))
	}
}

func TestProgressColourAndSuccessSummary(t *testing.T) {
	m, ids := build(model("a", "table", "select 1"))
	var out strings.Builder
	if _, err := Execute(context.Background(), Options{Mode: ModeRun, Manifest: m, Selected: ids, Adapter: newFake(), Out: &out, Color: true}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{green + "OK created" + reset, "[" + green + "OK" + reset + " in ", green + "Completed successfully" + reset, "Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestProgressLinesDoNotInterleave(t *testing.T) {
	var specs []nodeSpec
	for i := range 40 {
		specs = append(specs, model(strings.Repeat("m", i+1), "view", "select 1"))
	}
	m, ids := build(specs...)
	w := &lineChecker{}
	if _, err := Execute(context.Background(), Options{Mode: ModeRun, Manifest: m, Selected: ids, Adapter: newFake(), Threads: 8, Out: w}); err != nil {
		t.Fatal(err)
	}
	if w.partial != 0 || w.writes < 80 {
		t.Errorf("%d of %d writes were not whole lines", w.partial, w.writes)
	}
}

// lineChecker counts writes that are not exactly one line.
type lineChecker struct {
	writes, partial int
}

func (w *lineChecker) Write(p []byte) (int, error) {
	w.writes++
	if strings.Count(string(p), "\n") != 1 || p[len(p)-1] != '\n' {
		w.partial++
	}
	return len(p), nil
}

func TestClockAndStatLine(t *testing.T) {
	if got := clock(time.Hour + 2*time.Minute + 3500*time.Millisecond); got != "1 hours 2 minutes and 3.50 seconds" {
		t.Errorf("clock = %q", got)
	}
	if got := statLine(nil); got != "nothing" {
		t.Errorf("statLine(nil) = %q", got)
	}
}
