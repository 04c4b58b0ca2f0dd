package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

// masked replaces a password in messages.
const masked = "*****"

var (
	// urlPassword matches the password of a postgres:// URL's user info,
	// up to the last @ before the host.
	urlPassword = regexp.MustCompile(`(?i)(postgres(?:ql)?://[^:/?#@\s]*:)([^/?#\s]*)@`)
	// urlPasswordParam matches a password given as a URL query parameter.
	urlPasswordParam = regexp.MustCompile(`(?i)([?&](?:ssl)?password=)[^&#\s]*`)
	// kvPassword matches a password of a key=value connection string, bare
	// or single-quoted with backslash escapes.
	kvPassword = regexp.MustCompile(`(?i)(\b(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s'&]\S*)`)
)

// MaskDSN returns s with every password of a PostgreSQL connection string in
// it replaced by *****: the password of a URL's user info
// (postgres://user:*****@host/db), password and sslpassword URL parameters,
// and password=... settings of key=value strings. s may be a DSN or any
// message that quotes one. Masking is best effort on malformed strings.
func MaskDSN(s string) string {
	s = urlPassword.ReplaceAllString(s, "${1}"+masked+"@")
	s = urlPasswordParam.ReplaceAllString(s, "${1}"+masked)
	if !strings.Contains(s, "://") {
		s = kvPassword.ReplaceAllString(s, "${1}"+masked)
	}
	return s
}

// connectError reports a failure to reach or log in to the server as one
// line naming the masked DSN, with the server's error when there is one.
func connectError(dsn string, err error) error {
	msg := err.Error()
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		msg = connErr.Unwrap().Error()
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg = formatPgError(pgErr, "")
	}
	return &maskedError{msg: "cannot connect to " + MaskDSN(dsn) + ": " + MaskDSN(oneLine(msg)), err: err}
}

// maskedError is an error whose message has been masked and flattened; it
// still unwraps to the original error.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// dbError turns an error from running sql into one line: a server error
// reads `ERROR: message at line L, column C; DETAIL: ...; HINT: ...
// (SQLSTATE code)` and still unwraps to the *pgconn.PgError. When ctx was
// cancelled or timed out the error also wraps ctx.Err(), so that callers can
// test it with errors.Is(err, context.Canceled).
func dbError(ctx context.Context, sql string, err error) error {
	var pgErr *pgconn.PgError
	msg := err.Error()
	if errors.As(err, &pgErr) {
		msg = formatPgError(pgErr, sql)
	}
	wrapped := &maskedError{msg: MaskDSN(oneLine(msg)), err: err}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w: %w", ctxErr, wrapped)
	}
	return wrapped
}

// formatPgError renders a server error on one line with its position in sql
// (when the server gives one), detail, hint and SQLSTATE.
func formatPgError(e *pgconn.PgError, sql string) string {
	var b strings.Builder
	b.WriteString(e.Severity)
	b.WriteString(": ")
	b.WriteString(e.Message)
	if line, col, ok := position(sql, int(e.Position)); ok {
		fmt.Fprintf(&b, " at line %d, column %d", line, col)
	}
	if e.Detail != "" {
		b.WriteString("; DETAIL: " + e.Detail)
	}
	if e.Hint != "" {
		b.WriteString("; HINT: " + e.Hint)
	}
	fmt.Fprintf(&b, " (SQLSTATE %s)", e.Code)
	return b.String()
}

// position converts the server's 1-based character offset into sql to a
// line and column, both 1-based.
func position(sql string, offset int) (line, col int, ok bool) {
	if offset <= 0 || offset > utf8.RuneCountInString(sql) {
		return 0, 0, false
	}
	line, col = 1, 1
	for i, r := range []rune(sql) {
		if i == offset-1 {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col, true
}

// oneLine joins the non-blank lines of a message with "; ".
func oneLine(msg string) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	lines = slices.DeleteFunc(lines, func(l string) bool { return l == "" })
	return strings.Join(lines, "; ")
}
