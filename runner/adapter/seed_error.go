package adapter

import "fmt"

// SeedError reports a seed CSV file that cannot be loaded because of its
// content: a ragged row, an unterminated quote, a value that does not match
// its column type. Adapters return it from LoadSeed so that the runner can
// point the user at the offending line.
type SeedError struct {
	// Path is the CSV file as given to LoadSeed.
	Path string
	// Line is the 1-based physical line of the file (the header is line
	// 1); 0 when the database did not say.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error returns "PATH:LINE: msg", or "PATH: msg" when the line is unknown.
func (e *SeedError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
}
