//go:build !linux

package main

import "os"

// peakRSS is unknown (0) outside Linux, where rusage's Maxrss unit differs.
func peakRSS(*os.ProcessState) int64 {
	return 0
}
