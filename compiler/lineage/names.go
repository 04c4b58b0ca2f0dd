package lineage

import (
	"strings"
)

// pgColname names an unaliased SELECT item as PostgreSQL does
// (FigureColname in parse_target.c): the column or function name, a cast's
// operand's name (else its type's), a CASE's ELSE name (else "case").
// strength is 2 for a good name, 1 for a fallback and 0 for none, as there.
func pgColname(e *expr) (name string, strength int) {
	if e == nil {
		return "", 0
	}
	switch e.kind {
	case eCol, eFunc:
		return e.name, 2
	case eCast:
		if len(e.args) > 0 {
			if n, s := pgColname(e.args[0]); s > 1 {
				return n, s
			}
		}
		return e.name, 1
	case eCase:
		if len(e.args)%2 == 1 {
			if n, s := pgColname(e.args[len(e.args)-1]); s > 1 {
				return n, s
			}
		}
		return "case", 1
	case eSub:
		switch e.name {
		case "exists", "array":
			return e.name, 2
		case "expr":
			if t := firstTarget(e.sub); t != nil {
				if t.alias != "" {
					return t.alias, 2
				}
				if n, _ := pgColname(t.e); n != "" {
					return n, 2
				}
			}
			return "?column?", 2
		}
	case eOther:
		if e.pgName != "" {
			return e.pgName, 2
		}
	}
	return "", 0
}

// firstTarget returns the first SELECT item of a query's leftmost SELECT.
func firstTarget(q *query) *target {
	for q != nil && q.sel == nil {
		q = q.left
	}
	if q == nil || len(q.sel.targets) == 0 {
		return nil
	}
	return q.sel.targets[0]
}

// pgFuncNodeName is the name PostgreSQL gives a function-like node that
// pgReader reads generically; "" if it has none.
func pgFuncNodeName(typ, op string) string {
	switch typ {
	case "XmlExpr":
		if op != "IS_DOCUMENT" {
			return strings.ToLower(strings.TrimPrefix(op, "IS_"))
		}
	case "XmlSerialize":
		return "xmlserialize"
	case "JsonObjectConstructor":
		return "json_object"
	case "JsonArrayConstructor", "JsonArrayQueryConstructor":
		return "json_array"
	case "JsonObjectAgg":
		return "json_objectagg"
	case "JsonArrayAgg":
		return "json_arrayagg"
	case "JsonParseExpr":
		return "json"
	case "JsonScalarExpr":
		return "json_scalar"
	case "JsonSerializeExpr":
		return "json_serialize"
	case "JsonFuncExpr":
		return strings.ToLower(strings.TrimSuffix(op, "_OP"))
	}
	return ""
}

// duckName names an unaliased SELECT item as DuckDB does: by the text of
// the expression as DuckDB prints it, e.g. "count_star()", "(x + 1)",
// "CAST(x AS INTEGER)". It is exact for column references, literals,
// function calls, operators, casts and CASE; approximate for window
// functions, FILTER and subqueries.
func duckName(e *expr) string {
	var b strings.Builder
	printDuck(&b, e)
	return b.String()
}

// duckTypes maps PostgreSQL's type names to DuckDB's, as DuckDB prints
// them in a cast.
var duckTypes = map[string]string{
	"int4": "INTEGER", "int": "INTEGER", "integer": "INTEGER", "int8": "BIGINT", "bigint": "BIGINT",
	"int2": "SMALLINT", "smallint": "SMALLINT", "float4": "FLOAT", "real": "FLOAT", "float": "FLOAT",
	"float8": `"DOUBLE"`, "double": `"DOUBLE"`, "numeric": "DECIMAL", "decimal": "DECIMAL",
	"text": "VARCHAR", "varchar": "VARCHAR", "bpchar": "VARCHAR", "string": "VARCHAR", "bool": "BOOLEAN",
	"boolean": "BOOLEAN", "date": `"DATE"`, "timestamp": "TIMESTAMP", "timestamptz": "TIMESTAMP WITH TIME ZONE",
	"time": "TIME", "interval": "INTERVAL", "uuid": "UUID", "json": `"JSON"`, "blob": "BLOB",
	"bytea": "BLOB", "hugeint": "HUGEINT",
}

// duckOps maps PostgreSQL operator spellings to DuckDB's.
var duckOps = map[string]string{"<>": "!="}

