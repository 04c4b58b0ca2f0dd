package runner

import (
	"context"
	"sync"

	"martlet/runner/adapter"
)

// catalog is the run's knowledge of the database: which relations exist,
// as what, and which schemas exist. It is read from the database once, at
// the start of a run, and kept up to date as nodes build relations, so no
// node needs a catalog query of its own.
type catalog struct {
	a         adapter.Adapter
	mu        sync.Mutex
	relations map[adapter.Relation]adapter.RelationKind
	schemas   map[string]*schemaEntry
}

// schemaEntry serializes the creation of one schema: concurrent CREATE
// SCHEMA IF NOT EXISTS statements for the same name can fail on PostgreSQL.
type schemaEntry struct {
	mu     sync.Mutex
	exists bool
}

// loadCatalog lists the relations of schemas with one query. A schema that
// holds any relation is known to exist.
func loadCatalog(ctx context.Context, a adapter.Adapter, schemas []string) (*catalog, error) {
	c := &catalog{a: a, relations: map[adapter.Relation]adapter.RelationKind{}, schemas: map[string]*schemaEntry{}}
	if len(schemas) == 0 {
		return c, nil
	}
	rels, err := a.Relations(ctx, schemas)
	if err != nil {
		return nil, err
	}
	for rel, kind := range rels {
		c.relations[rel] = kind
		c.schemas[rel.Schema] = &schemaEntry{exists: true}
	}
	return c, nil
}

// kind returns what rel is in the database now.
func (c *catalog) kind(rel adapter.Relation) adapter.RelationKind {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.relations[rel]
}

// built records that rel now exists as kind, and so does its schema.
func (c *catalog) built(rel adapter.Relation, kind adapter.RelationKind) {
	e := c.entry(rel.Schema)
	e.mu.Lock()
	e.exists = true
	e.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.relations[rel] = kind
}

// entry returns the entry of schema, creating it if needed.
func (c *catalog) entry(schema string) *schemaEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.schemas[schema]
	if !ok {
		e = &schemaEntry{}
		c.schemas[schema] = e
	}
	return e
}

// ensureSchema creates schema unless it is known to exist, at most one
// CREATE SCHEMA per schema and run.
func (c *catalog) ensureSchema(ctx context.Context, schema string) error {
	e := c.entry(schema)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.exists {
		return nil
	}
	// An empty schema holds no relation, so the catalog does not know it:
	// ask before creating, because PostgreSQL refuses CREATE SCHEMA IF NOT
	// EXISTS to a role without CREATE on the database even when the schema
	// is there.
	rows, err := c.a.Query(ctx, "SELECT 1 FROM information_schema.schemata WHERE schema_name = "+adapter.QuoteString(schema), 1)
	if err == nil && len(rows.Values) > 0 {
		e.exists = true
		return nil
	}
	if _, err := c.a.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+adapter.QuoteIdent(schema)); err != nil {
		return err
	}
	e.exists = true
	return nil
}
