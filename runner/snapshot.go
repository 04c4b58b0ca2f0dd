package runner

import (
	"context"
	"fmt"
	"time"

	"martlet/compiler/manifest"
	"martlet/runner/adapter"
	"martlet/runner/materialize"
)

// snapshot takes a snapshot between its hooks: the first run creates its
// table, later runs record what changed since the last one.
func (r *run) snapshot(ctx context.Context, n *manifest.Node) Result {
	res := newResult(n)
	rel := relationOf(n)
	existing := r.catalog.kind(rel)
	res.Started = time.Now()
	cfg, err := snapshotConfig(n)
	if err == nil {
		res.Rows, err = r.build(ctx, n, materialize.Request{
			Adapter:      r.opts.Adapter.Type(),
			Kind:         materialize.Snapshot,
			Target:       rel,
			SQL:          n.CompiledSQL,
			Existing:     existing,
			UniqueKey:    n.Config.UniqueKey,
			SchemaExists: true,
			Snapshot:     cfg,
		}, existing != adapter.KindNone)
	}
	res.Duration = time.Since(res.Started)
	if err != nil {
		fail(&res, err)
		return res
	}
	r.catalog.built(rel, adapter.KindTable)
	res.Status = StatusSuccess
	res.Message = "OK"
	return res
}

// snapshotConfig reads a snapshot's strategy settings from its config:
// strategy, updated_at, check_cols ("all" or a list of columns), and
// invalidate_hard_deletes (or dbt 1.9's hard_deletes: invalidate).
func snapshotConfig(n *manifest.Node) (*materialize.SnapshotConfig, error) {
	other := n.Config.Other
	c := &materialize.SnapshotConfig{}
	c.Strategy, _ = other["strategy"].(string)
	c.UpdatedAt, _ = other["updated_at"].(string)
	switch cols := other["check_cols"].(type) {
	case nil:
	case string:
		if cols != "all" {
			return nil, fmt.Errorf(`check_cols must be "all" or a list of columns, not %q`, cols)
		}
	case []any:
		for _, col := range cols {
			name, ok := col.(string)
			if !ok {
				return nil, fmt.Errorf("check_cols must list column names, not %v", col)
			}
			c.CheckCols = append(c.CheckCols, name)
		}
	default:
		return nil, fmt.Errorf(`check_cols must be "all" or a list of columns, not %v`, cols)
	}
	switch v := other["invalidate_hard_deletes"].(type) {
	case nil:
	case bool:
		c.InvalidateHardDeletes = v
	default:
		return nil, fmt.Errorf("invalidate_hard_deletes must be true or false, not %v", v)
	}
	switch v, _ := other["hard_deletes"].(string); v {
	case "", "ignore":
	case "invalidate":
		c.InvalidateHardDeletes = true
	default:
		return nil, fmt.Errorf(`hard_deletes %q is not supported (use ignore or invalidate)`, v)
	}
	return c, nil
}
