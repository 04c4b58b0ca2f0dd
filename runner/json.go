package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"martlet/compiler/manifest"
)

// jsonTime is the layout of timestamps in JSON lines: RFC 3339 in UTC with
// milliseconds.
const jsonTime = "2006-01-02T15:04:05.000Z07:00"

// The levels of JSON lines.
const (
	LevelInfo  = "info"
	LevelWarn  = "warn"
	LevelError = "error"
)

// WriteJSONLine writes one event as one JSON object on one line, in one
// Write, stamped with the current time. This is the format of
// --log-format json:
//
// Every line is a JSON object whose first three fields are always
//
//	ts     when the event happened: RFC 3339 in UTC with milliseconds,
//	       "2024-05-01T12:00:03.250Z"
//	level  "info", "warn" or "error"
//	event  what happened, one of the names below
//
// followed by the event's fields in alphabetical order. The runner writes
// these events (field names as in target/run_results.json where they
// overlap):
//
//	run_start    project, target, threads, nodes (how many nodes the run
//	             executes or skips, hooks not counted; 0: nothing to do)
//	hook_start   unique_id ("operation.<project>.on-run-start.0"), name
//	             ("on-run-start.0"), hook ("on-run-start" or "on-run-end"),
//	             index, total (the hook's place in its phase)
//	hook_finish  the fields of hook_start, and status, message,
//	             started_at, completed_at, execution_time (seconds);
//	             level error when the hook failed
//	node_start   unique_id, name, resource_type (model, seed or test),
//	             materialized (view, table, incremental, or the resource
//	             type), relation_name ("\"main\".\"orders\"", absent for
//	             tests), path, index, total (the node's place in the run,
//	             in start order)
//	node_finish  the fields of node_start, and status (success, error,
//	             skipped, pass, fail, warn), message, rows_affected (rows
//	             built, loaded, or failing a test), execution_time
//	             (seconds), started_at and completed_at (absent when
//	             skipped), skip_cause (only when skipped: upstream_failed,
//	             fail_fast, cancelled, on_run_start_failed); level error
//	             for error and fail, warn for warn and skipped
//	run_end      success (false when a node or hook errored or a test
//	             failed), elapsed_time (seconds), nodes, counts {pass,
//	             warn, error, skip, total} (as in the text summary's
//	             "Done." line, hooks included), problems (a list of
//	             {unique_id, name, resource_type, status, path, message}
//	             for every error, failure and warning, in run order);
//	             level error when not successful, warn with warnings or
//	             skips
//
// Consumers should ignore fields they do not know: events may gain
// fields, but these names and meanings are stable.
//
// WriteJSONLine returns an error when level is not one of LevelInfo,
// LevelWarn and LevelError, when fields use the names ts, level or event,
// or when a field cannot be encoded.
func WriteJSONLine(w io.Writer, event, level string, fields map[string]any) error {
	return writeJSONLine(w, time.Now(), event, level, fields)
}

