package project

import "testing"

func TestRenderEnvVars(t *testing.T) {
	t.Setenv("MARTLET_T_HOST", "db.internal")
	t.Setenv("MARTLET_T_PORT", " 5433 ")
	t.Setenv("MARTLET_T_RATIO", "2.9")
	t.Setenv("MARTLET_T_EMPTY", "")
	tests := []struct{ in, want, err string }{
		{in: "plain text", want: "plain text"},
		{in: "{not jinja}", want: "{not jinja}"},
		{in: "{{ env_var('MARTLET_T_HOST') }}", want: "db.internal"},
		{in: `{{env_var("MARTLET_T_HOST")}}`, want: "db.internal"},
		{in: "{{ env_var('MARTLET_T_UNSET', 'fallback') }}", want: "fallback"},
		{in: "{{ env_var('MARTLET_T_UNSET', default='kw') }}", want: "kw"},
		{in: "{{ env_var('MARTLET_T_UNSET', 4) | int }}", want: "4"},
		{in: `{{ env_var('MARTLET_T_UNSET', 'it\'s') }}`, want: "it's"},
		{in: "{{ env_var('MARTLET_T_EMPTY', 'unused') }}", want: ""},
		{in: "{{ env_var('MARTLET_T_PORT') | as_number }}", want: "5433"},
		{in: "{{ env_var('MARTLET_T_RATIO') | int }}", want: "2"},
		{in: "{{ env_var('MARTLET_T_RATIO') | float }}", want: "2.9"},
		{in: "{{ env_var('MARTLET_T_HOST') | as_text | string }}", want: "db.internal"},
		{in: "host={{ env_var('MARTLET_T_HOST') }}:{{ env_var('MARTLET_T_UNSET', '1') }}", want: "host=db.internal:1"},
		{in: "a  {{- env_var('MARTLET_T_HOST') -}}  b", want: "adb.internalb"},
		{in: "{{ env_var('MARTLET_T_UNSET') }}", err: `environment variable "MARTLET_T_UNSET" is not set (env_var() without a default)`},
		{in: "{{ env_var('MARTLET_T_HOST') | as_number }}", err: `env_var("MARTLET_T_HOST") is "db.internal", not a number (| as_number)`},
		{in: "{{ env_var('MARTLET_T_HOST') | upper }}", err: `unsupported filter "upper" on env_var("MARTLET_T_HOST"): use as_number, int, float, as_text, as_bool or string`},
		{in: "{{ env_var('MARTLET_T_HOST') | }}", err: `missing filter name after | in {{ env_var("MARTLET_T_HOST") }}`},
		{in: "{{ var('x') }}", err: "unsupported expression {{ var('x') }}: only env_var('NAME') or env_var('NAME', 'default') is supported here"},
		{in: "{{ env_var(NAME) }}", err: "unsupported expression {{ env_var(NAME) }}: only env_var('NAME') or env_var('NAME', 'default') is supported here"},
		{in: "{{ env_var('A' }}", err: "unsupported expression {{ env_var('A' }}: only env_var('NAME') or env_var('NAME', 'default') is supported here"},
		{in: "{{ env_var('MARTLET_T_HOST') ~ 'x' }}", err: "unsupported expression {{ env_var('MARTLET_T_HOST') ~ 'x' }}: only env_var('NAME') or env_var('NAME', 'default') is supported here"},
		{in: "{{ env_var('MARTLET_T_HOST')", err: `unclosed {{ in "{{ env_var('MARTLET_T_HOST')"`},
		{in: "{# note #}x", err: `unsupported template tag "{#": only {{ env_var(...) }} is supported here`},
	}
	for _, tt := range tests {
		got, err := renderEnvVars(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("renderEnvVars(%q) error = %v, want %s", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("renderEnvVars(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
