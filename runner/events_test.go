package runner

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// recorder is a Reporter that records events as short strings.
type recorder struct {
	mu     sync.Mutex
	events []string
	end    RunEnd
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
}

func (r *recorder) RunStart(e RunStart) {
	r.add("run_start %s/%s threads=%d nodes=%d", e.Project, e.Target, e.Threads, e.Nodes)
}
func (r *recorder) HookStart(e HookStart) {
	r.add("hook_start %s %s %d/%d", e.Phase, e.ID, e.Index, e.Total)
}
func (r *recorder) HookFinish(e HookFinish) {
	r.add("hook_finish %s %s", e.Name, e.Result.Status)
}
func (r *recorder) NodeStart(e NodeStart) {
	r.add("node_start %s %s %s %s %d/%d", e.Node.Kind, e.Node.Materialized, e.Node.Relation, e.Node.Name, e.Index, e.Total)
}
func (r *recorder) NodeFinish(e NodeFinish) {
	r.add("node_finish %s %s %s rows=%d %d/%d", e.Node.Name, e.Result.Status, e.SkipCause, e.Result.Rows, e.Index, e.Total)
}
func (r *recorder) RunEnd(e RunEnd) {
	r.add("run_end nodes=%d results=%d", e.Nodes, len(e.Results.Results))
	r.end = e
}

func TestReporterReceivesEveryEventInOrder(t *testing.T) {
	m, ids := build(
		seed("users"),
		model("a", "table", "select * from a_src", "users"),
		model("b", "view", "select * from b_src", "a"),
		test("t_users", "", "select * from t_src", "users"),
	)
	m.OnRunStart = []string{"RUN START"}
	m.OnRunEnd = []string{"RUN END 1", "RUN END 2"}
	f := newFake()
	f.failOn["a_src"] = "boom"
	rec := &recorder{}
	var out strings.Builder
	res, err := Execute(context.Background(), Options{Mode: ModeBuild, Manifest: m, Selected: ids, Adapter: f, Threads: 1, Out: &out, Reporter: rec})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"run_start shop/dev threads=1 nodes=4",
		"hook_start on-run-start operation.shop.on-run-start.0 1/1",
		"hook_finish on-run-start.0 success",
		`node_start seed seed "main"."users" users 1/4`,
		"node_finish users success  rows=5 1/4",
		`node_start test test ""."" t_users 2/4`,
		"node_finish t_users pass  rows=0 2/4",
		`node_start model table "main"."a" a 3/4`,
		"node_finish a error  rows=0 3/4",
		"node_finish b skipped upstream_failed rows=0 4/4",
		"hook_start on-run-end operation.shop.on-run-end.0 1/2",
		"hook_finish on-run-end.0 success",
		"hook_start on-run-end operation.shop.on-run-end.1 2/2",
		"hook_finish on-run-end.1 success",
		"run_end nodes=4 results=7",
	}
	if !reflect.DeepEqual(rec.events, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(rec.events, "\n"), strings.Join(want, "\n"))
	}
	if rec.end.Results != res || out.Len() != 0 {
		t.Errorf("RunEnd results %p, want %p; Out got %q, want nothing with a Reporter set", rec.end.Results, res, out.String())
	}

	rec = &recorder{}
	f = newFake()
	f.failOn["RUN START"] = "denied"
	if _, err := Execute(context.Background(), Options{Mode: ModeRun, Manifest: m, Selected: ids, Adapter: f, Reporter: rec}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rec.events[3:5], "\n"); got != "node_finish a skipped on_run_start_failed rows=0 1/2\nnode_finish b skipped on_run_start_failed rows=0 2/2" {
		t.Errorf("after a failing on-run-start hook:\n%s", strings.Join(rec.events, "\n"))
	}
}
