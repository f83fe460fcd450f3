// Package check validates a decoded deployment: against the deployment JSON
// Schema, and against the requirements catalog of its Threat Response
// version. Every finding is an hcl.Diagnostic with a rule id (package rule),
// the smallest honest source range, and a detail that says what is required
// and cites the catalog's source. Check decides nothing about outputs.
package check

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
)

// Result is what checking a deployment found.
type Result struct {
	// Catalog is the catalog the deployment was checked against; nil when
	// its Threat Response version is invalid or not covered.
	Catalog *catalog.Catalog
	// Diagnostics are the findings; callers sort them for display (diag.Sort).
	Diagnostics hcl.Diagnostics
	// Planned is what the checks planned (the flows, the network
	// policies and the roles, where they ran), for generate to reuse.
	Planned plan.Planned

	sources map[string][]byte
}

// checker carries what every rule family needs.
type checker struct {
	// planned is what the checks planned, handed on in Result.
	planned plan.Planned
	d       *model.Deployment
	cat     *catalog.Catalog
	tr      version.Version
	diags   hcl.Diagnostics
	sources map[string][]byte
	// anchors are where findings outside the configuration (in a site
	// rules file) belong, for accept entries.
	anchors map[*hcl.Diagnostic]hcl.Range
}

// Deployment checks d against the deployment schema and its catalog in set.
func Deployment(d *model.Deployment, set *catalog.Set) Result {
	c := &checker{d: d}
	c.diags = append(c.diags, validateSchema(d)...)
	c.topology()
	if !c.diags.HasErrors() {
		// Only for a topology without errors: a zone with an invalid label
		// or a group's misspelt connect_via would make it a follow-on.
		c.unusedZones()
	}
	c.catalogFor(set)
	if c.cat != nil {
		c.platform()
		c.ports()
		c.licenses()
		c.features()
	}
	// The flows depend on what is checked so far, not on what follows:
	// an error in a role, a directory, a text or a group's audit rules
	// does not hide the network firewall's findings.
	flowsSafe := c.cat != nil && !c.diags.HasErrors()
	c.dirs()
	c.text()
	c.changeRequest()
	if c.cat != nil {
		c.roles()
		for i := range d.EndpointGroups {
			g := &d.EndpointGroups[i]
			c.endpointGroup(g)
			if !model.KnownOS(g.OS) {
				// The schema reported the os; the checks below depend
				// on it and would only contradict that error.
				continue
			}
			c.recorder(g)
			c.auditd(g)
			c.siteRules(g)
		}
	}
	if flowsSafe {
		// The flows are planned only when nothing they are planned from
		// has an error: an error's block could make a follow-on, or
		// leave no module_server to plan from.
		c.networkFirewall()
	}
	c.accept()
	return Result{Catalog: c.cat, Diagnostics: c.diags, Planned: c.planned, sources: c.sources}
}

// add records a finding of rule id at rng. The severity is the rule's.
// detail says what is required; src, when given, is appended as the citation.
func (c *checker) add(id rule.ID, rng hcl.Range, summary, detail string, src *catalog.Source) {
	r, ok := rule.Lookup(id)
	if !ok {
		panic("unregistered rule " + id)
	}
	if src != nil {
		detail += fmt.Sprintf(" Source: %s: %q", src, src.Quote)
	}
	c.diags = append(c.diags, rule.Tag(&hcl.Diagnostic{
		Severity: r.Severity,
		Summary:  summary,
		Detail:   detail,
		Subject:  rng.Ptr(),
	}, id))
}

// catalogFor selects the catalog for the deployment's Threat Response version.
func (c *checker) catalogFor(set *catalog.Set) {
	d := c.d
	v, err := version.Parse(d.ThreatResponseVersion)
	if err != nil {
		c.add(rule.VersionInvalid, d.ThreatResponseVersionRange, "Invalid Threat Response version",
			fmt.Sprintf("threat_response_version: %s; write a Threat Response version like %q.", err, set.Latest().ThreatResponse.Min), nil)
		return
	}
	c.tr = v
	c.cat = set.For(v)
	if c.cat == nil {
		c.add(rule.TRVersion, d.ThreatResponseVersionRange,
			fmt.Sprintf("Threat Response %s is not covered by the requirements catalog", v),
			fmt.Sprintf("trgen checks Threat Response versions %s; set threat_response_version to one of them (trgen requirements prints each catalog).", set.Ranges()), nil)
	}
}

// parseVersion parses a version attribute, reporting a bad one with an
// example of the same kind.
func (c *checker) parseVersion(s, what, example string, rng hcl.Range) (version.Version, bool) {
	v, err := version.Parse(s)
	if err != nil {
		c.add(rule.VersionInvalid, rng, "Invalid "+what, fmt.Sprintf("%s: %s; write it like %s.", what, err, example), nil)
		return v, false
	}
	return v, true
}

// endpointGroup applies the endpoint rules to a group's smallest machine
// and reports each finding at the attribute it is about.
func (c *checker) endpointGroup(g *model.EndpointGroup) {
	e := Endpoint{
		Subject: fmt.Sprintf("the group %q", g.Name), OS: g.OS, OSVersion: g.OSVersion, ClientVersion: g.ClientVersion,
		CPUs: g.Hardware.CPUs, MemoryGB: g.Hardware.MemoryGB, FreeDiskGB: g.Hardware.FreeDiskGB, HasHardware: g.Hardware.DeclRange.Filename != "",
		MaxDBSizeMB: g.MaxDBSizeMB(c.cat.Sizing.DatabaseMB.Default), DNSEvents: g.DNSEvents(), EventSource: g.EventSource(),
	}
	ranges := map[string]hcl.Range{
		FieldOSVersion: g.OSVersionRange, FieldClientVersion: g.ClientVersionRange,
		FieldCPUs: g.Hardware.CPUsRange, FieldMemory: g.Hardware.MemoryGBRange, FieldFreeDisk: g.Hardware.FreeDiskGBRange,
	}
	if g.Recorder != nil {
		ranges[FieldDNSEvents], ranges[FieldEventSource] = g.Recorder.DNSEventsRange, g.Recorder.EventSourceRange
	}
	for _, f := range EndpointFindings(c.cat, c.tr, e) {
		c.add(f.Rule, ranges[f.Field], f.Summary, f.Detail, f.Source)
	}
}
