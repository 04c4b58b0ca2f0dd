package main

import "flag"

var update = flag.Bool("update", false, "rewrite expected files in testdata/script")
