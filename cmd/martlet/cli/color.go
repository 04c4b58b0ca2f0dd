package cli

import (
	"io"
	"os"

	ucli "github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"
)

// terminalWidth returns the width of the terminal w writes to, or 80.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 80
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 80
	}
	return int(ws.Col)
}

// useColor reports whether output may use ANSI colours: not with
// --no-color, not with NO_COLOR set, and only on a terminal.
func useColor(c *ucli.Context) bool {
	if c.Bool("no-color") {
		return false
	}
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	return c.App.Metadata[terminalKey] == true
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
