package project

import (
	"reflect"
	"testing"
)

// keyVals flattens settings to "key=value@line:col" for comparison.
func keyVals(ss []Setting) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Key+"="+fmtValue(s.Value)+"@"+itoa(s.Pos.Line)+":"+itoa(s.Pos.Col))
	}
	return out
}

func fmtValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case string:
		return x
	case []any:
		s := "["
		for i, it := range x {
			if i > 0 {
				s += ","
			}
			s += fmtValue(it)
		}
		return s + "]"
	case map[string]any:
		if len(x) == 1 {
			for k, v := range x {
				return "{" + k + ":" + fmtValue(v) + "}"
			}
		}
		return "{...}"
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return itoa(int(x))
	}
	return "?"
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

const folderYML = `name: shop
models:
  +materialized: view
  shop:
    +tags: [from_wrapper]
    marts:
      +schema: marts
  marts:
    +materialized: table
    materialized: incremental
    +pre-hook: "select 1"
    column_types: {a: int}
    enabled: false
    core:
      orders:
        +unique_key: id
    finance:
  staging:
    +tags: stg
seeds:
  +column_types: {amount: "decimal(12,2)"}
  orders:
    +enabled: false
snapshots:
  +target_schema: snapshots
data_tests:
  +severity: warn
`

func TestFolderConfig(t *testing.T) {
	p := mustLoad(t, map[string]string{FileName: folderYML})
	tests := []struct {
		fc    *FolderConfig
		parts []string
		want  []string
	}{
		{p.Models, nil, []string{"materialized=view@3:3", "tags=[from_wrapper]@5:5"}},
		{p.Models, []string{"other"}, []string{"materialized=view@3:3", "tags=[from_wrapper]@5:5"}},
		{p.Models, []string{"marts", "orders"}, []string{"materialized=view@3:3", "tags=[from_wrapper]@5:5",
			"schema=marts@7:7", "materialized=table@9:5", "materialized=incremental@10:5", "pre_hook=select 1@11:5",
			"column_types={a:int}@12:5", "enabled=false@13:5", "finance=<nil>@17:5"}},
		{p.Models, []string{"marts", "core", "orders"}, []string{"materialized=view@3:3", "tags=[from_wrapper]@5:5",
			"schema=marts@7:7", "materialized=table@9:5", "materialized=incremental@10:5", "pre_hook=select 1@11:5",
			"column_types={a:int}@12:5", "enabled=false@13:5", "finance=<nil>@17:5", "unique_key=id@16:9"}},
		{p.Models, []string{"staging", "stg_a"}, []string{"materialized=view@3:3", "tags=[from_wrapper]@5:5", "tags=stg@19:5"}},
		{p.Seeds, []string{"orders"}, []string{"column_types={amount:decimal(12,2)}@21:3", "enabled=false@23:5"}},
		{p.Seeds, []string{"customers"}, []string{"column_types={amount:decimal(12,2)}@21:3"}},
		{p.Snapshots, []string{"s"}, []string{"target_schema=snapshots@25:3"}},
		{p.Tests, []string{"t"}, []string{"severity=warn@27:3"}},
	}
	for _, tt := range tests {
		if got := keyVals(tt.fc.SettingsFor(tt.parts)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SettingsFor(%q) =\n %q\nwant\n %q", tt.parts, got, tt.want)
		}
	}
	// `finance:` with no value is a setting, not a folder (a null value is
	// not a mapping); Apply then reports it as an unknown key.
	if got := p.Models.Children["marts"].Children["finance"]; got != nil {
		t.Errorf("finance became a folder: %+v", got)
	}
	for _, s := range p.Models.SettingsFor([]string{"marts", "x"}) {
		if s.Pos.File != FileName {
			t.Errorf("setting %s has file %q", s.Key, s.Pos.File)
		}
	}
}

func TestFolderConfigSettingsApply(t *testing.T) {
	p := mustLoad(t, map[string]string{FileName: folderYML})
	c := NewConfig()
	for _, s := range p.Models.SettingsFor([]string{"marts", "core", "orders"}) {
		err := c.Apply(s.Key, s.Value)
		if s.Key == "finance" {
			if _, ok := err.(*ErrUnknownKey); !ok || err.Error() != `unknown config key "finance"` {
				t.Errorf("Apply(finance) = %v, want an unknown-key error", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Apply(%s): %v", s.Key, err)
		}
	}
	if c.Materialized != "incremental" || c.Schema != "marts" || c.Enabled ||
		!reflect.DeepEqual(c.UniqueKey, []string{"id"}) || !reflect.DeepEqual(c.PreHook, []string{"select 1"}) ||
		!reflect.DeepEqual(c.Tags, []string{"from_wrapper"}) || c.ColumnTypes["a"] != "int" {
		t.Errorf("config = %+v", c)
	}
}

func TestFolderConfigEmptyAndOddKeys(t *testing.T) {
	// An empty key used to index key[0] and panic.
	p, ds := load(t, map[string]string{FileName: "name: shop\nmodels:\n  \"\": table\n  \"+\": 1\nseeds:\n"}, Options{})
	assertDiags(t, ds, nil)
	if got := keyVals(p.Models.Settings); !reflect.DeepEqual(got, []string{"=table@3:3", "=1@4:3"}) {
		t.Errorf("settings = %q", got)
	}
	if len(p.Seeds.Settings) != 0 || p.Seeds.Children != nil {
		t.Errorf("null seeds config = %+v", p.Seeds)
	}
}

func TestFolderConfigMergesRepeatedFolders(t *testing.T) {
	// The wrapper and the bare form name the same folder: both apply.
	p := mustLoad(t, map[string]string{FileName: "name: shop\nmodels:\n  marts:\n    +tags: [a]\n  shop:\n    marts:\n      +tags: [b]\n      sub:\n        +schema: s\n"})
	if got := keyVals(p.Models.SettingsFor([]string{"marts", "sub", "m"})); !reflect.DeepEqual(got, []string{"tags=[a]@4:5", "tags=[b]@7:7", "schema=s@9:9"}) {
		t.Errorf("merged settings = %q", got)
	}
}

func TestSettingsForStopsAtMissingFolder(t *testing.T) {
	fc := &FolderConfig{Settings: []Setting{{Key: "a"}}, Children: map[string]*FolderConfig{
		"x": {Settings: []Setting{{Key: "b"}}, Children: map[string]*FolderConfig{"y": {Settings: []Setting{{Key: "c"}}}}},
	}}
	tests := []struct {
		parts []string
		want  []string
	}{
		{nil, []string{"a"}},
		{[]string{"x"}, []string{"a", "b"}},
		{[]string{"x", "y"}, []string{"a", "b", "c"}},
		{[]string{"x", "y", "z", "w"}, []string{"a", "b", "c"}},
		{[]string{"y", "x"}, []string{"a"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range fc.SettingsFor(tt.parts) {
			got = append(got, s.Key)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SettingsFor(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
	var empty FolderConfig
	if got := empty.SettingsFor([]string{"a"}); got != nil {
		t.Errorf("empty config gave %v", got)
	}
}

func TestIsMapValuedKey(t *testing.T) {
	for key, want := range map[string]bool{
		"column_types": true, "+column_types": true, "column-types": true, "meta": true, "contract": true,
		"docs": true, "persist_docs": true, "grants": true, "quoting": true, "marts": false, "tags": false,
	} {
		if got := isMapValuedKey(key); got != want {
			t.Errorf("isMapValuedKey(%q) = %v, want %v", key, got, want)
		}
	}
}
