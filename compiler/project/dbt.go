package project

import (
	"os"
	"path/filepath"
)

// DbtFileName is dbt's project file. A directory with a dbt_project.yml and
// no martlet.yml is read as dbt reads it: the same keys as martlet.yml
// (dbt's spelling), with the targets taken from the outputs of the
// profile it names in profiles.yml.
const DbtFileName = "dbt_project.yml"

// dbtIgnoredKeys are dbt project-file keys that martlet accepts and does
// not use, sorted.
var dbtIgnoredKeys = []string{
	"analyses", "analysis-paths", "asset-paths", "clean-targets", "config-version", "dispatch",
	"exposures", "flags", "log-path", "metrics", "packages-install-path", "query-comment",
	"quoting", "require-dbt-version", "restrict-access", "saved-queries", "semantic-models",
	"sources", "unit_tests", "version",
}

// readProjectFile reads the project file at root: martlet.yml, or, when
// there is none, dbt_project.yml. martlet.yml wins when both exist, so a
// dbt project can be given martlet-specific settings (targets, say)
// without changing the file dbt reads. When neither exists, the error is
// martlet.yml's.
func readProjectFile(root string) (file string, data []byte, err error) {
	data, err = os.ReadFile(filepath.Join(root, FileName))
	if !os.IsNotExist(err) {
		return FileName, data, err
	}
	if dbtData, dbtErr := os.ReadFile(filepath.Join(root, DbtFileName)); !os.IsNotExist(dbtErr) {
		return DbtFileName, dbtData, dbtErr
	}
	return FileName, nil, err
}
