package materialize

import (
	"strings"

	"martlet/runner/adapter"
)

// Column names and types, as the schema-change, contract and snapshot
// strategies compare them.

// sameName reports whether two column names name the same column on the
// adapter type: DuckDB identifiers are case-insensitive, PostgreSQL's (as
// the catalog reports them) exact.
func sameName(adapterType, a, b string) bool {
	if adapterType == "duckdb" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// findColumn returns the index of the column named name in cols, or -1.
func findColumn(adapterType string, cols []adapter.Column, name string) int {
	for i, c := range cols {
		if sameName(adapterType, c.Name, name) {
			return i
		}
	}
	return -1
}

// typeAliases maps type names, lowercased and without arguments, to one
// canonical name: the spellings DuckDB, PostgreSQL and dbt projects use
// for the same type.
var typeAliases = map[string]string{
	"int": "integer", "int4": "integer", "int32": "integer", "signed": "integer",
	"int8": "bigint", "int64": "bigint", "long": "bigint",
	"int2": "smallint", "int16": "smallint", "short": "smallint",
	"int1": "tinyint",
	"text": "varchar", "string": "varchar", "character varying": "varchar",
	"char": "varchar", "character": "varchar", "bpchar": "varchar",
	"float8": "double", "double precision": "double", "float64": "double",
	"float4": "real", "float32": "real",
	"numeric": "decimal", "bool": "boolean", "logical": "boolean", "bytea": "blob",
	"timestamp without time zone": "timestamp", "datetime": "timestamp",
	"timestamp with time zone": "timestamptz", "time without time zone": "time",
}

// typeArguments says what becomes of the arguments of the canonical types
// that take some: decimal keeps its precision and scale, the others (string
// lengths, fractional-second precisions) are dropped.
var typeArguments = map[string]bool{
	"decimal": true, "varchar": false, "timestamp": false, "timestamptz": false, "time": false,
}

// normalizeType returns the canonical form of a type name on the adapter
// type: lowercased, aliases resolved (int4 is integer, text is varchar,
// numeric(12,2) is decimal(12,2), timestamp without time zone is
// timestamp), string lengths dropped. float is PostgreSQL's double
// precision but DuckDB's real. Types it does not know are only lowercased.
func normalizeType(adapterType, t string) string {
	s := strings.Join(strings.Fields(strings.ToLower(t)), " ")
	var array string
	for strings.HasSuffix(s, "[]") {
		array += "[]"
		s = strings.TrimSpace(strings.TrimSuffix(s, "[]"))
	}
	base, args := s, ""
	if open := strings.IndexByte(s, '('); open >= 0 {
		if end := strings.IndexByte(s[open:], ')'); end >= 0 {
			base = strings.TrimSpace(s[:open] + s[open+end+1:])
			args = strings.ReplaceAll(s[open+1:open+end], " ", "")
		}
	}
	if base == "float" {
		base = "real"
		if adapterType == "postgres" {
			base = "double"
		}
	}
	if canon, ok := typeAliases[base]; ok {
		base = canon
	}
	keep, known := typeArguments[base]
	switch {
	case args == "":
	case !known:
		return s + array
	case keep:
		if !strings.Contains(args, ",") {
			args += ",0"
		}
		base += "(" + args + ")"
	}
	return base + array
}

// sameType reports whether two type names are the same type on the adapter
// type, once normalized. A decimal without precision matches every
// decimal, as a type written without precision (or an expression's
// PostgreSQL numeric) does not say which it is.
func sameType(adapterType, a, b string) bool {
	na, nb := normalizeType(adapterType, a), normalizeType(adapterType, b)
	if na == nb {
		return true
	}
	return (na == "decimal" && strings.HasPrefix(nb, "decimal(")) || (nb == "decimal" && strings.HasPrefix(na, "decimal("))
}

// quotedNames returns the quoted names of cols.
func quotedNames(cols []adapter.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = adapter.QuoteIdent(c.Name)
	}
	return out
}
