package docs

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// RunResults is the part of target/run_results.json that the docs show:
// how each node fared in the last run. The docs parse the file themselves
// so that they do not depend on the runner.
type RunResults struct {
	GeneratedAt time.Time `json:"generated_at"`
	// ElapsedTime is the wall-clock time of the whole run, in seconds.
	ElapsedTime float64     `json:"elapsed_time"`
	Results     []RunResult `json:"results"`
}

// RunResult is what happened to one node in the last run.
type RunResult struct {
	UniqueID     string `json:"unique_id"`
	Name         string `json:"name"`
	ResourceType string `json:"resource_type"`
	// Status is success, error or skipped (models, seeds, snapshots) or
	// pass, fail, warn, error or skipped (tests).
	Status string  `json:"status"`
	Timing *Timing `json:"timing,omitempty"`
	// ExecutionTime is in seconds.
	ExecutionTime float64 `json:"execution_time"`
	RowsAffected  int64   `json:"rows_affected"`
	Message       string  `json:"message"`
	// Failures is a test's count of failing rows.
	Failures *int64 `json:"failures,omitempty"`
}

// Timing is when a node's statements ran; skipped nodes have none.
type Timing struct {
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
}

// ReadRunResults parses a run_results.json file. A missing file is an
// error that satisfies errors.Is(err, fs.ErrNotExist), so that a caller can
// generate the docs without results when the project has not run yet.
func ReadRunResults(path string) (*RunResults, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r RunResults
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a run_results.json file: %v", path, err)
	}
	return &r, nil
}

// byNode indexes the results by node ID; when a node ran more than once,
// the last result wins.
func (r *RunResults) byNode() map[string]*RunResult {
	if r == nil {
		return nil
	}
	m := make(map[string]*RunResult, len(r.Results))
	for i := range r.Results {
		m[r.Results[i].UniqueID] = &r.Results[i]
	}
	return m
}
