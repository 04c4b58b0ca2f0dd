package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"martlet/runner/adapter"
)

// relationsQuery lists the relations of the schemas in $1 with their kind:
// ordinary, partitioned and foreign tables; views and materialized views.
const relationsQuery = `SELECT n.nspname, c.relname, c.relkind::text
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`

// Relations returns every table and view in the given schemas, read with
// one catalog query. Partitioned and foreign tables count as tables,
// materialized views as views (materializations cannot replace either:
// the DROP they plan fails with the server's hint).
func (a *Adapter) Relations(ctx context.Context, schemas []string) (map[adapter.Relation]adapter.RelationKind, error) {
	out := make(map[adapter.Relation]adapter.RelationKind)
	if len(schemas) == 0 {
		return out, nil
	}
	conn, err := a.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer a.pool.release(conn)
	rows, err := conn.Query(ctx, relationsQuery, schemas)
	if err != nil {
		return nil, dbError(ctx, relationsQuery, err)
	}
	defer rows.Close()
	for rows.Next() {
		var rel adapter.Relation
		var kind string
		if err := rows.Scan(&rel.Schema, &rel.Name, &kind); err != nil {
			return nil, dbError(ctx, relationsQuery, err)
		}
		out[rel] = kindOf(kind)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(ctx, relationsQuery, err)
	}
	return out, nil
}

// columnsQuery lists the columns of relation $2 in schema $1 with their
// type names as format_type renders them.
const columnsQuery = `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

// Columns returns the columns of rel in ordinal order, typed as PostgreSQL
// names them ("bigint", "numeric(12,2)", "character varying(20)",
// "timestamp without time zone"); none if rel does not exist.
func (a *Adapter) Columns(ctx context.Context, rel adapter.Relation) ([]adapter.Column, error) {
	conn, err := a.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer a.pool.release(conn)
	return columnsOf(ctx, conn, rel)
}

// querier runs queries: a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// columnsOf reads rel's columns through q.
func columnsOf(ctx context.Context, q querier, rel adapter.Relation) ([]adapter.Column, error) {
	rows, err := q.Query(ctx, columnsQuery, rel.Schema, rel.Name)
	if err != nil {
		return nil, dbError(ctx, columnsQuery, err)
	}
	cols, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (adapter.Column, error) {
		var c adapter.Column
		err := row.Scan(&c.Name, &c.Type)
		return c, err
	})
	if err != nil {
		return nil, dbError(ctx, columnsQuery, err)
	}
	return cols, nil
}

// relationKindQuery reads the kind of relation $2 in schema $1.
const relationKindQuery = `SELECT c.relkind::text
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`

// relationKind returns what stands under rel, as Relations classifies it.
func relationKind(ctx context.Context, q querier, rel adapter.Relation) (adapter.RelationKind, error) {
	rows, err := q.Query(ctx, relationKindQuery, rel.Schema, rel.Name)
	if err != nil {
		return adapter.KindNone, dbError(ctx, relationKindQuery, err)
	}
	kinds, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return adapter.KindNone, dbError(ctx, relationKindQuery, err)
	}
	if len(kinds) == 0 {
		return adapter.KindNone, nil
	}
	return kindOf(kinds[0]), nil
}

// kindOf classifies a pg_class.relkind.
func kindOf(relkind string) adapter.RelationKind {
	if relkind == "v" || relkind == "m" {
		return adapter.KindView
	}
	return adapter.KindTable
}

// typeKey identifies a result column's type.
type typeKey struct {
	oid    uint32
	typmod int32
}

// typeNamesQuery renders the types of parallel arrays of OIDs and modifiers.
const typeNamesQuery = `SELECT pg_catalog.format_type(t.oid, t.typmod)
FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS t(oid, typmod, n) ORDER BY t.n`

// columnTypes names the columns of a result, looking up in one query the
// types that are not cached yet.
func (a *Adapter) columnTypes(ctx context.Context, fields []pgconn.FieldDescription) ([]adapter.Column, error) {
	var missing []typeKey
	for _, f := range fields {
		key := typeKey{f.DataTypeOID, f.TypeModifier}
		if _, ok := a.typeNames.Load(key); !ok {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		if err := a.lookUpTypes(ctx, missing); err != nil {
			return nil, err
		}
	}
	columns := make([]adapter.Column, len(fields))
	for i, f := range fields {
		name, _ := a.typeNames.Load(typeKey{f.DataTypeOID, f.TypeModifier})
		columns[i] = adapter.Column{Name: f.Name, Type: name.(string)}
	}
	return columns, nil
}

// lookUpTypes caches the names of keys.
func (a *Adapter) lookUpTypes(ctx context.Context, keys []typeKey) error {
	oids := make([]uint32, len(keys))
	mods := make([]int32, len(keys))
	for i, k := range keys {
		oids[i], mods[i] = k.oid, k.typmod
	}
	conn, err := a.acquire(ctx)
	if err != nil {
		return err
	}
	defer a.pool.release(conn)
	rows, err := conn.Query(ctx, typeNamesQuery, oids, mods)
	if err != nil {
		return dbError(ctx, typeNamesQuery, err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var name string
		if err := rows.Scan(&name); err != nil {
			return dbError(ctx, typeNamesQuery, err)
		}
		a.typeNames.Store(keys[i], name)
	}
	if err := rows.Err(); err != nil {
		return dbError(ctx, typeNamesQuery, err)
	}
	if i != len(keys) {
		return errors.New("postgres: format_type returned fewer names than types asked for")
	}
	return nil
}
