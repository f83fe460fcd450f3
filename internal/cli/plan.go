package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/trgen/trgen/internal/changes"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/emit"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/state"
)

// ExitChanges is plan's exit code, with --detailed-exitcode, when the plan
// has changes.
const ExitChanges = 3

// planMarker opens every plan trgen writes; --out replaces only a file
// that holds it near its start.
const planMarker = "trgen plan"

func runPlan(e *env, args []string) int {
	fs := newFlagSet(e, "plan", "plan [PATH] --from DIR [flags]")
	cf := addLoadFlags(fs)
	from := fs.String("from", "", "the folder holding the previous output, DIR/<deployment>/ (read, never written; required)")
	format := fs.String("format", "text", "plan format: text, json or markdown (an incremental change request)")
	outFile := fs.String("out", "", "write the plan to FILE instead of stdout (replaces only an earlier trgen plan)")
	allowEdited := fs.Bool("allow-edited", false, "compare a previous output whose files were edited or added since trgen wrote them, and list them")
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 with no changes, 1 on errors, 2 on usage errors, 3 with changes")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	path, err := onePath(pos)
	if err != nil {
		return usageError(e, err)
	}
	if *from == "" {
		return usageError(e, fmt.Errorf("plan needs --from DIR, the folder that holds the previous output"))
	}
	if *format != "text" && *format != "json" && *format != "markdown" {
		return usageError(e, fmt.Errorf("unknown plan format %q: text, json or markdown", *format))
	}
	engine, err := render.New("")
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	v, err := validatePath(e, path, cf, *cf.strict)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if v.report.Failed() {
		if err := writeReport(e, diag.Text, v.report, *cf.noColor); err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		fmt.Fprintln(e.stderr, "Nothing was compared.")
		return ExitInvalid
	}
	if len(v.report.Diagnostics) > 0 {
		diag.WriteText(e.stderr, v.report, colorFor(e, e.stderr, *cf.noColor))
	}
	if *outFile != "" {
		if err := checkPlanOut(*outFile, runInputs(v, cf, ""), *from); err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\nNothing was compared.\n", err)
			return ExitUsage
		}
	}
	d := v.config.Deployment
	target := filepath.Join(*from, d.Name)
	prev, err := emit.ReadOutput(target, changes.Reads)
	if errors.Is(err, iofs.ErrNotExist) {
		fmt.Fprintf(e.stderr, "trgen: %s does not exist: --from names the folder that holds the previous output of deployment %q (the -o of generate)\n", target, d.Name)
		return ExitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: reading %s: %v\n", target, err)
		return ExitUsage
	}
	if prev.NoManifest {
		fmt.Fprintf(e.stderr, "trgen: %s is not a trgen output folder: it has no readable %s\n", target, emit.ManifestName)
		return ExitUsage
	}
	var edited []string
	edited = append(edited, prev.Edited...)
	for _, u := range prev.Unlisted {
		edited = append(edited, u+" (not written by trgen)")
	}
	for _, m := range prev.Missing {
		edited = append(edited, m+" (missing)")
	}
	if len(edited) > 0 && !*allowEdited {
		fmt.Fprintf(e.stderr, "trgen: %s is not as trgen wrote it: %s. Compare it anyway with --allow-edited, or regenerate it from the deployment it was applied from.\n", safeText(target), safeText(strings.Join(edited, ", ")))
		return ExitInvalid
	}
	report, err := reportJSON(v)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	files, err := renderAll(engine, v, report)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: internal error: %v\n", err)
		return ExitUsage
	}
	// Files edited since trgen wrote them (--allow-edited) are compared
	// as they are: then the previous output is read back from its files,
	// not from the state trgen recorded.
	for _, p := range prev.Edited {
		if changes.Reads(p) {
			delete(prev.Files, state.FileName)
			break
		}
	}
	oldSnap, err := changes.Read(prev.Files)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: reading the previous output %s: %v\n", target, err)
		return ExitUsage
	}
	newSnap, err := changes.Read(files)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: internal error: %v\n", err)
		return ExitUsage
	}
	p := changes.Compare(oldSnap, newSnap)
	written := maps.Clone(prev.Listed)
	for _, e := range prev.Edited {
		written[e] = "edited" // what the teams hold is not what trgen wrote
	}
	for _, m := range prev.Missing {
		delete(written, m)
	}
	p.CompareFiles(written, files)
	p.Deployment = d.Name
	p.From = changes.Version{Trgen: prev.Meta.TrgenVersion, Catalog: prev.Meta.CatalogVersion}
	p.To = changes.Version{Trgen: Version, Catalog: v.check.Catalog.CatalogVersion}
	p.Edited = append(p.Edited, edited...)

	var out bytes.Buffer
	switch *format {
	case "json":
		doc := struct {
			GeneratedBy string `json:"generated_by"`
			*changes.Plan
		}{planMarker, p}
		data, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		out.Write(append(data, '\n'))
	case "markdown":
		header := generate.NewHeader(d, v.check.Catalog, Version, v.config.Filenames)
		md, err := engine.Render([]render.Output{{Path: "plan.md", Template: "plan/plan.md.tmpl", Data: generate.PlanView{Header: header, Plan: p, From: target, Request: generate.NewRequestHeader(d.ChangeRequest)}}})
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		out.Write(md["plan.md"])
	default:
		writePlanText(&out, p, target, *outFile == "" && colorFor(e, e.stdout, *cf.noColor))
	}
	if *outFile != "" {
		if err := writePlanFile(*outFile, out.Bytes()); err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		fmt.Fprintf(e.stdout, "%s Wrote it to %s.\n", summaryLine(p), *outFile)
	} else {
		e.stdout.Write(out.Bytes())
	}
	if *detailed && !p.Summary.Empty() {
		return ExitChanges
	}
	return ExitOK
}

