package materialize

import (
	"context"

	"martlet/runner/adapter"
)

// Execute runs steps in order on a: a step with Tx through ExecTx, any other
// step statement by statement through Exec. It stops at the first error and
// returns it unchanged. It returns the rows affected reported last (the last
// non-zero count), 0 if none.
func Execute(ctx context.Context, a adapter.Adapter, steps []Step) (int64, error) {
	var affected int64
	for _, step := range steps {
		if step.Tx {
			n, err := a.ExecTx(ctx, step.SQL)
			if err != nil {
				return 0, err
			}
			affected = nonZero(n, affected)
			continue
		}
		for _, stmt := range step.SQL {
			n, err := a.Exec(ctx, stmt)
			if err != nil {
				return 0, err
			}
			affected = nonZero(n, affected)
		}
	}
	return affected, nil
}

// nonZero returns n, or previous when n is 0.
func nonZero(n, previous int64) int64 {
	if n != 0 {
		return n
	}
	return previous
}
