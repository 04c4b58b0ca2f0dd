package selector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
)

// stateValues are the values the state method takes.
var stateValues = []string{"new", "old", "modified", "unmodified", "modified.body", "modified.configs"}

// bindState compares nodes with the --state manifest, as dbt does:
//
//   - new: not in the state manifest;
//   - old: in it;
//   - modified: new, or with a different checksum (SQL, configuration and
//     the vars the node reads);
//   - modified.body: new, or with different raw SQL once whitespace and
//     comments are folded;
//   - modified.configs: new, or with a different configuration;
//   - unmodified: old and not modified.
func bindState(s *selection, c *criterion) (matcher, error) {
	var is func(n, old *manifest.Node) bool
	switch c.value {
	case "new":
		is = func(_, old *manifest.Node) bool { return old == nil }
	case "old":
		is = func(_, old *manifest.Node) bool { return old != nil }
	case "modified":
		is = modified
	case "unmodified":
		is = func(n, old *manifest.Node) bool { return !modified(n, old) }
	case "modified.body":
		is = func(n, old *manifest.Node) bool {
			return old == nil || !sameChecksum(n, old) && manifest.NormalizeSQL(n.RawSQL) != manifest.NormalizeSQL(old.RawSQL)
		}
	case "modified.configs":
		is = func(n, old *manifest.Node) bool {
			return old == nil || !sameChecksum(n, old) && !sameConfig(n, old)
		}
	default:
		msg := fmt.Sprintf("unknown state selector %q in %q", c.value, c.raw)
		if sug := diag.Suggest(c.value, stateValues); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", "state:"+sug)
		}
		return nil, errors.New(msg)
	}
	state := s.opts.State
	if state == nil {
		return nil, errors.New("state: selection needs --state DIR")
	}
	return func(n *manifest.Node) bool { return is(n, state.Node(n.ID)) }, nil
}

// modified reports whether n is new or changed since old. Equal checksums
// settle it; without checksums the SQL and configuration are compared.
func modified(n, old *manifest.Node) bool {
	switch {
	case old == nil:
		return true
	case n.Checksum != "" || old.Checksum != "":
		return n.Checksum != old.Checksum
	}
	return manifest.NormalizeSQL(n.RawSQL) != manifest.NormalizeSQL(old.RawSQL) || !sameConfig(n, old)
}

// sameChecksum reports whether both nodes carry the same checksum, which
// covers the SQL and the configuration.
func sameChecksum(n, old *manifest.Node) bool {
	return n.Checksum != "" && n.Checksum == old.Checksum
}

// sameConfig compares configurations in their JSON form, the form the
// state manifest was read from, so that a number read back from JSON
// equals the one a project file gave.
func sameConfig(n, old *manifest.Node) bool {
	a, errA := json.Marshal(n.Config)
	b, errB := json.Marshal(old.Config)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(n.Config, old.Config)
	}
	return bytes.Equal(a, b)
}
