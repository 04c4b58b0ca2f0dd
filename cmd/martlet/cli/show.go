package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	ucli "github.com/urfave/cli/v2"

	"martlet/compiler/manifest"
	"martlet/runner/adapter"
)

func showCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "show",
		Usage: "preview a model's rows (-s MODEL) or an inline query (--inline SQL) without materializing anything",
		Flags: []ucli.Flag{
			selectFlag, excludeFlag, stateFlag, deferFlag, resourceType,
			&ucli.StringFlag{Name: "inline", Usage: "SQL to preview; ref() and source() work"},
			&ucli.IntFlag{Name: "limit", Value: 5, Usage: "rows to show (0 for all)"},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "text, csv or json"},
		},
		Action: showAction,
	}
}

func showAction(c *ucli.Context) error {
	format := c.String("output")
	if format != "text" && format != "csv" && format != "json" {
		return usageErrorf("martlet show: --output must be text, csv or json, not %q", format)
	}
	inline := c.String("inline")
	if (inline == "") == (len(c.StringSlice("select")) == 0) {
		return usageErrorf("martlet show: give either -s MODEL or --inline SQL")
	}
	s, ids, err := compileAndSelect(c)
	if err != nil {
		return err
	}
	sql, err := s.previewSQL(c, inline, ids)
	if err != nil {
		return err
	}
	ad, err := s.openAdapter(c.Context)
	if err != nil {
		return &exitError{code: ExitFailure, msg: "martlet: " + err.Error()}
	}
	defer ad.Close()
	rows, err := ad.Query(c.Context, sql, c.Int("limit"))
	if err != nil {
		return &exitError{code: ExitFailure, msg: "martlet show: " + err.Error()}
	}
	switch format {
	case "csv":
		return writeCSV(c.App.Writer, rows)
	case "json":
		return writeJSONRows(c.App.Writer, rows)
	}
	fmt.Fprintf(c.App.Writer, "Previewing %s (%d %s):\n", s.previewName(inline, ids), len(rows.Values), plural(len(rows.Values), "row", "rows"))
	writeTable(c.App.Writer, rows)
	return nil
}

// previewSQL is the query show runs: the inline SQL rendered, or the one
// selected model's compiled SQL.
func (s *session) previewSQL(c *ucli.Context, inline string, ids []string) (string, error) {
	if inline != "" {
		sql, ds := s.result.RenderInline(inline)
		printDiagnostics(c, ds)
		if ds.HasErrors() {
			return "", errFailed
		}
		return sql, nil
	}
	var picked []*manifest.Node
	for _, id := range ids {
		if n := s.result.Manifest.Node(id); n.Kind != manifest.Test {
			picked = append(picked, n)
		}
	}
	if len(picked) != 1 {
		return "", usageErrorf("martlet show: -s must select exactly one model or seed, it selects %d", len(picked))
	}
	n := picked[0]
	if n.Kind == manifest.Seed {
		return "select * from " + n.Relation.String(), nil
	}
	return n.CompiledSQL, nil
}

func (s *session) previewName(inline string, ids []string) string {
	if inline != "" {
		return "inline query"
	}
	for _, id := range ids {
		if n := s.result.Manifest.Node(id); n.Kind != manifest.Test {
			return n.Name
		}
	}
	return ""
}

// cellText renders a value for the text and CSV outputs.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// isNumeric reports whether a value is a number, to right-align it:
// Go numbers, HUGEINTs (*big.Int) and DECIMALs (which have Float64).
func isNumeric(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, *big.Int:
		return true
	}
	_, isDecimal := v.(interface{ Float64() float64 })
	return isDecimal
}

// writeTable prints rows as an aligned table, numbers right-aligned.
func writeTable(w io.Writer, rows *adapter.Rows) {
	widths := make([]int, len(rows.Columns))
	cells := make([][]string, len(rows.Values))
	for i, col := range rows.Columns {
		widths[i] = utf8.RuneCountInString(col.Name)
	}
	for r, row := range rows.Values {
		cells[r] = make([]string, len(row))
		for i, v := range row {
			cells[r][i] = cellText(v)
			widths[i] = max(widths[i], utf8.RuneCountInString(cells[r][i]))
		}
	}
	var b bytes.Buffer
	line := func(parts []string, right []bool) {
		b.WriteString("|")
		for i, p := range parts {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(p))
			if right != nil && right[i] {
				b.WriteString(" " + pad + p + " |")
			} else {
				b.WriteString(" " + p + pad + " |")
			}
		}
		b.WriteString("\n")
	}
	header := make([]string, len(rows.Columns))
	rule := make([]string, len(rows.Columns))
	for i, col := range rows.Columns {
		header[i] = col.Name
		rule[i] = strings.Repeat("-", widths[i])
	}
	line(header, nil)
	line(rule, nil)
	for r, row := range rows.Values {
		right := make([]bool, len(row))
		for i, v := range row {
			right[i] = isNumeric(v)
		}
		line(cells[r], right)
	}
	w.Write(b.Bytes())
}

func writeCSV(w io.Writer, rows *adapter.Rows) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(rows.Columns))
	for i, col := range rows.Columns {
		header[i] = col.Name
	}
	cw.Write(header)
	for _, row := range rows.Values {
		rec := make([]string, len(row))
		for i, v := range row {
			if v != nil {
				rec[i] = cellText(v)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// writeJSONRows prints a JSON array of objects whose keys keep the
// columns' order.
func writeJSONRows(w io.Writer, rows *adapter.Rows) error {
	var b bytes.Buffer
	b.WriteString("[")
	for r, row := range rows.Values {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for i, v := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			key, _ := json.Marshal(rows.Columns[i].Name)
			val, err := json.Marshal(jsonValue(v, rows.Columns[i].Type))
			if err != nil {
				val, _ = json.Marshal(cellText(v))
			}
			b.Write(key)
			b.WriteString(": ")
			b.Write(val)
		}
		b.WriteString("}")
	}
	b.WriteString("\n]\n")
	_, err := w.Write(b.Bytes())
	return err
}

// jsonValue is v as JSON shows it: times as text, bytes as a string, and
// exact decimals (which adapters give as text) as numbers.
func jsonValue(v any, dbType string) any {
	switch x := v.(type) {
	case time.Time:
		return cellText(x)
	case []byte:
		return string(x)
	case string:
		t := strings.ToUpper(dbType)
		if (strings.HasPrefix(t, "DECIMAL") || strings.HasPrefix(t, "NUMERIC")) && json.Valid([]byte(x)) {
			return json.RawMessage(x)
		}
	}
	return v
}
