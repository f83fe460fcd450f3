// Package rule names every check trgen makes: a stable id that rides in
// hcl.Diagnostic.Extra, with the documentation that SARIF rule metadata, JUnit
// test cases and the docs are built from. It holds no checking logic.
package rule

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// ID is a stable rule identifier such as "client-version-excluded". Tests,
// CI pipelines and SARIF consumers rely on it: never rename one.
type ID string

// Rule documents one check.
type Rule struct {
	ID       ID
	Severity hcl.DiagnosticSeverity
	// Title is a one-line description, used as SARIF shortDescription.
	Title string
	// Description says what is checked and why.
	Description string
	// Fix says how to resolve a finding.
	Fix string
	// Source names where the requirement comes from.
	Source Source
}

// Source is what a rule rests on. The requirements page is the catalog's,
// so the registry holds no title of it: the title is given when the
// source is cited, from the catalog a deployment was checked against.
type Source struct {
	// OnPage: the rule rests on the requirements page, on Section of it
	// ("" for the page as a whole).
	OnPage  bool
	Section string
	// Other follows the page's section: a further basis, such as trgen's
	// practice or auditctl(8). For a rule that does not rest on the page
	// it is the whole source.
	Other string
}

// Cite is s as text, naming the requirements page by page, the title of
// the catalog's page.
func (s Source) Cite(page string) string {
	if !s.OnPage {
		return s.Other
	}
	out := page
	if s.Section != "" {
		out += ", \"" + s.Section + "\""
	}
	return out + s.Other
}

// extra is what Tag stores in hcl.Diagnostic.Extra. It wraps any extra
// information the diagnostic already carried.
type extra struct {
	id    ID
	inner any
}

// UnwrapDiagnosticExtra lets hcl.DiagnosticExtra find the wrapped value.
func (e extra) UnwrapDiagnosticExtra() any { return e.inner }

// Tag sets the rule id of d and returns it.
func Tag(d *hcl.Diagnostic, id ID) *hcl.Diagnostic {
	d.Extra = extra{id: id, inner: d.Extra}
	return d
}

// Of returns the rule id of d, or "" if it has none.
func Of(d *hcl.Diagnostic) ID {
	if e, ok := hcl.DiagnosticExtra[extra](d); ok {
		return e.id
	}
	return ""
}

// Acceptance is how a user accepted a warning: the reason they gave, and
// where they gave it (the accept entry's key).
type Acceptance struct {
	Reason string
	At     hcl.Range
}

// accepted is what Accept stores in hcl.Diagnostic.Extra, wrapping what
// was there.
type accepted struct {
	Acceptance
	inner any
}

func (a accepted) UnwrapDiagnosticExtra() any { return a.inner }

// Accept marks d, a warning, as accepted and returns it.
func Accept(d *hcl.Diagnostic, a Acceptance) *hcl.Diagnostic {
	d.Extra = accepted{Acceptance: a, inner: d.Extra}
	return d
}

// AcceptanceOf returns how d was accepted, or nil when it was not.
func AcceptanceOf(d *hcl.Diagnostic) *Acceptance {
	if a, ok := hcl.DiagnosticExtra[accepted](d); ok {
		return &a.Acceptance
	}
	return nil
}

// Lookup returns the documentation of id.
func Lookup(id ID) (Rule, bool) {
	r, ok := byID[id]
	return r, ok
}

// All returns every rule, sorted by id.
func All() []Rule {
	out := make([]Rule, 0, len(byID))
	for _, r := range byID {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

var byID = func() map[ID]Rule {
	m := make(map[ID]Rule, len(rules))
	for _, r := range rules {
		if _, dup := m[r.ID]; dup {
			panic("duplicate rule " + r.ID)
		}
		m[r.ID] = r
	}
	return m
}()

// What a rule's findings are about: a deployment's files, an inventory
// given to trgen fleet, or a catalog given with --catalog.
const (
	ScopeDeployment = "deployment"
	ScopeInventory  = "inventory"
	ScopeCatalog    = "catalog"
)

// scopes holds the rules that are not about a deployment's files.
var scopes = map[ID]string{
	FleetUnmatched: ScopeInventory,
	CatalogSyntax:  ScopeCatalog,
	CatalogSchema:  ScopeCatalog,
}

// Scope says what the findings of rule id are about (Scope*).
func Scope(id ID) string {
	if s, ok := scopes[id]; ok {
		return s
	}
	return ScopeDeployment
}
