package project

import (
	"errors"
	"reflect"
	"sort"
	"testing"
)

func TestApply(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		key   string
		value any
		want  Config
	}{
		{"materialized", "table", Config{Materialized: "table"}},
		{"+materialized", "incremental", Config{Materialized: "incremental"}},
		{"materialized", "ephemeral", Config{Materialized: "ephemeral"}},
		{"materialized", "snapshot", Config{Materialized: "snapshot"}},
		{"schema", "analytics", Config{Schema: "analytics"}},
		{"schema", int64(7), Config{Schema: "7"}},
		{"alias", 2.5, Config{Alias: "2.5"}},
		{"alias", uint64(9), Config{Alias: "9"}},
		{"tags", "nightly", Config{Tags: []string{"nightly"}}},
		{"tags", []any{"a", int64(1), "a"}, Config{Tags: []string{"a", "1"}}},
		{"tags", nil, Config{}},
		{"unique_key", "id", Config{UniqueKey: []string{"id"}}},
		{"unique-key", []string{"id", "day"}, Config{UniqueKey: []string{"id", "day"}}},
		{"pre-hook", "select 1", Config{PreHook: []string{"select 1"}}},
		{"+post-hook", []any{"a", "b"}, Config{PostHook: []string{"a", "b"}}},
		{"enabled", false, Config{Enabled: false}},
		{"full_refresh", true, Config{FullRefresh: &yes}},
		{"full-refresh", false, Config{FullRefresh: &no}},
		{"column_types", map[string]any{"a": "int", "b": int64(3)}, Config{ColumnTypes: map[string]string{"a": "int", "b": "3"}}},
		{"severity", "WARN", Config{Severity: "warn"}},
		{"severity", "error", Config{Severity: "error"}},
		{"on_schema_change", "append_new_columns", Config{OnSchemaChange: "append_new_columns"}},
		{"on-schema-change", "full_refresh", Config{OnSchemaChange: "full_refresh"}},
		{"incremental_strategy", "merge", Config{IncrementalStrategy: "merge"}},
		{"contract", map[string]any{"enforced": true}, Config{ContractEnforced: true}},
		{"meta", map[string]any{"owner": "data"}, Config{Meta: map[string]any{"owner": "data"}}},
		{"strategy", "timestamp", Config{Other: map[string]any{"strategy": "timestamp"}}},
		{"+grants", map[string]any{"select": []any{"r"}}, Config{Other: map[string]any{"grants": map[string]any{"select": []any{"r"}}}}},
		{"snapshot-meta-column-names", nil, Config{Other: map[string]any{"snapshot_meta_column_names": nil}}},
	}
	for _, tt := range tests {
		c := Config{}
		if err := c.Apply(tt.key, tt.value); err != nil {
			t.Errorf("Apply(%q, %#v): %v", tt.key, tt.value, err)
			continue
		}
		if tt.key == "enabled" {
			tt.want.Enabled = false
		}
		if !reflect.DeepEqual(c, tt.want) {
			t.Errorf("Apply(%q, %#v) = %+v, want %+v", tt.key, tt.value, c, tt.want)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		key   string
		value any
		want  string
	}{
		{"materialized", "tabel", `unknown materialization "tabel" (use view, table, incremental or ephemeral)`},
		{"materialized", []any{"table"}, "materialized must be a string"},
		{"materialized", true, "materialized must be a string"},
		{"schema", map[string]any{}, "schema must be a string"},
		{"alias", nil, "alias must be a string"},
		{"severity", "fatal", `severity must be warn or error, not "fatal"`},
		{"severity", []any{}, "severity must be a string"},
		{"on_schema_change", "drop", "on_schema_change must be ignore, fail, append_new_columns, sync_all_columns or full_refresh, not \"drop\""},
		{"on_schema_change", false, "on_schema_change must be a string"},
		{"incremental_strategy", []any{"a"}, "incremental_strategy must be a string"},
		{"tags", []any{map[string]any{"a": 1}}, "tags must be a string or a list of strings"},
		{"tags", map[string]any{}, "tags must be a string or a list of strings"},
		{"unique_key", true, "unique_key must be a string or a list of strings"},
		{"pre_hook", []any{nil}, "pre_hook must be a string or a list of strings"},
		{"post-hook", 3.0, "post_hook must be a string or a list of strings"},
		{"enabled", "yes", "enabled must be true or false"},
		{"full_refresh", int64(1), "full_refresh must be true or false"},
		{"column_types", []any{"a"}, "column_types must be a mapping of column name to type"},
		{"column_types", map[string]any{"a": []any{}}, "column_types.a must be a string"},
		{"contract", true, "contract must be a mapping such as {enforced: true}"},
		{"contract", map[string]any{"enforced": "yes"}, "contract.enforced must be true or false"},
		{"contract", map[string]any{}, "contract.enforced must be true or false"},
		{"meta", "owner", "meta must be a mapping"},
	}
	for _, tt := range tests {
		c := NewConfig()
		err := c.Apply(tt.key, tt.value)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Apply(%q, %#v) = %v, want %q", tt.key, tt.value, err, tt.want)
		}
		var unknown *ErrUnknownKey
		if errors.As(err, &unknown) {
			t.Errorf("Apply(%q): a bad value is not an unknown key", tt.key)
		}
	}
}

