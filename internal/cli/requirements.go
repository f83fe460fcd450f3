package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/version"
)

func runRequirements(e *env, args []string) int {
	fs := newFlagSet(e, "requirements", "requirements [--version V] [--catalog FILE] [--format text|json]")
	ver := fs.String("version", "", "Threat Response version (default: the newest catalog)")
	catFile := fs.String("catalog", "", "show the requirements catalog in `FILE` instead of trgen's own (docs/catalog.md)")
	format := fs.String("format", "text", "text or json")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	if len(pos) > 0 {
		return usageError(e, fmt.Errorf("requirements takes no arguments"))
	}
	if *format != "text" && *format != "json" {
		return usageError(e, fmt.Errorf("unknown format %q; use text or json", *format))
	}
	set, err := catalog.Load()
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if *catFile != "" {
		data, err := load.ReadFile(*catFile, load.DefaultLimits.MaxFileBytes)
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: --catalog: %v\n", err)
			return ExitUsage
		}
		var diags hcl.Diagnostics
		if set, diags = catalog.LoadFile(*catFile, data); diags.HasErrors() {
			rep := &diag.Report{Diagnostics: diags, Files: map[string]*hcl.File{*catFile: {Bytes: data}}, ToolVersion: Version}
			diag.WriteText(e.stderr, rep, colorFor(e, e.stderr, false))
			return ExitInvalid
		}
	}
	c := set.Latest()
	if *ver != "" {
		v, err := version.Parse(*ver)
		if err != nil {
			return usageError(e, fmt.Errorf("--version: %v", err))
		}
		if c = set.For(v); c == nil {
			fmt.Fprintf(e.stderr, "trgen: no requirements catalog covers Threat Response %s; supported: %s\n", v, set.Ranges())
			return ExitInvalid
		}
	}
	if *format == "json" {
		e.stdout.Write(c.Raw())
		return ExitOK
	}
	writeRequirements(e.stdout, c)
	return ExitOK
}

