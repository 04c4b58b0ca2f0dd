package project

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"martlet/compiler/diag"
)

// Pos is a place in a project file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// Setting is one configuration key as written in a project file or a
// config() call, before it is applied.
type Setting struct {
	Key   string
	Value any
	Pos   Pos
}

// Config is the resolved configuration of a node. It is built by applying
// layers of settings in precedence order: folder config from martlet.yml
// (outer folders first), then the properties file, then the node's own
// config() call. Later layers override earlier ones, except tags, which
// accumulate, as in dbt.
type Config struct {
	Materialized string            `json:"materialized,omitempty"`
	Schema       string            `json:"schema,omitempty"`
	Alias        string            `json:"alias,omitempty"`
	Tags         []string          `json:"tags,omitempty"`
	UniqueKey    []string          `json:"unique_key,omitempty"`
	Enabled      bool              `json:"enabled"`
	FullRefresh  *bool             `json:"full_refresh,omitempty"`
	PreHook      []string          `json:"pre_hook,omitempty"`
	PostHook     []string          `json:"post_hook,omitempty"`
	ColumnTypes  map[string]string `json:"column_types,omitempty"`
	Severity     string            `json:"severity,omitempty"`
	// WarnIf and ErrorIf are a test's thresholds (nil: DefaultThreshold),
	// FailCalc the SQL aggregate its failures are counted with (empty:
	// count(*)), and Limit caps the failing rows counted (0: no cap).
	WarnIf              *Threshold     `json:"warn_if,omitempty"`
	ErrorIf             *Threshold     `json:"error_if,omitempty"`
	FailCalc            string         `json:"fail_calc,omitempty"`
	Limit               int            `json:"limit,omitempty"`
	OnSchemaChange      string         `json:"on_schema_change,omitempty"`
	IncrementalStrategy string         `json:"incremental_strategy,omitempty"`
	ContractEnforced    bool           `json:"contract_enforced,omitempty"`
	Meta                map[string]any `json:"meta,omitempty"`
	// Other holds accepted dbt keys martlet records but does not act on,
	// and snapshot settings (strategy, updated_at, check_cols, ...).
	Other map[string]any `json:"other,omitempty"`
}

// NewConfig returns the defaults every node starts from.
func NewConfig() Config {
	return Config{Enabled: true}
}

// The incremental strategies: append inserts the new rows whatever their
// key; delete+insert and merge replace the rows whose unique_key matches
// (the default when a unique_key is set).
const (
	StrategyAppend       = "append"
	StrategyDeleteInsert = "delete+insert"
	StrategyMerge        = "merge"
)

// passiveKeys are dbt configuration keys that are valid but that martlet
// only records (and, for snapshots and tests, reads from Other).
var passiveKeys = map[string]bool{
	"database": true, "docs": true, "persist_docs": true, "grants": true,
	"quoting": true, "packages": true, "group": true, "access": true,
	"strategy": true, "updated_at": true, "check_cols": true,
	"target_schema": true, "target_database": true, "invalidate_hard_deletes": true,
	"where": true, "store_failures": true, "quote_columns": true,
	"delimiter": true, "sql_header": true, "batch_size": true, "snapshot_meta_column_names": true,
	"hard_deletes": true, "dbt_valid_to_current": true, "event_time": true, "lookback": true,
	"begin": true, "incremental_predicates": true, "merge_update_columns": true,
	"merge_exclude_columns": true, "indexes": true, "cluster_by": true, "partition_by": true,
}

// unappliedKeys are the passive keys that change what dbt builds, or
// where, or who may read it, and that martlet does not apply: setting one
// is warned about, so that nobody believes it took effect.
var unappliedKeys = map[string]string{
	"database":                   "models are built in the target's database",
	"target_database":            "snapshots are built in the target's database",
	"grants":                     "no GRANT is run; use a post_hook",
	"delimiter":                  "seeds are read as comma-separated",
	"sql_header":                 "no header is run before the model; use a pre_hook",
	"incremental_predicates":     "incremental merges match on unique_key alone",
	"merge_update_columns":       "a matched row is replaced whole",
	"merge_exclude_columns":      "a matched row is replaced whole",
	"indexes":                    "no index is created; use a post_hook",
	"snapshot_meta_column_names": "snapshots use dbt's default column names",
	"dbt_valid_to_current":       "a current snapshot row has dbt_valid_to null",
	"batch_size":                 "microbatch incremental models are not supported",
	"event_time":                 "microbatch incremental models are not supported",
	"lookback":                   "microbatch incremental models are not supported",
	"begin":                      "microbatch incremental models are not supported",
}

