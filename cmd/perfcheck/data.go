package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// manifestNode is the part of a target/manifest.json node that the plain
// DuckDB baseline needs.
type manifestNode struct {
	Kind         string `json:"resource_type"`
	CompiledPath string `json:"compiled_path"`
	Relation     struct {
		Schema string `json:"schema"`
		Name   string `json:"name"`
	} `json:"relation"`
	Config struct {
		Materialized string `json:"materialized"`
	} `json:"config"`
}

// tableStatements reads the manifest and compiled SQL of the project in
// dir and returns a CREATE OR REPLACE TABLE statement for every table
// model, in the manifest's (dependency) order.
func tableStatements(dir string) ([]string, error) {
	path := filepath.Join(dir, "target", "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m struct {
		Nodes []manifestNode `json:"nodes"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var stmts []string
	for _, n := range m.Nodes {
		if n.Kind != "model" || n.Config.Materialized != "table" {
			continue
		}
		sql, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n.CompiledPath)))
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, "CREATE OR REPLACE TABLE "+quoteIdent(n.Relation.Schema)+"."+quoteIdent(n.Relation.Name)+" AS\n"+string(sql))
	}
	if len(stmts) == 0 {
		return nil, fmt.Errorf("%s: no table models", path)
	}
	return stmts, nil
}

// quoteIdent quotes a SQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// statuses are the values of the big seed's status column.
var statuses = []string{"placed", "shipped", "delivered", "returned", "cancelled"}

// writeBigCSV writes a deterministic CSV of rows rows and six columns: an
// int, a varchar, a timestamp, a double, a varchar and an int.
func writeBigCSV(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id,customer,ordered_at,amount,status,quantity\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var line []byte
	for i := 1; i <= rows; i++ {
		line = strconv.AppendInt(line[:0], int64(i), 10)
		line = append(line, ",customer_"...)
		line = strconv.AppendInt(line, int64(i*7919%100_000), 10)
		line = append(line, ',')
		line = start.Add(time.Duration(i*37)*time.Second).AppendFormat(line, "2006-01-02 15:04:05")
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(i%10_000), 10)
		line = append(line, '.')
		line = strconv.AppendInt(line, int64(10+i%90), 10)
		line = append(line, ',')
		line = append(line, statuses[i%len(statuses)]...)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(i*31%1000), 10)
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// thousands formats n with comma thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