// writePlanFile writes a plan to file atomically, replacing only an
// earlier plan (checkPlanOut has refused the run's inputs and --from).
func writePlanFile(file string, data []byte) error {
	if info, err := os.Lstat(file); err == nil {
		if err := openPlan(file, info); err != nil {
			return err
		}
	} else if !os.IsNotExist(err) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".trgen-plan-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// summaryLine is the plan's last line: what it opens, closes and changes,
// or "No changes.".
func summaryLine(p *changes.Plan) string {
	s := p.Summary
	if s.Empty() {
		return "No changes. The deployment's output matches the one in --from."
	}
	parts := []string{fmt.Sprintf("%s to open, %d to close, %d to change", plural(s.FlowsToOpen, "flow"), s.FlowsToClose, s.FlowsToChange)}
	if s.ExclusionsToAdd+s.ExclusionsToRemove > 0 {
		parts = append(parts, fmt.Sprintf("%s to add, %d to remove", plural(s.ExclusionsToAdd, "exclusion"), s.ExclusionsToRemove))
	}
	var other []string
	for _, c := range []struct {
		n    int
		what string
	}{{s.HostFirewalls, "host firewall file"}, {s.AuditRuleSets, "audit rule set"}, {s.Roles, "role"}, {s.Memberships, "user group"}} {
		if c.n > 0 {
			other = append(other, plural(c.n, c.what))
		}
	}
	if len(other) > 0 {
		parts = append(parts, strings.Join(other, ", ")+" to update")
	}
	if s.Files > 0 {
		parts = append(parts, plural(s.Files, "file")+" change")
	}
	if s.NewFindings+s.GoneFindings > 0 {
		parts = append(parts, fmt.Sprintf("%s new, %d gone", plural(s.NewFindings, "finding"), s.GoneFindings))
	}
	return "Plan: " + strings.Join(parts, "; ") + "."
}

// writePlanText prints the plan the way terraform plan does: "+" to add,
// "-" to remove, "~" to change, then the summary line.
func writePlanText(w io.Writer, p *changes.Plan, from string, color bool) {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	add := func(s string) { fmt.Fprintln(w, paint("32", "  + "+s)) }
	del := func(s string) { fmt.Fprintln(w, paint("31", "  - "+s)) }
	chg := func(s string) { fmt.Fprintln(w, paint("33", "  ~ "+s)) }
	fmt.Fprintf(w, "%s: deployment %s compared with %s (written by trgen %s, catalog %s).\n", planMarker, safeText(p.Deployment), safeText(from), safeText(p.From.Trgen), safeText(p.From.Catalog))
	if len(p.Edited) > 0 {
		fmt.Fprintf(w, "Compared as they are (--allow-edited): %s\n", safeText(strings.Join(p.Edited, ", ")))
	}
	if p.ReadFromFiles {
		why := fmt.Sprintf("It has no %s (trgen %s wrote it)", state.FileName, safeText(p.From.Trgen))
		if len(p.Edited) > 0 {
			why = "Its files were edited"
		}
		fmt.Fprintf(w, "%s: read back from its files, which do not record destinations' DNS names, policy terms or runbook steps; those changes show only as files that change.\n", why)
	}
	flow := func(f changes.Flow) string {
		return fmt.Sprintf("%s %s (%s) → %s (%s) %s/%s: %s", f.ID, f.Source, f.SourceAddress, f.Destination, f.DestinationAddress, f.Protocol, f.Port, f.NeededBy)
	}
	for _, b := range p.Boundaries {
		fmt.Fprintf(w, "\nFlows, %s:\n", safeText(b.Boundary))
		for _, f := range b.Open {
			add(safeText(flow(f)))
		}
		for _, f := range b.Close {
			del(safeText(flow(f)))
		}
		for _, c := range b.Change {
			id := c.After.ID
			if c.Before.ID != c.After.ID {
				id = c.Before.ID + " → " + c.After.ID
			}
			chg(safeText(fmt.Sprintf("%s %s → %s", id, c.After.Source, c.After.Destination)))
			for _, fc := range c.Fields {
				fmt.Fprintf(w, "      %s: %s → %s\n", fc.Field, safeText(fc.Before), safeText(fc.After))
			}
		}
	}
	for _, x := range p.Exclusions {
		fmt.Fprintf(w, "\nExclusions, %s:\n", safeText(x.Target))
		for _, e := range x.Add {
			add(safeText(e.Kind + " " + e.Path + condition(e)))
		}
		for _, e := range x.Remove {
			del(safeText(e.Kind + " " + e.Path + condition(e)))
		}
	}
	lists := func(title, prefix string, ls []changes.ListChanges) {
		for _, l := range ls {
			state := ""
			if l.New {
				state = " (new)"
			} else if l.Gone {
				state = " (no longer written)"
			}
			fmt.Fprintf(w, "\n%s %s%s:\n", title, safeText(prefix+l.Name), state)
			item := func(s string) string {
				if d, ok := l.Details[s]; ok {
					return safeText(s + " " + d)
				}
				return safeText(s)
			}
			for _, s := range l.Add {
				add(item(s))
			}
			for _, s := range l.Remove {
				del(item(s))
			}
			for _, s := range l.Change {
				chg(item(s))
			}
		}
	}
	lists("Host firewall", "firewall/", p.HostFirewalls)
	lists("Audit rules of", "", p.AuditRules)
	lists("Network policy", "", p.NetworkPolicies)
	lists("Steps of", "", p.Runbook)
	roles := func(title, noun string, rs []changes.RoleChange) {
		if len(rs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, r := range rs {
			switch r.Action {
			case "add":
				add(safeText(fmt.Sprintf("%s %q: %s", noun, r.Name, strings.Join(r.Add, ", "))))
			case "remove":
				del(safeText(fmt.Sprintf("%s %q", noun, r.Name)))
			default:
				chg(safeText(fmt.Sprintf("%s %q", noun, r.Name)))
				for _, s := range r.Add {
					fmt.Fprintln(w, paint("32", "      + "+safeText(s)))
				}
				for _, s := range r.Remove {
					fmt.Fprintln(w, paint("31", "      - "+safeText(s)))
				}
			}
		}
	}
	roles("Roles (roles/roles.json)", "role", p.Roles)
	roles("Memberships (roles/memberships.json)", "user group", p.Memberships)
	if len(p.NewFindings)+len(p.GoneFindings) > 0 {
		fmt.Fprintln(w, "\nRequirement findings (report.json):")
		for _, f := range p.NewFindings {
			add(safeText(fmt.Sprintf("%s %s: %s", f.Severity, f.Rule, f.Summary)))
		}
		for _, f := range p.GoneFindings {
			del(safeText(fmt.Sprintf("%s %s: %s", f.Severity, f.Rule, f.Summary)))
		}
	}
	if len(p.Files) > 0 {
		fmt.Fprintln(w, "\nFiles that change:")
		for _, f := range p.Files {
			switch f.Action {
			case "add":
				add(safeText(f.Path))
			case "remove":
				del(safeText(f.Path))
			default:
				chg(safeText(f.Path))
			}
		}
	}
	if len(p.Steps) > 0 {
		fmt.Fprintln(w, "\nRunbook steps this change needs:")
		for i, s := range p.Steps {
			fmt.Fprintf(w, "  %d. %s\n", i+1, safeText(s))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, summaryLine(p))
}

func condition(e changes.Exclusion) string {
	if e.Condition == "" {
		return ""
	}
	return " (" + e.Condition + ")"
}

// safeText keeps control characters and line breaks from a previous
// output's files off the user's terminal.
func safeText(s string) string { return diag.OneLine(s) }
