package load

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
)

// undeclaredVariables reports, once per reference, each var.NAME in the
// locals and the deployment block that names no declared variable: the
// name, the nearest declared one, and, when the configuration was given
// as one file of a folder holding others, that the declaration may be in
// one of them. Decoding such a reference would only say "value must be
// known" and "does not have an attribute", twice per use.
func undeclaredVariables(bodies []hcl.Body, declared map[string]bool, siblings []string) hcl.Diagnostics {
	names := make([]string, 0, len(declared))
	for n := range declared {
		names = append(names, n)
	}
	sort.Strings(names)
	var diags hcl.Diagnostics
	for _, b := range bodies {
		sb, ok := b.(*hclsyntax.Body)
		if !ok {
			continue // JSON bodies: decoding reports them
		}
		hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
			st, ok := n.(*hclsyntax.ScopeTraversalExpr)
			if !ok || st.Traversal.RootName() != "var" || len(st.Traversal) < 2 {
				return nil
			}
			attr, ok := st.Traversal[1].(hcl.TraverseAttr)
			if !ok || declared[attr.Name] {
				return nil
			}
			detail := fmt.Sprintf("No variable %q is declared in this configuration.", attr.Name)
			if len(names) > 0 {
				detail += suggest.DidYouMean(attr.Name, names)
			}
			if len(siblings) > 0 {
				detail += fmt.Sprintf(" Only %s was loaded; its folder also holds %s: validate the folder to load them all.", filepath.Base(st.SrcRange.Filename), joinNames(siblings))
			} else {
				detail += fmt.Sprintf(" Declare it with variable %q { ... }, or use a declared variable.", attr.Name)
			}
			rng := hcl.RangeBetween(st.Traversal[0].SourceRange(), attr.SrcRange)
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Undeclared variable %q", attr.Name),
				Detail:   detail,
				Subject:  &rng,
			}, rule.VariableUndeclared))
			return nil
		})
	}
	return diags
}

func joinNames(names []string) string {
	if len(names) > 5 {
		return fmt.Sprintf("%s, %s, %s and %d more", names[0], names[1], names[2], len(names)-3)
	}
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += " and "
		default:
			out += ", "
		}
		out += n
	}
	return out
}

// siblingFiles lists the other configuration files in the folder of
// path when path is a file; nil for a folder.
func siblingFiles(path string) []string {
	info, err := os.Stat(path)
	if err != nil || info.IsDir() {
		return nil
	}
	_, files, err := ConfigFiles(filepath.Dir(path))
	if err != nil {
		return nil
	}
	var out []string
	for _, f := range files {
		if filepath.Clean(f) != filepath.Clean(path) {
			out = append(out, filepath.Base(f))
		}
	}
	return out
}
