package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"martlet/compiler/manifest"
)

func TestWriteJSON(t *testing.T) {
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	res := &Results{
		Elapsed:     1500 * time.Millisecond,
		GeneratedAt: start.Add(2 * time.Second),
		Results: []Result{
			{NodeID: "model.shop.a", Name: "a", Kind: manifest.Model, Status: StatusSuccess, Message: "OK", Rows: 7,
				Started: start, Duration: 250 * time.Millisecond, Relation: `"main"."a"`, Materialized: "table"},
			{NodeID: "test.shop.t", Name: "t", Kind: manifest.Test, Status: StatusPass, Started: start, Duration: time.Millisecond},
			{NodeID: "test.shop.f", Name: "f", Kind: manifest.Test, Status: StatusFail, Rows: 3, Message: "Got 3 results, configured to fail if != 0", Started: start},
			{NodeID: "model.shop.b", Name: "b", Kind: manifest.Model, Status: StatusSkipped, Message: "skipped because upstream model a failed"},
		},
	}
	path := filepath.Join(t.TempDir(), "target", "run_results.json")
	if err := res.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["elapsed_time"] != 1.5 || doc["generated_at"] != "2024-01-02T03:04:07Z" {
		t.Errorf("header = %v, %v", doc["elapsed_time"], doc["generated_at"])
	}
	results := doc["results"].([]any)
	a := results[0].(map[string]any)
	timing := a["timing"].(map[string]any)
	if a["unique_id"] != "model.shop.a" || a["status"] != "success" || a["rows_affected"] != 7.0 || a["execution_time"] != 0.25 ||
		timing["started_at"] != "2024-01-02T03:04:05Z" || timing["completed_at"] != "2024-01-02T03:04:05.25Z" || a["relation_name"] != `"main"."a"` {
		t.Errorf("model result = %v", a)
	}
	if _, ok := a["failures"]; ok {
		t.Error("a model result has failures")
	}
	if pass := results[1].(map[string]any); pass["failures"] != 0.0 {
		t.Errorf("passing test failures = %v, want 0", pass["failures"])
	}
	if fail := results[2].(map[string]any); fail["failures"] != 3.0 || fail["status"] != "fail" {
		t.Errorf("failing test = %v", fail)
	}
	if skip := results[3].(map[string]any); skip["status"] != "skipped" || skip["timing"] != nil {
		t.Errorf("skipped result = %v, want no timing", skip)
	}
}

func TestFailedCountsErrorsAndFailuresNotWarnings(t *testing.T) {
	for _, tc := range []struct {
		statuses []Status
		want     bool
	}{
		{[]Status{StatusSuccess, StatusPass, StatusWarn, StatusSkipped}, false},
		{[]Status{StatusSuccess, StatusFail}, true},
		{[]Status{StatusError}, true},
		{nil, false},
	} {
		res := &Results{}
		for _, s := range tc.statuses {
			res.Results = append(res.Results, Result{Status: s})
		}
		if got := res.Failed(); got != tc.want {
			t.Errorf("Failed(%v) = %v, want %v", tc.statuses, got, tc.want)
		}
	}
}
