package cli

import (
	"fmt"
	"strings"

	"github.com/trgen/trgen/internal/catalog"
)

func runVersion(e *env, args []string) int {
	fs := newFlagSet(e, "version", "version")
	if _, err := parseInterspersed(fs, args); err != nil {
		return usageError(e, err)
	}
	set, err := catalog.Load()
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	var cats []string
	for _, c := range set.All() {
		cats = append(cats, fmt.Sprintf("%s (Threat Response %s)", c.CatalogVersion, c.Range()))
	}
	fmt.Fprintf(e.stdout, "trgen %s\ncatalogs: %s\n", Version, strings.Join(cats, ", "))
	return ExitOK
}