// writeJSONLine is WriteJSONLine at time ts.
func writeJSONLine(w io.Writer, ts time.Time, event, level string, fields map[string]any) error {
	switch level {
	case LevelInfo, LevelWarn, LevelError:
	default:
		return fmt.Errorf("runner: JSON line level %q is not info, warn or error", level)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	field := func(name string, v any) error {
		if b.Len() == 0 {
			b.WriteByte('{')
		} else {
			b.WriteByte(',')
		}
		if err := enc.Encode(name); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // Encode ends values with a newline.
		b.WriteByte(':')
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("runner: JSON line field %q: %w", name, err)
		}
		b.Truncate(b.Len() - 1)
		return nil
	}
	for _, f := range []struct {
		name  string
		value string
	}{{"ts", ts.UTC().Format(jsonTime)}, {"level", level}, {"event", event}} {
		if _, taken := fields[f.name]; taken {
			return fmt.Errorf("runner: JSON line field %q is reserved", f.name)
		}
		if err := field(f.name, f.value); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if err := field(name, fields[name]); err != nil {
			return err
		}
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// jsonReporter writes every event as a JSON line (see WriteJSONLine).
type jsonReporter struct {
	mu  sync.Mutex
	out io.Writer
	now func() time.Time
}

// write writes one event. Output is best effort: a broken pipe must not
// fail the run, and the fields are all encodable, so errors are ignored.
func (r *jsonReporter) write(event, level string, fields map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = writeJSONLine(r.out, r.now(), event, level, fields)
}

// RunStart implements Reporter.
func (r *jsonReporter) RunStart(e RunStart) {
	r.write("run_start", LevelInfo, map[string]any{
		"project": e.Project, "target": e.Target, "threads": e.Threads, "nodes": e.Nodes,
	})
}

// hookFields returns the fields that describe a hook.
func hookFields(e HookStart) map[string]any {
	return map[string]any{
		"unique_id": e.ID, "name": e.Name, "hook": e.Phase, "index": e.Index, "total": e.Total,
	}
}

// HookStart implements Reporter.
func (r *jsonReporter) HookStart(e HookStart) {
	r.write("hook_start", LevelInfo, hookFields(e))
}

// HookFinish implements Reporter.
func (r *jsonReporter) HookFinish(e HookFinish) {
	fields := hookFields(e.HookStart)
	addOutcome(fields, e.Result)
	r.write("hook_finish", levelOf(e.Result.Status), fields)
}

// nodeFields returns the fields that describe a node.
func nodeFields(e NodeStart) map[string]any {
	n := e.Node
	fields := map[string]any{
		"unique_id": n.ID, "name": n.Name, "resource_type": n.Kind, "materialized": n.Materialized,
		"path": n.Path, "index": e.Index, "total": e.Total,
	}
	if n.Relation.Name != "" {
		fields["relation_name"] = n.Relation.String()
	}
	return fields
}

// addOutcome adds the fields of a result's outcome to fields.
func addOutcome(fields map[string]any, res Result) {
	fields["status"] = res.Status
	fields["message"] = res.Message
	fields["execution_time"] = res.Duration.Seconds()
	if !res.Started.IsZero() {
		fields["started_at"] = res.Started.UTC().Format(jsonTime)
		fields["completed_at"] = res.Started.Add(res.Duration).UTC().Format(jsonTime)
	}
}

// levelOf returns the level of a node or hook that ended with status s.
func levelOf(s Status) string {
	switch s {
	case StatusError, StatusFail:
		return LevelError
	case StatusWarn, StatusSkipped:
		return LevelWarn
	}
	return LevelInfo
}

// NodeStart implements Reporter.
func (r *jsonReporter) NodeStart(e NodeStart) {
	r.write("node_start", LevelInfo, nodeFields(e))
}

// NodeFinish implements Reporter.
func (r *jsonReporter) NodeFinish(e NodeFinish) {
	fields := nodeFields(e.NodeStart)
	addOutcome(fields, e.Result)
	fields["rows_affected"] = e.Result.Rows
	if e.SkipCause != "" {
		fields["skip_cause"] = e.SkipCause
	}
	r.write("node_finish", levelOf(e.Result.Status), fields)
}

// jsonCounts is the counts field of run_end.
type jsonCounts struct {
	Pass  int `json:"pass"`
	Warn  int `json:"warn"`
	Error int `json:"error"`
	Skip  int `json:"skip"`
	Total int `json:"total"`
}

// jsonProblem is an element of the problems field of run_end.
type jsonProblem struct {
	UniqueID     string        `json:"unique_id"`
	Name         string        `json:"name"`
	ResourceType manifest.Kind `json:"resource_type"`
	Status       Status        `json:"status"`
	Path         string        `json:"path"`
	Message      string        `json:"message"`
}

// RunEnd implements Reporter.
func (r *jsonReporter) RunEnd(e RunEnd) {
	res := e.Results
	c := res.Counts()
	problems := []jsonProblem{}
	for _, p := range res.Results {
		if levelOf(p.Status) == LevelError || p.Status == StatusWarn {
			problems = append(problems, jsonProblem{p.NodeID, p.Name, p.Kind, p.Status, p.Path, p.Message})
		}
	}
	level := LevelInfo
	switch {
	case c.Error > 0:
		level = LevelError
	case c.Warn > 0 || c.Skip > 0:
		level = LevelWarn
	}
	r.write("run_end", level, map[string]any{
		"success":      !res.Failed(),
		"elapsed_time": res.Elapsed.Seconds(),
		"nodes":        e.Nodes,
		"counts":       jsonCounts(c),
		"problems":     problems,
	})
}
