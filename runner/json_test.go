package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestWriteJSONLine(t *testing.T) {
	w := &lineChecker{}
	var buf bytes.Buffer
	ts := time.Date(2024, 5, 1, 14, 0, 3, 250_000_000, time.FixedZone("CEST", 2*3600))
	fields := map[string]any{"message": "a < b & c", "line": 12, "file": "models/a.sql"}
	if err := writeJSONLine(w, ts, "diagnostic", LevelError, fields); err != nil {
		t.Fatal(err)
	}
	if err := writeJSONLine(&buf, ts, "diagnostic", LevelError, fields); err != nil {
		t.Fatal(err)
	}
	want := `{"ts":"2024-05-01T12:00:03.250Z","level":"error","event":"diagnostic","file":"models/a.sql","line":12,"message":"a < b & c"}` + "\n"
	if buf.String() != want {
		t.Errorf("line:\n%s\nwant:\n%s", buf.String(), want)
	}
	if w.writes != 1 || w.partial != 0 {
		t.Errorf("%d writes, %d not one whole line; want one Write of one line", w.writes, w.partial)
	}
	for _, bad := range []struct {
		level  string
		fields map[string]any
	}{
		{"debug", nil},
		{LevelInfo, map[string]any{"event": "x"}},
		{LevelInfo, map[string]any{"ts": "x"}},
		{LevelInfo, map[string]any{"f": func() {}}},
	} {
		buf.Reset()
		if err := WriteJSONLine(&buf, "e", bad.level, bad.fields); err == nil || buf.Len() != 0 {
			t.Errorf("level %q, fields %v: err = %v, wrote %q; want an error and nothing written", bad.level, bad.fields, err, buf.String())
		}
	}
}

// jsonLines parses out as JSON lines, failing the test on any line that is
// not a JSON object with ts, level and event.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	ts := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	var lines []map[string]any
	for i, l := range strings.SplitAfter(out, "\n") {
		if l == "" {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(l), &obj); err != nil || !strings.HasSuffix(l, "}\n") {
			t.Fatalf("line %d is not one JSON object: %v\n%s", i+1, err, l)
		}
		if s, _ := obj["ts"].(string); !ts.MatchString(s) {
			t.Errorf("line %d: ts %v is not RFC 3339 UTC with milliseconds", i+1, obj["ts"])
		}
		switch obj["level"] {
		case LevelInfo, LevelWarn, LevelError:
		default:
			t.Errorf("line %d: level %v", i+1, obj["level"])
		}
		if !strings.HasPrefix(l, `{"ts":`) {
			t.Errorf("line %d does not start with ts: %s", i+1, l)
		}
		lines = append(lines, obj)
	}
	return lines
}

func TestDuckDBJSONLog(t *testing.T) {
	p := newDuckProject(t)
	m, ids := build(
		seed("users"),
		model("user_ids", "table", `select id from "main"."users"`, "users"),
		model("broken", "table", `select no_such_column from "main"."users"`, "users"),
		model("after_broken", "view", `select * from "main"."broken"`, "broken"),
		test("warn_few_users", "warn", `select * from "main"."user_ids" where id < 3`, "user_ids"),
		test("fail_big_ids", "", `select * from "main"."user_ids" where id > 2`, "user_ids"),
	)
	m.OnRunStart = []string{"select 1"}
	var out bytes.Buffer
	res, err := Execute(context.Background(), Options{
		Mode: ModeBuild, Manifest: m, Selected: ids, Adapter: p.db, ProjectRoot: p.root,
		Threads: 2, Out: &out, LogFormat: LogFormatJSON, Color: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Error("JSON output contains ANSI escapes")
	}
	lines := jsonLines(t, out.String())
	var events []string
	finished := map[string]map[string]any{}
	for _, l := range lines {
		events = append(events, l["event"].(string))
		if l["event"] == "node_finish" {
			finished[l["name"].(string)] = l
		}
	}
	if len(events) < 2 || events[0] != "run_start" || events[len(events)-1] != "run_end" {
		t.Fatalf("events = %v; want run_start first and run_end last", events)
	}
	if got := strings.Join(events[1:3], " "); got != "hook_start hook_finish" {
		t.Errorf("events after run_start = %q, want the on-run-start hook", got)
	}
	if start := lines[0]; start["project"] != "shop" || start["target"] != "dev" || start["threads"] != 2.0 || start["nodes"] != 6.0 {
		t.Errorf("run_start = %v", start)
	}
	if len(finished) != 6 {
		t.Fatalf("node_finish for %d nodes, want 6: %v", len(finished), events)
	}
	for name, want := range map[string]struct {
		status, level string
		rows          float64 // -1: not checked (what the adapter reports)
	}{
		"users": {"success", "info", 3}, "user_ids": {"success", "info", -1}, "broken": {"error", "error", 0},
		"after_broken": {"skipped", "warn", 0}, "warn_few_users": {"warn", "warn", 2}, "fail_big_ids": {"fail", "error", 1},
	} {
		l := finished[name]
		if l["status"] != want.status || l["level"] != want.level || (want.rows >= 0 && l["rows_affected"] != want.rows) {
			t.Errorf("%s: status %v, level %v, rows %v; want %+v", name, l["status"], l["level"], l["rows_affected"], want)
		}
		_, timed := l["execution_time"].(float64)
		_, started := l["started_at"].(string)
		_, rows := l["rows_affected"].(float64)
		if !timed || !rows || started != (want.status != "skipped") || l["unique_id"] == nil || l["index"] == nil || l["total"] != 6.0 {
			t.Errorf("%s: node_finish lacks timing or identity: %v", name, l)
		}
	}
	if l := finished["after_broken"]; l["skip_cause"] != "upstream_failed" || l["relation_name"] != `"main"."after_broken"` {
		t.Errorf("skipped node_finish = %v", l)
	}
	if msg, _ := finished["broken"]["message"].(string); !strings.Contains(msg, "no_such_column") {
		t.Errorf("error message = %q", msg)
	}
	end := lines[len(lines)-1]
	counts, _ := end["counts"].(map[string]any)
	problems, _ := end["problems"].([]any)
	if end["success"] != false || end["level"] != "error" || counts["total"] != 7.0 || counts["error"] != 2.0 || counts["skip"] != 1.0 || len(problems) != 3 {
		t.Errorf("run_end = %v", end)
	}
	if c := res.Counts(); c.Total != 7 {
		t.Errorf("results count %d, want 7", c.Total)
	}
}

func TestJSONNothingToDoAndUnknownFormat(t *testing.T) {
	m, _ := build(model("a", "table", "select 1"))
	var out bytes.Buffer
	_, err := Execute(context.Background(), Options{Mode: ModeSeed, Manifest: m, Selected: []string{"model.shop.a"}, Adapter: newFake(), Out: &out, LogFormat: LogFormatJSON})
	if err != nil {
		t.Fatal(err)
	}
	lines := jsonLines(t, out.String())
	if len(lines) != 2 || lines[0]["event"] != "run_start" || lines[0]["nodes"] != 0.0 || lines[1]["event"] != "run_end" || lines[1]["success"] != true || lines[1]["level"] != "info" {
		t.Errorf("nothing to do in JSON:\n%s", out.String())
	}
	if _, err := Execute(context.Background(), Options{Mode: ModeRun, Manifest: m, Selected: []string{"model.shop.a"}, Adapter: newFake(), LogFormat: "yaml"}); err == nil || !strings.Contains(err.Error(), `"yaml"`) {
		t.Errorf("unknown log format: err = %v", err)
	}
}
