package check

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
)

// modulesByID returns the modules block's version attributes by module id.
func modulesByID(m *model.Modules) map[string]model.ModuleVersion {
	byID := map[string]model.ModuleVersion{}
	for _, mv := range m.Versions() {
		byID[mv.ID] = mv
	}
	return byID
}

// featureRules are the rules that report each feature of the catalog's
// features table.
var featureRules = map[string]rule.ID{
	"reputation":         rule.FeatureReputation,
	"alert_remediation":  rule.FeatureRemediate,
	"endpoint_isolation": rule.FeatureIsolation,
	"trends":             rule.FeatureTrends,
}

// features checks each feature the deployment turns on against the modules
// the catalog says it needs: any one alternative must be fully met.
func (c *checker) features() {
	mods := modulesByID(c.d.Modules)
	installed := map[string]version.Version{}
	invalid := map[string]bool{}
	for _, m := range c.d.Modules.Versions() {
		if m.Version == nil {
			continue
		}
		if v, ok := c.parseVersion(*m.Version, "modules."+m.ID+" version", moduleExample(c.cat, m.ID), m.Range); ok {
			installed[m.ID] = v
		} else {
			invalid[m.ID] = true
		}
	}
	for _, want := range c.d.Features.Switches() {
		if !want.Enabled() {
			continue
		}
		id := featureRules[want.ID]
		feat, ok := c.cat.Feature(want.ID)
		if !ok {
			c.add(id, want.Range, fmt.Sprintf("The catalog has no feature %q", want.ID),
				fmt.Sprintf("The requirements catalog for Threat Response %s (%s) does not list this feature, so trgen cannot check which modules it needs. Turn it off, or add it to the catalog's features if the page lists it.", c.tr, c.cat.CatalogVersion), nil)
			continue
		}
		if needsAny(feat, invalid) {
			continue // an invalid module version was reported; the feature's verdict would follow from it
		}
		c.feature(feat, installed, mods, want.Range, id)
	}
}

// feature reports a feature none of whose alternatives is met. It diagnoses
// from the alternative closest to being met (most requirements satisfied,
// the page's order on ties): a module installed at the wrong version is
// reported at that version, missing modules at the feature's switch.
func (c *checker) feature(feat catalog.Feature, installed map[string]version.Version, mods map[string]model.ModuleVersion, featRange hcl.Range, id rule.ID) {
	type verdict struct {
		satisfied  int
		wrong      string // "<module> <version> is installed"
		wrongRange hcl.Range
		missing    []string
	}
	var alternatives []string
	best := -1
	var bestV verdict
	for _, alt := range feat.AnyOf {
		var v verdict
		var needs []string
		for _, req := range alt.Requires {
			needs = append(needs, c.describe(req))
			have, ok := installed[req.Module]
			switch {
			case !ok:
				v.missing = append(v.missing, c.describe(req))
			case !req.Admits(have):
				if v.wrong == "" {
					v.wrong = fmt.Sprintf("%s %s is installed", c.moduleName(req.Module), have)
					v.wrongRange = mods[req.Module].Range
				}
			default:
				v.satisfied++
			}
		}
		if v.wrong == "" && len(v.missing) == 0 {
			return
		}
		alternatives = append(alternatives, strings.Join(needs, " with "))
		if best < 0 || v.satisfied > bestV.satisfied {
			best, bestV = len(alternatives)-1, v
		}
	}
	detail := fmt.Sprintf("%s requires %s.", capitalize(feat.Name), strings.Join(alternatives, ", or "))
	rng := featRange
	summary := fmt.Sprintf("%s needs modules this deployment does not have", capitalize(feat.Name))
	if bestV.wrong != "" {
		rng = bestV.wrongRange
		summary = fmt.Sprintf("%s cannot use the installed module version", capitalize(feat.Name))
		detail += " " + bestV.wrong + "."
	} else {
		detail += " Not installed: " + strings.Join(bestV.missing, ", ") + "."
	}
	detail += " Set the versions in modules { }, or turn the feature off."
	src := feat.AnyOf[best].Source
	c.add(id, rng, summary, detail, &src)
}

func (c *checker) describe(r catalog.ModuleRange) string {
	return r.Describe(c.moduleName(r.Module))
}

func (c *checker) moduleName(id string) string {
	if m, ok := c.cat.Module(id); ok {
		return m.Name
	}
	return id
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// moduleExample is a version of module id for messages: the lowest the
// catalog's features name for it, else a dotted triple.
func moduleExample(cat *catalog.Catalog, id string) string {
	for _, f := range cat.Features {
		for _, alt := range f.AnyOf {
			for _, r := range alt.Requires {
				if r.Module == id {
					return `"` + r.Min + `"`
				}
			}
		}
	}
	return `"1.2.3"`
}

// needsAny reports whether any alternative of feat names a module of ids.
func needsAny(feat catalog.Feature, ids map[string]bool) bool {
	for _, alt := range feat.AnyOf {
		for _, r := range alt.Requires {
			if ids[r.Module] {
				return true
			}
		}
	}
	return false
}
