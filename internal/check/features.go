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

// moduleAttr is a module version attribute of the modules block.
type moduleAttr struct {
	value *string
	rng   hcl.Range
}

func modulesByID(m *model.Modules) map[string]moduleAttr {
	if m == nil {
		return map[string]moduleAttr{}
	}
	return map[string]moduleAttr{
		"connect":    {m.Connect, m.ConnectRange},
		"reputation": {m.Reputation, m.ReputationRange},
		"protect":    {m.Protect, m.ProtectRange},
		"quarantine": {m.Quarantine, m.QuarantineRange},
		"trends":     {m.Trends, m.TrendsRange},
		"interact":   {m.Interact, m.InteractRange},
	}
}

// features checks each feature the deployment turns on against the modules
// the catalog says it needs: any one alternative must be fully met.
func (c *checker) features() {
	mods := modulesByID(c.d.Modules)
	installed := map[string]version.Version{}
	for id, m := range mods {
		if m.value == nil {
			continue
		}
		if v, ok := c.parseVersion(*m.value, "modules."+id+" version", m.rng); ok {
			installed[id] = v
		}
	}
	f := c.d.Features
	if f == nil {
		return
	}
	for _, want := range []struct {
		id   string
		on   *bool
		rng  hcl.Range
		rule rule.ID
	}{
		{"reputation", f.Reputation, f.ReputationRange, rule.FeatureReputation},
		{"alert_remediation", f.AlertRemediation, f.AlertRemediationRange, rule.FeatureRemediate},
		{"endpoint_isolation", f.EndpointIsolation, f.EndpointIsolationRange, rule.FeatureIsolation},
		{"trends", f.Trends, f.TrendsRange, rule.FeatureTrends},
	} {
		if want.on == nil || !*want.on {
			continue
		}
		feat, ok := c.cat.Feature(want.id)
		if !ok {
			panic("catalog lacks feature " + want.id)
		}
		c.feature(feat, installed, mods, want.rng, want.rule)
	}
}

// feature reports a feature none of whose alternatives is met. It diagnoses
// from the alternative closest to being met (most requirements satisfied,
// the page's order on ties): a module installed at the wrong version is
// reported at that version, missing modules at the feature's switch.
func (c *checker) feature(feat catalog.Feature, installed map[string]version.Version, mods map[string]moduleAttr, featRange hcl.Range, id rule.ID) {
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
			case have.Less(version.MustParse(req.Min)) || (req.Max != "" && version.MustParse(req.Max).Less(have)):
				if v.wrong == "" {
					v.wrong = fmt.Sprintf("%s %s is installed", c.moduleName(req.Module), have)
					v.wrongRange = mods[req.Module].rng
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
	name := c.moduleName(r.Module)
	if r.Max != "" {
		return fmt.Sprintf("%s %s to %s", name, r.Min, r.Max)
	}
	return fmt.Sprintf("%s %s or later", name, r.Min)
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
