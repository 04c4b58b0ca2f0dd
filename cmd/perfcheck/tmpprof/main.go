package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"martlet/compiler"
)

func main() {
	f, _ := os.Create("/tmp/compile.prof")
	pprof.StartCPUProfile(f)
	for i := 0; i < 2; i++ {
		t0 := time.Now()
		res, err := compiler.Compile(compiler.Options{ProjectDir: os.Args[1]})
		t1 := time.Now()
		if err != nil {
			fmt.Println(err)
			return
		}
		res.WriteArtifacts()
		fmt.Println("compile", t1.Sub(t0), "write", time.Since(t1))
	}
	pprof.StopCPUProfile()
}
