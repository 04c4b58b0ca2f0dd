package runner

import (
	"fmt"
	"io"
	"time"

	"martlet/compiler/manifest"
)

// Reporter receives the events of a run, in order for each node: NodeStart
// before its NodeFinish, and RunStart before and RunEnd after everything
// else. Nodes run in parallel, so a Reporter's methods are called from
// several goroutines at once and must be safe for concurrent use.
//
// Execute picks a Reporter from Options.LogFormat and Options.Live (dbt-style
// text, JSON lines, or text with a live status line), or uses
// Options.Reporter.
type Reporter interface {
	// RunStart opens the run, before any hook or node.
	RunStart(RunStart)
	// HookStart reports that an on-run-start or on-run-end hook started.
	HookStart(HookStart)
	// HookFinish reports how a hook finished.
	HookFinish(HookFinish)
	// NodeStart reports that a node started executing.
	NodeStart(NodeStart)
	// NodeFinish reports how a node finished, or that it was skipped
	// (without a NodeStart).
	NodeFinish(NodeFinish)
	// RunEnd closes the run; it is the last event.
	RunEnd(RunEnd)
}

// RunStart opens a run.
type RunStart struct {
	// Project is the project's name.
	Project string
	// Target is the name of the target the run executes on.
	Target string
	// Threads is how many nodes may run at once.
	Threads int
	// Nodes is how many nodes the run executes or skips, hooks not
	// counted; 0 means there is nothing to do, and RunEnd follows at once.
	Nodes int
}

// NodeInfo says what a node is.
type NodeInfo struct {
	ID   string
	Name string
	Kind manifest.Kind
	// Materialized is a model's materialization, or the node's kind.
	Materialized string
	// Relation is the relation the node builds; zero for tests.
	Relation manifest.Relation
	// Path is the project file that defines the node.
	Path string
}

// nodeInfo returns what n is.
func nodeInfo(n *manifest.Node) NodeInfo {
	info := NodeInfo{ID: n.ID, Name: n.Name, Kind: n.Kind, Materialized: string(n.Kind), Relation: n.Relation, Path: n.Path}
	if n.Kind == manifest.Model {
		info.Materialized = n.Config.Materialized
	}
	return info
}

// NodeStart reports that a node started.
type NodeStart struct {
	Node NodeInfo
	// Index is the node's place in the run, from 1 to Total, in the order
	// nodes started or were skipped.
	Index, Total int
}

// SkipCause says why a node was skipped.
type SkipCause string

// The causes of skips.
const (
	// SkipUpstream: a node the node depends on failed.
	SkipUpstream SkipCause = "upstream_failed"
	// SkipFailFast: --fail-fast stopped the run after a failure.
	SkipFailFast SkipCause = "fail_fast"
	// SkipCancelled: the run was cancelled (interrupted).
	SkipCancelled SkipCause = "cancelled"
	// SkipRunStartHook: an on-run-start hook failed.
	SkipRunStartHook SkipCause = "on_run_start_failed"
)

// NodeFinish reports how a node finished.
type NodeFinish struct {
	NodeStart
	// Result is the node's outcome: status, timing, rows and message.
	Result Result
	// SkipCause says why the node was skipped; empty unless Result.Status
	// is StatusSkipped.
	SkipCause SkipCause
}

// HookStart reports that a project hook started.
type HookStart struct {
	// Phase is "on-run-start" or "on-run-end".
	Phase string
	// ID and Name identify the hook: "operation.shop.on-run-end.0" and
	// "on-run-end.0".
	ID, Name string
	// Index is the hook's place in its phase, from 1 to Total.
	Index, Total int
}

// HookFinish reports how a project hook finished.
type HookFinish struct {
	HookStart
	Result Result
}

// RunEnd closes a run.
type RunEnd struct {
	// Nodes repeats RunStart.Nodes.
	Nodes int
	// Results are the run's outcome: every hook and node, and the elapsed
	// time.
	Results *Results
}

// The log formats of Options.LogFormat.
const (
	// LogFormatText is dbt-style progress lines and a summary.
	LogFormatText = "text"
	// LogFormatJSON is one JSON object per line for every event; see
	// WriteJSONLine for the format.
	LogFormatJSON = "json"
)

// newReporter returns the reporter that opts ask for.
func newReporter(opts Options) (Reporter, error) {
	if opts.Reporter != nil {
		return opts.Reporter, nil
	}
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	switch opts.LogFormat {
	case "", LogFormatText:
		if opts.Live {
			return newLiveReporter(out, opts.Color, opts.Width, time.Now), nil
		}
		return &textReporter{out: out, f: textFormat{color: opts.Color, now: time.Now}}, nil
	case LogFormatJSON:
		return &jsonReporter{out: out, now: time.Now}, nil
	}
	return nil, fmt.Errorf("runner: unknown log format %q (want text or json)", opts.LogFormat)
}