// writeRequirements prints every fact of c with its source.
func writeRequirements(w io.Writer, c *catalog.Catalog) {
	b := bufio.NewWriter(w)
	defer b.Flush()
	src := func(s catalog.Source) { fmt.Fprintf(b, "      source: %s: %q\n", s, s.Quote) }
	errata := func(es []catalog.Erratum) {
		for _, e := range es {
			fmt.Fprintf(b, "      erratum: %s\n", e.Text)
		}
	}
	head := func(s string) { fmt.Fprintf(b, "\n%s\n%s\n", s, strings.Repeat("-", len(s))) }

	fmt.Fprintf(b, "Threat Response requirements catalog %s\n", c.CatalogVersion)
	fmt.Fprintf(b, "Covers Threat Response %s\n", c.Range())
	fmt.Fprintf(b, "From %s (%s, last updated %s)\n", c.Document.Title, c.Document.Address, c.Document.LastUpdated)
	fmt.Fprintf(b, "Note: %s\n", c.Document.Note)
	errata(c.ThreatResponse.Errata)

	head("Licenses")
	for _, l := range c.Licenses {
		fmt.Fprintf(b, "  %-18s %s\n", l.ID, l.Name)
		if l.Note != "" {
			fmt.Fprintf(b, "      note: %s\n", l.Note)
		}
		src(l.Source)
	}

	head("Tanium Core Platform and Client")
	fmt.Fprintf(b, "  Core Platform      %s or later\n", c.CorePlatform.MinVersion)
	src(c.CorePlatform.Source)
	cl := c.Client
	fmt.Fprintf(b, "  Client minimum     %s\n", cl.MinVersion)
	src(cl.Source)
	for _, ex := range cl.ExcludedVersions {
		fmt.Fprintf(b, "  Client excluded    %s\n", ex.Version)
		src(ex.Source)
	}
	for _, l := range cl.ListedLines {
		extra := ""
		if l.RequiresThreatResponse != "" {
			extra = ", needs Threat Response " + l.RequiresThreatResponse + " or later"
		}
		fmt.Fprintf(b, "  Client line %-6s from %s%s\n", l.Line, l.From, extra)
		src(l.Source)
	}
	fmt.Fprintf(b, "  macOS %s+         client %s or later\n", cl.MacOSMinimum.MacOSFrom, cl.MacOSMinimum.MinVersion)
	src(cl.MacOSMinimum.Source)
	errata(cl.MacOSMinimum.Errata)
	fmt.Fprintf(b, "  Unlisted clients   warning\n")
	src(cl.Unlisted.Source)

	head("Modules and features")
	for _, f := range c.Features {
		for i, alt := range f.AnyOf {
			var req []string
			for _, r := range alt.Requires {
				s := r.Module + " " + r.Min
				if r.Max != "" {
					s += " to " + r.Max
				} else {
					s += " or later"
				}
				req = append(req, s)
			}
			or := ""
			if i > 0 {
				or = "or "
			}
			fmt.Fprintf(b, "  %-18s %s%s\n", f.ID, or, strings.Join(req, " with "))
			src(alt.Source)
			errata(alt.Errata)
		}
	}

	head("Computer groups")
	fmt.Fprintf(b, "  required: %s\n", strings.Join(c.ComputerGroups.Required, ", "))
	src(c.ComputerGroups.Source)

	head("Endpoint operating systems")
	for _, w := range c.Windows.Versions {
		state := "not supported"
		if w.Supported {
			state = "supported"
			if w.DNSEvents {
				state += ", DNS events"
			}
		}
		fmt.Fprintf(b, "  %-26s %s\n", w.Name, state)
	}
	src(c.Windows.Source)
	src(c.Windows.DNSSource)
	errata(c.Windows.Errata)
	fmt.Fprintf(b, "  macOS                      %s or later\n", c.MacOS.MinVersion)
	src(c.MacOS.Source)
	fmt.Fprintf(b, "  Linux                      %s\n", c.Linux.Note)
	src(c.Linux.Source)

	head("Endpoint sizing")
	sz := c.Sizing
	fmt.Fprintf(b, "  recorder database  %d to %d MB (default %d)\n", sz.DatabaseMB.Min, sz.DatabaseMB.Max, sz.DatabaseMB.Default)
	src(sz.DatabaseMB.Source)
	errata(sz.DatabaseMB.Errata)
	fmt.Fprintf(b, "  free disk          %d x the maximum database size\n", sz.FreeDiskFactor)
	src(sz.FreeDiskSource)
	fmt.Fprintf(b, "  CPUs               %d or more recommended\n", sz.MinCPUs)
	src(sz.CPUSource)
	fmt.Fprintf(b, "  memory             %d GB or more recommended\n", sz.MinMemoryGB)
	src(sz.MemorySource)

	head("Windows recorder")
	for _, es := range c.Recorder.EventSources {
		state := ""
		if es.Default {
			state = " (default)"
		}
		if es.DeprecatedFrom != "" {
			state = " (deprecated from " + es.DeprecatedFrom + ")"
		}
		fmt.Fprintf(b, "  event source       %s%s\n", es.ID, state)
		src(es.Source)
	}
	fmt.Fprintf(b, "  Tanium driver needed for %s\n", c.Recorder.DriverRequiredFor)
	src(c.Recorder.DriverRequiredSource)
	fmt.Fprintf(b, "  driver installed by default from %s; upgrade steps:\n", c.Recorder.DriverDefaultFrom)
	for i, s := range c.Recorder.DriverUpgradeSteps {
		fmt.Fprintf(b, "    %d. %s\n", i+1, s)
	}
	src(c.Recorder.DriverUpgradeSource)

	head("Linux audit")
	la := c.LinuxAudit
	src(la.Packages)
	fmt.Fprintf(b, "  %s: restart after enabling the recorder\n", la.Immutable.Flag)
	src(la.Immutable.Source)
	fmt.Fprintf(b, "  %s: the recorder adds no rules\n", la.FailurePanic.Flag)
	src(la.FailurePanic.Source)

	head("Known issues")
	for _, k := range c.KnownIssues {
		fmt.Fprintf(b, "  Threat Response %s, macOS %s+: %s\n", k.ThreatResponse, k.MacOSFrom, k.Text)
		src(k.Source)
	}

	head("Also on the page (no check derives from these)")
	for _, n := range c.PageNotes {
		fmt.Fprintf(b, "  %s: %s\n", n.ID, n.Text)
		src(n.Source)
		errata(n.Errata)
	}

	if len(c.Readings) > 0 {
		head("trgen's readings (trgen's practice, not the vendor's)")
		for _, r := range c.Readings {
			fmt.Fprintf(b, "  %s: %s\n", r.ID, r.Text)
			fmt.Fprintf(b, "      reading of: %s: %q\n", r.Source, r.Source.Quote)
		}
	}

	head("Ports")
	for _, p := range c.Ports {
		port := fmt.Sprint(p.Port)
		if p.Port == 0 {
			var ts []string
			for _, t := range model.Transfers {
				if _, ok := p.Transfers[t]; !ok {
					continue
				}
				ts = append(ts, fmt.Sprintf("%d (%s)", p.Transfers[t], t))
			}
			port = strings.Join(ts, ", ")
		}
		opt := ""
		if p.Optional {
			opt = " (optional)"
		}
		fmt.Fprintf(b, "  %-13s %s/%s %s %s%s: %s\n", p.Component, p.Protocol, port, p.Direction, p.Service, opt, p.Purpose)
		src(p.Source)
		errata(p.Errata)
	}

	head("Security exclusions")
	for _, k := range []string{"module_server", "zone_server", "windows", "linux", "macos"} {
		l := c.Exclusions[k]
		fmt.Fprintf(b, "  %s (%d entries, relative to %s)\n", l.Target, len(l.Entries), l.Root)
		for _, x := range l.Entries {
			cond := ""
			if x.ClientLine != "" {
				cond = " (" + x.ClientLine + ".x clients)"
			}
			fmt.Fprintf(b, "    %-8s %s%s\n", x.Kind, x.Path, cond)
			if x.Note != "" {
				fmt.Fprintf(b, "      note: %s\n", x.Note)
			}
			errata(x.Errata)
		}
	}

	head("Role permissions")
	for _, p := range c.Permissions {
		fn := ""
		if len(p.Footnotes) > 0 {
			fn = fmt.Sprintf(" [footnote %v]", p.Footnotes)
		}
		sets := ""
		if len(p.ContentSets) > 0 {
			sets = " on " + strings.Join(p.ContentSets, ", ")
		}
		fmt.Fprintf(b, "  %-12s %s%s%s\n", p.Kind, p.Name, sets, fn)
		if p.ProvidedMarks > 0 {
			fmt.Fprintf(b, "      provided permission (footnote 1) in %d of the provided roles' cells; which roles did not survive\n", p.ProvidedMarks)
		}
		errata(p.Errata)
	}
	for _, f := range c.PermissionFootnotes {
		fmt.Fprintf(b, "  footnote %d: %s\n", f.ID, f.Text)
	}
	fmt.Fprintf(b, "  provided roles: ")
	var names []string
	for _, r := range c.ProvidedRoles.Roles {
		names = append(names, r.Name)
	}
	fmt.Fprintf(b, "%s\n  role matrix: %s. %s\n", strings.Join(names, ", "), c.ProvidedRoles.Matrix, c.ProvidedRoles.MatrixNote)
}
