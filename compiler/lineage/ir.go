package lineage

// Both parse trees, pg_query's and DuckDB's, are read into this small
// dialect-neutral form, which keeps what lineage needs: the shape of
// queries and FROM clauses, every column reference, and enough of each
// expression to name an unaliased column the way the database does.

// query is a SELECT, a VALUES list or a set operation, with its WITH clause.
type query struct {
	ctes      []*cte
	recursive bool
	// sel is set for a SELECT or VALUES; otherwise op combines left and right.
	sel         *selectStmt
	op          string // "union", "intersect" or "except"
	byName      bool   // DuckDB's UNION BY NAME
	left, right *query
	// reads are expressions read outside any SELECT list (ORDER BY and
	// LIMIT of a set operation).
	reads []*expr
}

// cte is one common table expression.
type cte struct {
	name string
	cols []string
	q    *query
}

// selectStmt is one SELECT (or VALUES) block.
type selectStmt struct {
	from    []*fromItem
	targets []*target
	// values holds the rows of a VALUES list, which has no targets.
	values [][]*expr
	// reads are the expressions that choose rows rather than compute
	// columns: WHERE, GROUP BY, HAVING, QUALIFY, ORDER BY, LIMIT, DISTINCT ON.
	reads []*expr
}

// target is one item of a SELECT list.
type target struct {
	alias string
	e     *expr
}

// fromKind is the type of a FROM item.
type fromKind uint8

const (
	fromTable fromKind = iota
	fromQuery
	fromJoin
	fromFunc
)

// fromItem is one FROM item: a table, subquery, join or table function.
type fromItem struct {
	kind fromKind
	// schema and name name a table (schema is "" when unqualified).
	schema, name string
	alias        string
	colAliases   []string
	q            *query  // fromQuery
	args         []*expr // fromFunc: the function call's arguments
	// A join: its sides, its USING columns (or natural), its ON condition.
	left, right *fromItem
	using       []string
	natural     bool
	on          *expr
}

// exprKind is the type of an expression node.
type exprKind uint8

const (
	eOther  exprKind = iota // anything else: args are its operands
	eCol                    // a column reference: qual.name
	eStar                   // * or qual.* (also inside function arguments)
	eConst                  // a literal: name is its SQL text
	eFunc                   // a function, aggregate or window function call
	eOp                     // an operator: name is its symbol or keyword
	eCast                   // a cast to the type called name
	eCase                   // CASE: args are when, then pairs, then else
	eSub                    // a subquery (scalar, EXISTS, IN, ARRAY)
	eLambda                 // a DuckDB lambda: qual are its parameters, args its body
)

// expr is an expression node.
type expr struct {
	kind exprKind
	// name is the column, function, operator or type name, or a
	// literal's SQL text; pgName is the name PostgreSQL gives a column
	// computed by this node where it is not the obvious one.
	name   string
	pgName string
	qual   []string
	args   []*expr
	// hidden holds expressions read but not among args: FILTER, OVER,
	// ORDER BY within an aggregate, a CASE operand.
	hidden []*expr
	sub    *query
	// distinct marks a DISTINCT aggregate, countStar count(*), window a
	// call with OVER, keyword a function called without parentheses
	// (current_date).
	distinct, countStar, window, keyword bool
	// star holds DuckDB's modifiers of a star, if any.
	star *starMods
}

// starMods are DuckDB's modifiers of a star: EXCLUDE names, REPLACE
// targets, RENAME pairs (old, new); columns marks COLUMNS(...), whose
// columns only the binder knows.
type starMods struct {
	exclude []string
	replace []*target
	rename  [][2]string
	columns bool
}

// newExpr returns an expression node of kind k.
func newExpr(k exprKind, name string, args ...*expr) *expr {
	return &expr{kind: k, name: name, args: args}
}

// slab allocates the expression nodes of one parse tree, which die
// together, a few dozen at a time.
type slab []expr

// alloc returns a node holding e.
func (s *slab) alloc(e expr) *expr {
	if len(*s) == 0 {
		*s = make([]expr, 32)
	}
	p := &(*s)[0]
	*p = e
	*s = (*s)[1:]
	return p
}

// newExpr returns a node of kind k from the slab.
func (s *slab) newExpr(k exprKind, name string, args ...*expr) *expr {
	return s.alloc(expr{kind: k, name: name, args: args})
}

// orNull stands a NULL literal in for a missing expression, so that a
// SELECT list keeps its positions.
func orNull(e *expr) *expr {
	if e == nil {
		return &expr{kind: eConst, name: "NULL"}
	}
	return e
}

// lambda returns a DuckDB lambda of parameters params (a column name, or
// a row of them) and body, or nil if params are not parameter names.
func lambda(params, body *expr) *expr {
	if params == nil || body == nil {
		return nil
	}
	var names []string
	switch {
	case params.kind == eCol && len(params.qual) == 0:
		names = []string{params.name}
	case params.kind == eFunc && params.name == "row":
		for _, p := range params.args {
			if p.kind != eCol || len(p.qual) > 0 {
				return nil
			}
			names = append(names, p.name)
		}
	default:
		return nil
	}
	return &expr{kind: eLambda, qual: names, args: []*expr{body}}
}
