package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/mitchellh/go-wordwrap"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
)

func runExplain(e *env, args []string) int {
	fs := newFlagSet(e, "explain", "explain RULE | explain --list")
	list := fs.Bool("list", false, "list every rule id with its title")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	if *list && len(pos) == 0 {
		pos = []string{"list"}
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "Usage: trgen explain RULE  (trgen explain --list for every rule id)")
		return ExitUsage
	}
	all := rule.All()
	if pos[0] == "list" {
		for _, r := range all {
			fmt.Fprintf(e.stdout, "%-40s %s\n", r.ID, r.Title)
		}
		return ExitOK
	}
	r, ok := rule.Lookup(rule.ID(pos[0]))
	if !ok {
		ids := make([]string, len(all))
		for i, r := range all {
			ids[i] = string(r.ID)
		}
		sort.Strings(ids)
		fmt.Fprintf(e.stderr, "trgen: no rule %q.%s Run trgen explain --list for all of them.\n", pos[0], suggest.DidYouMean(pos[0], ids))
		return ExitUsage
	}
	set, err := catalog.Load()
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	page := set.Latest().Document.Title // the rules are documented against the bundled page
	sev := "warning (fails only with --strict)"
	if r.Severity == hcl.DiagError {
		sev = "error"
	}
	wrap := func(s string) string { return wordwrap.WrapString(s, 76) }
	fmt.Fprintf(e.stdout, "%s: %s\n\nSeverity: %s\n\n%s\n\nHow to fix: %s\n\nSource: %s\n\nExample:\n\n    %s\n",
		r.ID, r.Title, sev, wrap(r.Description), wrap(r.Fix), r.Source.Cite(page), strings.ReplaceAll(rule.Example(r.ID), "\n", "\n    "))
	return ExitOK
}