// Unapplied returns, for a key martlet accepts but does not apply, what
// happens instead; ok is false for every other key.
func Unapplied(key string) (what string, ok bool) {
	what, ok = unappliedKeys[normalizeKey(key)]
	return what, ok
}

// configKeys lists every key Apply understands, for suggestions.
func configKeys() []string {
	keys := []string{"materialized", "schema", "alias", "tags", "unique_key", "enabled",
		"full_refresh", "pre_hook", "post_hook", "column_types", "severity",
		"on_schema_change", "incremental_strategy", "contract", "meta",
		"warn_if", "error_if", "fail_calc", "limit"}
	for k := range passiveKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ErrUnknownKey is returned by Apply for a key that is not a configuration
// key; callers report it as a warning, as dbt does.
type ErrUnknownKey struct {
	Key        string
	Suggestion string
}

func (e *ErrUnknownKey) Error() string {
	msg := fmt.Sprintf("unknown config key %q", e.Key)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// normalizeKey maps dbt's spellings onto one: `pre-hook` is `pre_hook`.
func normalizeKey(k string) string {
	return strings.ReplaceAll(strings.TrimPrefix(k, "+"), "-", "_")
}

// Apply sets one key. It returns *ErrUnknownKey for an unknown key and a
// plain error for a value of the wrong shape.
func (c *Config) Apply(key string, value any) error {
	key = normalizeKey(key)
	switch key {
	case "materialized":
		s, err := asString(key, value)
		if err != nil {
			return err
		}
		switch s {
		case "view", "table", "incremental", "ephemeral", "snapshot", "seed", "test":
		default:
			return fmt.Errorf("unknown materialization %q (use view, table, incremental or ephemeral)", s)
		}
		c.Materialized = s
	case "schema":
		return setString(&c.Schema, key, value)
	case "alias":
		return setString(&c.Alias, key, value)
	case "severity":
		s, err := asString(key, value)
		if err != nil {
			return err
		}
		s = strings.ToLower(s)
		if s != "warn" && s != "error" {
			return fmt.Errorf("severity must be warn or error, not %q", s)
		}
		c.Severity = s
	case "warn_if", "error_if":
		s, err := asString(key, value)
		if err != nil {
			return err
		}
		t, err := ParseThreshold(s)
		if err != nil {
			return err
		}
		if key == "warn_if" {
			c.WarnIf = &t
		} else {
			c.ErrorIf = &t
		}
	case "fail_calc":
		return setString(&c.FailCalc, key, value)
	case "limit":
		n, ok := value.(int64)
		if i, isInt := value.(int); isInt {
			n, ok = int64(i), true
		}
		if !ok || n < 0 || n > 1<<31 {
			return fmt.Errorf("limit must be a whole number of rows, not %v", value)
		}
		c.Limit = int(n)
	case "on_schema_change":
		s, err := asString(key, value)
		if err != nil {
			return err
		}
		switch s {
		case "ignore", "fail", "append_new_columns", "sync_all_columns", "full_refresh":
		default:
			return fmt.Errorf("on_schema_change must be ignore, fail, append_new_columns, sync_all_columns or full_refresh, not %q", s)
		}
		c.OnSchemaChange = s
	case "incremental_strategy":
		s, err := asString(key, value)
		if err != nil {
			return err
		}
		s = strings.ToLower(s)
		switch s {
		case StrategyAppend, StrategyDeleteInsert, StrategyMerge:
		default:
			return fmt.Errorf("%q is not supported: martlet has append, delete+insert and merge", s)
		}
		c.IncrementalStrategy = s
	case "tags":
		tags, err := asStrings(key, value)
		if err != nil {
			return err
		}
		for _, t := range tags {
			if !contains(c.Tags, t) {
				c.Tags = append(c.Tags, t)
			}
		}
	case "unique_key":
		keys, err := asStrings(key, value)
		if err != nil {
			return err
		}
		c.UniqueKey = keys
	case "pre_hook":
		hooks, err := asStrings(key, value)
		if err != nil {
			return err
		}
		c.PreHook = hooks
	case "post_hook":
		hooks, err := asStrings(key, value)
		if err != nil {
			return err
		}
		c.PostHook = hooks
	case "enabled":
		b, ok := value.(bool)
		if !ok {
			return fmt.Errorf("enabled must be true or false")
		}
		c.Enabled = b
	case "full_refresh":
		b, ok := value.(bool)
		if !ok {
			return fmt.Errorf("full_refresh must be true or false")
		}
		c.FullRefresh = &b
	case "column_types":
		m, ok := value.(map[string]any)
		if !ok {
			return fmt.Errorf("column_types must be a mapping of column name to type")
		}
		if c.ColumnTypes == nil {
			c.ColumnTypes = map[string]string{}
		}
		for k, v := range m {
			s, err := asString("column_types."+k, v)
			if err != nil {
				return err
			}
			c.ColumnTypes[k] = s
		}
	case "contract":
		m, ok := value.(map[string]any)
		if !ok {
			return fmt.Errorf("contract must be a mapping such as {enforced: true}")
		}
		b, ok := m["enforced"].(bool)
		if !ok {
			return fmt.Errorf("contract.enforced must be true or false")
		}
		c.ContractEnforced = b
	case "meta":
		m, ok := value.(map[string]any)
		if !ok {
			return fmt.Errorf("meta must be a mapping")
		}
		if c.Meta == nil {
			c.Meta = map[string]any{}
		}
		for k, v := range m {
			c.Meta[k] = v
		}
	default:
		if !passiveKeys[key] {
			return &ErrUnknownKey{Key: key, Suggestion: diag.Suggest(key, configKeys())}
		}
		if c.Other == nil {
			c.Other = map[string]any{}
		}
		c.Other[key] = value
	}
	return nil
}

// Get returns the value of a configuration key as templates see it
// (config.get): a key Config holds under its dbt name, as it encodes in
// the manifest, or a key kept in Other. A key left empty is not set.
func (c Config) Get(key string) (any, bool) {
	if v, ok := c.Other[key]; ok {
		return v, true
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, false
	}
	var fields map[string]any
	if json.Unmarshal(b, &fields) != nil || key == "other" {
		return nil, false
	}
	v, ok := fields[key]
	return v, ok
}

// Clone returns a deep enough copy that applying settings to it leaves c
// unchanged.
func (c Config) Clone() Config {
	out := c
	out.Tags = append([]string(nil), c.Tags...)
	out.UniqueKey = append([]string(nil), c.UniqueKey...)
	out.PreHook = append([]string(nil), c.PreHook...)
	out.PostHook = append([]string(nil), c.PostHook...)
	out.ColumnTypes = cloneMap(c.ColumnTypes)
	out.Meta = cloneMap(c.Meta)
	out.Other = cloneMap(c.Other)
	return out
}

func cloneMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func setString(dst *string, key string, value any) error {
	s, err := asString(key, value)
	if err != nil {
		return err
	}
	*dst = s
	return nil
}

func asString(key string, value any) (string, error) {
	switch v := value.(type) {
	case string:
		return v, nil
	case int64, int, float64, uint64:
		return fmt.Sprint(v), nil
	}
	return "", fmt.Errorf("%s must be a string", key)
}

func asStrings(key string, value any) ([]string, error) {
	switch v := value.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []string:
		return append([]string(nil), v...), nil
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			s, err := asString(key, item)
			if err != nil {
				return nil, fmt.Errorf("%s must be a string or a list of strings", key)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s must be a string or a list of strings", key)
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}