func printDuck(b *strings.Builder, e *expr) {
	if e == nil {
		b.WriteString("NULL")
		return
	}
	switch e.kind {
	case eCol:
		for _, q := range e.qual {
			b.WriteString(duckIdent(q))
			b.WriteByte('.')
		}
		b.WriteString(duckIdent(e.name))
	case eStar:
		for _, q := range e.qual {
			b.WriteString(duckIdent(q))
			b.WriteByte('.')
		}
		b.WriteByte('*')
	case eConst:
		if e.name == "true" || e.name == "false" {
			b.WriteString("CAST('" + e.name[:1] + "' AS BOOLEAN)")
		} else {
			b.WriteString(e.name)
		}
	case eFunc:
		printDuckFunc(b, e)
	case eOp:
		printDuckOp(b, e)
	case eCast:
		b.WriteString("CAST(")
		if len(e.args) > 0 {
			printDuck(b, e.args[0])
		}
		b.WriteString(" AS ")
		t, ok := duckTypes[e.name]
		if !ok {
			t = strings.ToUpper(e.name)
			if t == "DATE" || t == "DOUBLE" || t == "JSON" {
				t = `"` + t + `"`
			}
		}
		b.WriteString(t)
		if len(e.hidden) > 0 {
			b.WriteByte('(')
			printList(b, e.hidden)
			b.WriteByte(')')
		}
		b.WriteByte(')')
	case eCase:
		b.WriteString("CASE ")
		for i := 0; i+1 < len(e.args); i += 2 {
			b.WriteString(" WHEN (")
			if len(e.hidden) > 0 {
				printDuck(b, newExpr(eOp, "=", e.hidden[0], e.args[i]))
			} else {
				printDuck(b, e.args[i])
			}
			b.WriteString(") THEN (")
			printDuck(b, e.args[i+1])
			b.WriteByte(')')
		}
		b.WriteString(" ELSE ")
		var els *expr
		if len(e.args)%2 == 1 {
			els = e.args[len(e.args)-1]
		}
		printDuck(b, els)
		b.WriteString(" END")
	case eSub:
		b.WriteString(strings.ToUpper(e.name))
		b.WriteString("(SELECT ...)")
	case eLambda:
		b.WriteByte('(')
		if len(e.qual) == 1 {
			b.WriteString(duckIdent(e.qual[0]))
		} else {
			b.WriteString(`main."row"(`)
			for i, p := range e.qual {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(duckIdent(p))
			}
			b.WriteByte(')')
		}
		b.WriteString(" -> ")
		printList(b, e.args)
		b.WriteByte(')')
	default:
		b.WriteByte('(')
		printList(b, e.args)
		b.WriteByte(')')
	}
}

func printList(b *strings.Builder, es []*expr) {
	for i, a := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		printDuck(b, a)
	}
}

func printDuckFunc(b *strings.Builder, e *expr) {
	name := e.name
	switch {
	case e.keyword:
		b.WriteString(name)
		return
	case e.countStar:
		name = "count_star"
	case name == "coalesce":
		name = "COALESCE"
	case name == "nullif":
		name = `"nullif"`
	}
	b.WriteString(name)
	b.WriteByte('(')
	if e.distinct {
		b.WriteString("DISTINCT ")
	}
	printList(b, e.args)
	b.WriteByte(')')
	if e.window {
		b.WriteString(" OVER (...)")
	}
}

// negated maps comparisons to their negations.
var negated = map[string]string{"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">", "IN": "NOT IN"}

// duckOp returns DuckDB's spelling of an operator.
func duckOp(op string) string {
	if o, ok := duckOps[op]; ok {
		return o
	}
	return op
}

func printDuckOp(b *strings.Builder, e *expr) {
	op := duckOp(e.name)
	switch {
	case len(e.args) == 1 && (op == "IS NULL" || op == "IS NOT NULL"):
		b.WriteByte('(')
		printDuck(b, e.args[0])
		b.WriteString(" " + op + ")")
	case len(e.args) == 1 && op == "NOT" && e.args[0].kind == eOp && negated[duckOp(e.args[0].name)] != "":
		// DuckDB's parser turns NOT (a > b) into a <= b.
		inner := *e.args[0]
		inner.name = negated[duckOp(inner.name)]
		printDuck(b, &inner)
	case len(e.args) == 1 && op == "NOT":
		b.WriteString("(NOT ")
		printDuck(b, e.args[0])
		b.WriteByte(')')
	case len(e.args) == 1:
		b.WriteString(op + "(")
		printDuck(b, e.args[0])
		b.WriteByte(')')
	case (op == "IN" || op == "NOT IN") && len(e.args) > 0:
		b.WriteByte('(')
		printDuck(b, e.args[0])
		b.WriteString(" " + op + " (")
		printList(b, e.args[1:])
		b.WriteString("))")
	case op == "BETWEEN" && len(e.args) == 3:
		b.WriteByte('(')
		printDuck(b, e.args[0])
		b.WriteString(" BETWEEN ")
		printDuck(b, e.args[1])
		b.WriteString(" AND ")
		printDuck(b, e.args[2])
		b.WriteByte(')')
	default:
		b.WriteByte('(')
		for i, a := range e.args {
			if i > 0 {
				b.WriteString(" " + op + " ")
			}
			printDuck(b, a)
		}
		b.WriteByte(')')
	}
}

// duckIdent quotes an identifier as DuckDB prints it: unless it is lower
// case letters, digits and underscores.
func duckIdent(s string) string {
	plain := s != "" && !(s[0] >= '0' && s[0] <= '9')
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
