package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/rogpeppe/go-internal/testscript"

	"martlet/cmd/martlet/cli"
)

// TestScripts runs the end-to-end golden cases in testdata/script: each
// .txtar file is a small project plus a script of martlet commands and the
// output, compiled SQL and table contents they must produce. Commands:
//
//	martlet ARGS...   run the CLI in-process in the script's directory
//	exit N            the last martlet command exited with code N
//	query SQL         print the rows of SQL on target/dev.duckdb, tab-separated
//
// Run with -update to rewrite the expected files of failing cmp lines.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"martlet": runMartlet,
			"exit":    checkExit,
			"query":   queryDuckDB,
		},
	})
}

func runMartlet(ts *testscript.TestScript, neg bool, args []string) {
	var stdout, stderr bytes.Buffer
	// The CLI runs in this process, whose working directory is not the
	// script's: the script's directory (or its -C, resolved there) is the
	// project directory.
	dir := ts.MkAbs(".")
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		if (args[i] == "-C" || args[i] == "--project-dir") && i+1 < len(args) {
			dir = ts.MkAbs(args[i+1])
			i++
			continue
		}
		rest = append(rest, args[i])
	}
	full := append([]string{"--project-dir", dir, "--no-color"}, rest...)
	code := cli.Run(context.Background(), full, &stdout, &stderr)
	ts.Stdout().Write(stdout.Bytes())
	ts.Stderr().Write(stderr.Bytes())
	ts.Setenv("MARTLET_EXIT", strconv.Itoa(code))
	if neg && code == 0 {
		ts.Fatalf("martlet %s: exit 0, want failure", strings.Join(args, " "))
	}
	if !neg && code != 0 {
		ts.Fatalf("martlet %s: exit %d\nstderr:\n%s", strings.Join(args, " "), code, stderr.String())
	}
}

func checkExit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: exit N")
	}
	if got := ts.Getenv("MARTLET_EXIT"); got != args[0] {
		ts.Fatalf("exit code %s, want %s", got, args[0])
	}
}

func queryDuckDB(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: query SQL")
	}
	out, err := duckRows(filepath.Join(ts.MkAbs("."), "target", "dev.duckdb"), args[0])
	printQuery(ts, neg, out, err)
}

// printQuery ends a query command: it prints the rendered rows out, or
// fails the script with err; negated (! query), it wants err instead.
func printQuery(ts *testscript.TestScript, neg bool, out string, err error) {
	if neg {
		if err == nil {
			ts.Fatalf("query succeeded, want failure")
		}
		return
	}
	ts.Check(err)
	ts.Stdout().Write([]byte(out))
}

// duckRows runs a query on a DuckDB file opened read-only and renders its
// rows tab-separated, one a line, NULL as NULL.
func duckRows(path, query string) (string, error) {
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return "", err
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		writeRow(&b, vals)
	}
	return b.String(), rows.Err()
}

// writeRow writes one row of values tab-separated on a line of its own,
// each as formatValue renders it.
func writeRow(b *strings.Builder, vals []any) {
	for i, v := range vals {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(formatValue(v))
	}
	b.WriteByte('\n')
}

// formatValue prints a value as the DuckDB CLI would: dates without a
// time of day, NULL for null.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprint(v)
}
