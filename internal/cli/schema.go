package cli

import (
	"fmt"

	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/schema"
)

func runSchema(e *env, args []string) int {
	fs := newFlagSet(e, "schema", "schema")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	if len(pos) > 0 {
		return usageError(e, fmt.Errorf("schema takes no arguments"))
	}
	data, err := schema.FS.ReadFile(check.DeploymentSchemaFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	e.stdout.Write(data)
	return ExitOK
}
