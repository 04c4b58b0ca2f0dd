package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

func initCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "init",
		Usage:     "create a new project in DIR that builds at once",
		ArgsUsage: "DIR",
		Action:    initAction,
	}
}

var projectNameRe = regexp.MustCompile(`[^a-z0-9_]+`)

func initAction(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageErrorf("martlet init: give the directory of the new project: martlet init DIR")
	}
	dir := inProjectDir(c, c.Args().First())
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return &exitError{code: ExitFailure, msg: fmt.Sprintf("martlet init: %s exists and is not empty; choose a new directory", dir)}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return &exitError{code: ExitFailure, msg: "martlet init: " + err.Error()}
	}
	name := strings.Trim(projectNameRe.ReplaceAllString(strings.ToLower(filepath.Base(abs)), "_"), "_")
	if name == "" {
		name = "mart"
	}
	files := scaffold(name)
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return &exitError{code: ExitFailure, msg: "martlet init: " + err.Error()}
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o644); err != nil {
			return &exitError{code: ExitFailure, msg: "martlet init: " + err.Error()}
		}
	}
	w := c.App.Writer
	fmt.Fprintf(w, "Created project %q in %s:\n", name, dir)
	for _, p := range paths {
		fmt.Fprintf(w, "  %s\n", p)
	}
	fmt.Fprintf(w, "\nNext:\n  cd %s\n  martlet build                      # seed, run and test into target/dev.duckdb\n  martlet show -s customer_orders    # preview the mart\n  martlet build --watch              # rebuild on every save\n", dir)
	return nil
}

// scaffold returns the files of a new project: a seed, a staging view, a
// mart table with tests, and what a repository needs.
func scaffold(name string) map[string]string {
	return map[string]string{
		"martlet.yml": fmt.Sprintf(`name: %s

vars:
  min_order_date: "2024-01-01"

models:
  +materialized: view
  marts:
    +materialized: table

targets:
  dev: {type: duckdb, path: target/dev.duckdb, schema: main, threads: 4}

target: dev
`, name),
		".gitignore": "target/\n",
		"seeds/orders.csv": `order_id,customer,ordered_on,amount
1,ada,2024-01-03,12.50
2,grace,2024-01-04,7.25
3,ada,2024-01-09,30.00
4,edsger,2024-01-11,4.75
5,grace,2024-01-15,19.90
`,
		"models/staging/stg_orders.sql": `select
    order_id,
    lower(customer) as customer,
    cast(ordered_on as date) as ordered_on,
    amount
from {{ ref("orders") }}
where ordered_on >= '{{ var("min_order_date") }}'
`,
		"models/marts/customer_orders.sql": `select
    customer,
    count(*) as orders,
    sum(amount) as total_amount,
    min(ordered_on) as first_order_on
from {{ ref("stg_orders") }}
group by customer
`,
		"models/marts/_marts.yml": `version: 2
models:
  - name: customer_orders
    description: One row per customer with their order totals.
    columns:
      - name: customer
        description: The customer's handle.
        tests: [unique, not_null]
      - name: orders
        tests: [not_null]
`,
	}
}
