// Command martlet builds SQL data marts from a dbt-style project: see
// `martlet --help` and README.md.
package main

import (
	"os"

	"martlet/cmd/martlet/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
