// Command plainduckdb is perfcheck's baseline for `martlet run`: it opens
// one DuckDB database file and executes a JSON list of SQL statements in
// order on a single connection, with nothing else around them.
//
//	plainduckdb DB STATEMENTS.json
package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: plainduckdb DB STATEMENTS.json")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "plainduckdb:", err)
		os.Exit(1)
	}
}

func run(dbPath, statementsPath string) error {
	data, err := os.ReadFile(statementsPath)
	if err != nil {
		return err
	}
	var statements []string
	if err := json.Unmarshal(data, &statements); err != nil {
		return fmt.Errorf("%s: %w", statementsPath, err)
	}
	db, err := sql.Open("duckdb", dbPath)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	for i, s := range statements {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return fmt.Errorf("statement %d: %w", i+1, err)
		}
	}
	return db.Close()
}