func TestApplyUnknownKey(t *testing.T) {
	tests := []struct {
		key, wantKey, suggestion, msg string
	}{
		{"+materialised", "materialised", "materialized", `unknown config key "materialised" (did you mean "materialized"?)`},
		{"uniqe_key", "uniqe_key", "unique_key", `unknown config key "uniqe_key" (did you mean "unique_key"?)`},
		{"post-hok", "post_hok", "post_hook", `unknown config key "post_hok" (did you mean "post_hook"?)`},
		{"frobnicate", "frobnicate", "", `unknown config key "frobnicate"`},
		{"", "", "", `unknown config key ""`},
	}
	for _, tt := range tests {
		c := NewConfig()
		err := c.Apply(tt.key, "x")
		var unknown *ErrUnknownKey
		if !errors.As(err, &unknown) {
			t.Errorf("Apply(%q) = %v, want *ErrUnknownKey", tt.key, err)
			continue
		}
		if unknown.Key != tt.wantKey || unknown.Suggestion != tt.suggestion || err.Error() != tt.msg {
			t.Errorf("Apply(%q) = %+v (%q), want key %q suggestion %q msg %q", tt.key, unknown, err, tt.wantKey, tt.suggestion, tt.msg)
		}
		if !reflect.DeepEqual(c, NewConfig()) {
			t.Errorf("Apply(%q) changed the config: %+v", tt.key, c)
		}
	}
}

func TestApplyLayers(t *testing.T) {
	c := NewConfig()
	steps := []struct {
		key   string
		value any
	}{
		{"materialized", "view"}, {"tags", []any{"a", "b"}}, {"meta", map[string]any{"x": 1}},
		{"column_types", map[string]any{"a": "int"}},
		{"materialized", "table"}, {"tags", "b"}, {"tags", []any{"c"}}, {"meta", map[string]any{"y": 2}},
		{"column_types", map[string]any{"b": "text"}}, {"unique_key", "id"}, {"unique_key", []any{"k"}},
	}
	for _, s := range steps {
		if err := c.Apply(s.key, s.value); err != nil {
			t.Fatal(err)
		}
	}
	want := Config{Materialized: "table", Enabled: true, Tags: []string{"a", "b", "c"}, UniqueKey: []string{"k"},
		Meta:        map[string]any{"x": 1, "y": 2},
		ColumnTypes: map[string]string{"a": "int", "b": "text"}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("layered config = %+v\nwant %+v", c, want)
	}
}

func TestCloneIsIndependent(t *testing.T) {
	fr := true
	c := Config{Tags: []string{"a"}, UniqueKey: []string{"id"}, PreHook: []string{"p"}, PostHook: []string{"q"},
		ColumnTypes: map[string]string{"a": "int"}, Meta: map[string]any{"m": 1}, Other: map[string]any{"o": 1}, FullRefresh: &fr}
	orig := c.Clone()
	d := c.Clone()
	for _, kv := range []struct {
		k string
		v any
	}{{"tags", "b"}, {"meta", map[string]any{"m": 2}}, {"column_types", map[string]any{"a": "text"}}, {"strategy", "x"}} {
		if err := d.Apply(kv.k, kv.v); err != nil {
			t.Fatal(err)
		}
	}
	d.UniqueKey[0], d.PreHook[0], d.PostHook[0] = "changed", "changed", "changed"
	if !reflect.DeepEqual(c, orig) {
		t.Errorf("applying to a clone changed the original:\n%+v\n%+v", c, orig)
	}
	if empty := (Config{}).Clone(); empty.Meta != nil || empty.ColumnTypes != nil || empty.Other != nil {
		t.Errorf("clone of empty maps must stay nil: %+v", empty)
	}
}

func TestNewConfigAndConfigKeys(t *testing.T) {
	if c := NewConfig(); !reflect.DeepEqual(c, Config{Enabled: true}) {
		t.Errorf("NewConfig() = %+v", c)
	}
	keys := configKeys()
	if !sort.StringsAreSorted(keys) {
		t.Error("configKeys must be sorted")
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("duplicate config key %q", k)
		}
		seen[k] = true
		// Every listed key is accepted by Apply (with some value).
		c := NewConfig()
		var unknown *ErrUnknownKey
		if err := c.Apply(k, "x"); errors.As(err, &unknown) {
			t.Errorf("listed key %q is unknown to Apply", k)
		}
	}
	if len(keys) != 19+len(passiveKeys) {
		t.Errorf("configKeys has %d keys, want %d", len(keys), 19+len(passiveKeys))
	}
}

func TestNormalizeKey(t *testing.T) {
	for in, want := range map[string]string{"+pre-hook": "pre_hook", "materialized": "materialized", "+": "", "++a": "+a", "a-b-c": "a_b_c"} {
		if got := normalizeKey(in); got != want {
			t.Errorf("normalizeKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIncrementalStrategyAndUnappliedKeys(t *testing.T) {
	for _, s := range []string{"append", "delete+insert", "MERGE"} {
		c := NewConfig()
		if err := c.Apply("incremental_strategy", s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	c := NewConfig()
	if err := c.Apply("incremental_strategy", "microbatch"); err == nil {
		t.Error("microbatch must be refused")
	}
	if what, ok := Unapplied("+grants"); !ok || what == "" {
		t.Error("grants must be reported as not applied")
	}
	for _, key := range []string{"docs", "where", "strategy", "materialized"} {
		if _, ok := Unapplied(key); ok {
			t.Errorf("%s is applied or harmless, not unapplied", key)
		}
	}
	for key := range unappliedKeys {
		if !passiveKeys[key] {
			t.Errorf("unapplied key %s is not a passive key", key)
		}
	}
}
