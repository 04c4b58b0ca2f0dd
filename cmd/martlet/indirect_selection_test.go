package main

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestIndirectSelectionEnv checks that DBT_INDIRECT_SELECTION sets the
// mode as in dbt, that --indirect-selection wins over it, and that an
// unknown value in it is a usage error. The golden script cannot set the
// environment of the in-process CLI, so this runs the script's project.
func TestIndirectSelectionEnv(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/script/indirect_selection.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	want := map[string]string{}
	for _, f := range ar.Files {
		if name, ok := strings.CutPrefix(f.Name, "want/"); ok {
			want[name] = string(f.Data)
		} else {
			files[f.Name] = string(f.Data)
		}
	}
	dir := writeFiles(t, files)

	t.Setenv("DBT_INDIRECT_SELECTION", "cautious")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ls", "-s", "orders"}, want["orders.txt"]},
		{[]string{"ls", "-s", "orders", "--indirect-selection", "eager"}, want["eager.txt"]},
		{[]string{"--indirect-selection", "buildable", "ls", "-s", "orders"}, want["buildable.txt"]},
	} {
		stdout, stderr, code := martlet(t, dir, tc.args...)
		if code != 0 || stdout != tc.want {
			t.Errorf("DBT_INDIRECT_SELECTION=cautious martlet %s: exit %d\n%s%s\nwant\n%s",
				strings.Join(tc.args, " "), code, stdout, stderr, tc.want)
		}
	}

	t.Setenv("DBT_INDIRECT_SELECTION", "bogus")
	const msg = `martlet: --indirect-selection: invalid value "bogus"; the valid values are eager, cautious, buildable and empty` + "\n"
	for _, cmd := range []string{"ls", "compile", "build"} {
		stdout, stderr, code := martlet(t, dir, cmd)
		if code != 2 || stderr != msg || stdout != "" {
			t.Errorf("DBT_INDIRECT_SELECTION=bogus martlet %s: exit %d, stdout %q, stderr %q; want exit 2 and %q",
				cmd, code, stdout, stderr, msg)
		}
	}
}
