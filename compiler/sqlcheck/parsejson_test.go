package sqlcheck

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDuckDBParseJSON(t *testing.T) {
	c := newDuckDB(t)
	tree, serr := c.ParseJSON("select a, b + 1 as c from t;")
	if serr != nil {
		t.Fatalf("ParseJSON: %v", serr)
	}
	var doc struct {
		Error      bool `json:"error"`
		Statements []struct {
			Node struct {
				Type       string `json:"type"`
				SelectList []struct {
					Class       string   `json:"class"`
					Alias       string   `json:"alias"`
					ColumnNames []string `json:"column_names"`
				} `json:"select_list"`
			} `json:"node"`
		} `json:"statements"`
	}
	if err := json.Unmarshal([]byte(tree), &doc); err != nil {
		t.Fatalf("ParseJSON output is not JSON: %v", err)
	}
	if doc.Error || len(doc.Statements) != 1 {
		t.Fatalf("ParseJSON = %.200s, want one statement and no error", tree)
	}
	node := doc.Statements[0].Node
	if node.Type != "SELECT_NODE" || len(node.SelectList) != 2 ||
		node.SelectList[0].Class != "COLUMN_REF" || strings.Join(node.SelectList[0].ColumnNames, ".") != "a" ||
		node.SelectList[1].Alias != "c" {
		t.Errorf("ParseJSON parse tree = %+v, want columns a and c", node)
	}

	errTests := []struct {
		sql       string
		line, col int
		msg       string
	}{
		{"select 1\nfrom t where where", 2, 14, `syntax error at or near "where"`},
		{"select 1 into x", 1, 10, "SELECT INTO not supported"},
		{"select 1; select 2", 1, 11, SingleSelectMsg + ", found 2 statements"},
		{"insert into t values (1)", 1, 1, SingleSelectMsg + ", found INSERT"},
		{"select * from (pivot t on x using sum(y))", 1, 16, "DuckDB cannot serialize the parse tree"},
		{"select '\xff'", 1, 9, "invalid UTF-8"},
	}
	for _, tc := range errTests {
		tree, serr := c.ParseJSON(tc.sql)
		if serr == nil || tree != "" || serr.Line != tc.line || serr.Col != tc.col || !strings.Contains(serr.Msg, tc.msg) {
			t.Errorf("ParseJSON(%q) = %.40q, %v; want %d:%d: ...%s...", tc.sql, tree, serr, tc.line, tc.col, tc.msg)
		}
	}
}

func TestPostgresParseJSON(t *testing.T) {
	tree, serr := PostgresParseJSON("select a, b + 1 as c from t;")
	if serr != nil {
		t.Fatalf("PostgresParseJSON: %v", serr)
	}
	var doc struct {
		Stmts []struct {
			Stmt struct {
				SelectStmt *struct {
					TargetList []struct {
						ResTarget struct {
							Name string `json:"name"`
						} `json:"ResTarget"`
					} `json:"targetList"`
				} `json:"SelectStmt"`
			} `json:"stmt"`
		} `json:"stmts"`
	}
	if err := json.Unmarshal([]byte(tree), &doc); err != nil {
		t.Fatalf("PostgresParseJSON output is not JSON: %v", err)
	}
	if len(doc.Stmts) != 1 || doc.Stmts[0].Stmt.SelectStmt == nil || len(doc.Stmts[0].Stmt.SelectStmt.TargetList) != 2 ||
		doc.Stmts[0].Stmt.SelectStmt.TargetList[1].ResTarget.Name != "c" {
		t.Errorf("PostgresParseJSON = %.300s, want one SELECT of two columns, the second named c", tree)
	}

	errTests := []struct {
		sql       string
		line, col int
		msg       string
	}{
		{"select 1\nfrom t where where", 2, 14, `syntax error at or near "where"`},
		{"select 1 into x", 1, 10, "SELECT INTO not supported"},
		{"select 1; select 2", 1, 11, SingleSelectMsg + ", found 2 statements"},
		{"insert into t values (1)", 1, 1, SingleSelectMsg + ", found INSERT"},
	}
	for _, tc := range errTests {
		tree, serr := PostgresParseJSON(tc.sql)
		if serr == nil || tree != "" || serr.Line != tc.line || serr.Col != tc.col || !strings.Contains(serr.Msg, tc.msg) {
			t.Errorf("PostgresParseJSON(%q) = %.40q, %v; want %d:%d: ...%s...", tc.sql, tree, serr, tc.line, tc.col, tc.msg)
		}
	}
}
