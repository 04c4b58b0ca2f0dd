package cli

import (
	"os"

	ucli "github.com/urfave/cli/v2"
)

// useColor reports whether output may use ANSI colours: not with
// --no-color, not with NO_COLOR set, and only on a terminal.
func useColor(c *ucli.Context) bool {
	if c.Bool("no-color") {
		return false
	}
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := c.App.Writer.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
