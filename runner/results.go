package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"martlet/compiler/manifest"
)

// Status is the outcome of one node in a run, as written to
// run_results.json.
type Status string

// The statuses. Models, seeds, snapshots and hooks end in success, error or
// skipped; tests in pass, fail, warn, error or skipped.
const (
	StatusSuccess Status = "success"
	StatusError   Status = "error"
	StatusSkipped Status = "skipped"
	StatusPass    Status = "pass"
	StatusFail    Status = "fail"
	StatusWarn    Status = "warn"
)

// KindOperation is the Kind of the results of on-run-start and on-run-end
// hooks, which are not manifest nodes.
const KindOperation manifest.Kind = "operation"

// Result is what happened to one node (or hook) in a run.
type Result struct {
	NodeID string
	Name   string
	Kind   manifest.Kind
	Status Status
	// Message says what happened: the error, a test's failure count, or
	// why the node was skipped.
	Message string
	// Rows is the number of rows affected (models), loaded (seeds) or
	// failing (tests).
	Rows int64
	// Started is when the node's first statement was sent; zero for a
	// skipped node.
	Started time.Time
	// Duration covers the node's statements only, not time spent waiting
	// for a thread.
	Duration time.Duration
	// Relation is the quoted relation the node builds, if any.
	Relation string
	// Materialized is the node's materialization (models), or its kind.
	Materialized string
	// Path is the project file that defines the node.
	Path string
}

// Results are the outcome of a run.
type Results struct {
	// Results are in start order: on-run-start hooks, then nodes as they
	// started or were skipped, then on-run-end hooks.
	Results []Result
	// Elapsed is the wall-clock time of the whole run.
	Elapsed time.Duration
	// GeneratedAt is when the run finished.
	GeneratedAt time.Time
}

// Counts tallies results the way the summary line reports them.
type Counts struct {
	// Pass counts successes and passing tests.
	Pass int
	Warn int
	// Error counts errors and failing tests.
	Error int
	Skip  int
	Total int
}

// Counts tallies the results by status.
func (r *Results) Counts() Counts {
	var c Counts
	for _, res := range r.Results {
		switch res.Status {
		case StatusSuccess, StatusPass:
			c.Pass++
		case StatusWarn:
			c.Warn++
		case StatusError, StatusFail:
			c.Error++
		case StatusSkipped:
			c.Skip++
		}
		c.Total++
	}
	return c
}

// Failed reports whether any node or hook errored or any test failed; a
// warning does not count. The CLI exits 1 when it does.
func (r *Results) Failed() bool {
	return r.Counts().Error > 0
}

// jsonResults is the shape of run_results.json.
type jsonResults struct {
	GeneratedAt time.Time    `json:"generated_at"`
	ElapsedTime float64      `json:"elapsed_time"`
	Results     []jsonResult `json:"results"`
}

type jsonResult struct {
	UniqueID      string      `json:"unique_id"`
	Name          string      `json:"name"`
	ResourceType  string      `json:"resource_type"`
	Status        Status      `json:"status"`
	Timing        *jsonTiming `json:"timing,omitempty"`
	ExecutionTime float64     `json:"execution_time"`
	RowsAffected  int64       `json:"rows_affected"`
	Message       string      `json:"message"`
	Failures      *int64      `json:"failures,omitempty"`
	RelationName  string      `json:"relation_name,omitempty"`
	Materialized  string      `json:"materialized,omitempty"`
}

type jsonTiming struct {
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
}

// WriteJSON writes the results to path (target/run_results.json), creating
// its directory if needed. Field names follow dbt's run_results.json;
// skipped nodes have no timing, and tests carry their failure count in
// "failures".
func (r *Results) WriteJSON(path string) error {
	out := jsonResults{
		GeneratedAt: r.GeneratedAt.UTC(),
		ElapsedTime: r.Elapsed.Seconds(),
		Results:     make([]jsonResult, 0, len(r.Results)),
	}
	for _, res := range r.Results {
		j := jsonResult{
			UniqueID:      res.NodeID,
			Name:          res.Name,
			ResourceType:  string(res.Kind),
			Status:        res.Status,
			ExecutionTime: res.Duration.Seconds(),
			RowsAffected:  res.Rows,
			Message:       res.Message,
			RelationName:  res.Relation,
			Materialized:  res.Materialized,
		}
		if !res.Started.IsZero() {
			j.Timing = &jsonTiming{StartedAt: res.Started.UTC(), CompletedAt: res.Started.Add(res.Duration).UTC()}
		}
		if res.Kind == manifest.Test && res.Status != StatusSkipped && res.Status != StatusError {
			failures := res.Rows
			j.Failures = &failures
		}
		out.Results = append(out.Results, j)
	}
	data, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
