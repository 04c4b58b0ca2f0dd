package main

import (
	"os"
	"path/filepath"
	"runtime/pprof"

	"martlet/compiler"
)

// profileCompile writes a CPU profile of one compile of the project in dir
// to cfg.cpuprofile. It asks martlet for it through MARTLET_CPUPROFILE;
// when martlet writes no profile (it does not support the variable), it
// profiles compiler.Compile and WriteArtifacts, what `martlet compile`
// does, in this process instead. It returns a note saying which.
func (c *checker) profileCompile(dir string) (string, error) {
	path, err := filepath.Abs(c.cfg.cpuprofile)
	if err != nil {
		return "", err
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	if _, err := timed(dir, []string{"MARTLET_CPUPROFILE=" + path}, c.bins.martlet, "-C", dir, "compile"); err != nil {
		return "", err
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return "martlet wrote a CPU profile of one compile to " + path, nil
	}
	if err := profileInProcess(dir, path); err != nil {
		return "", err
	}
	return "martlet ignores MARTLET_CPUPROFILE; profiled compiler.Compile + WriteArtifacts in-process into " + path, nil
}

// profileInProcess compiles the project in dir and writes its artifacts
// under a CPU profile written to path.
func profileInProcess(dir, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	res, compileErr := compiler.Compile(compiler.Options{ProjectDir: dir})
	if compileErr == nil {
		compileErr = res.WriteArtifacts()
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		return err
	}
	return compileErr
}
