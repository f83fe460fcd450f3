package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/emit"
	"github.com/trgen/trgen/internal/fleet"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/state"
	"github.com/trgen/trgen/internal/verify"
)

// resultColumnFlags collects verify's --column field=Header.
type resultColumnFlags struct{ cols *verify.ResultColumns }

func (c resultColumnFlags) String() string { return "" }

func (c resultColumnFlags) Set(s string) error {
	f, h, ok := strings.Cut(s, "=")
	if !ok || f == "" {
		return fmt.Errorf("--column takes field=Header, got %q", s)
	}
	fields := map[string]*string{"name": &c.cols.Name, "address": &c.cols.Address, "group": &c.cols.Group,
		"kind": &c.cols.Kind, "item": &c.cols.Item, "value": &c.cols.Value}
	p, ok := fields[f]
	if !ok {
		return fmt.Errorf("--column: unknown field %q (fields: name, address, group, kind, item, value)", f)
	}
	*p = h
	return nil
}

// localTimeout bounds the sensor's run on this host.
const localTimeout = 2 * time.Minute

// maxSensorOutput bounds what the sensor may print on this host.
const maxSensorOutput = 64 << 20

func runVerify(e *env, args []string) int {
	fs := newFlagSet(e, "verify", "verify [PATH] --from DIR (--results FILE | --local [--group NAME]) [--format text|json] [flags]")
	cf := addLoadFlags(fs)
	from := fs.String("from", "", "the folder holding the output the endpoints were set up from, DIR/<deployment>/ (read, never written; required)")
	results := fs.String("results", "", "the question's results: the Console's CSV export or the REST API's result data (JSON), gzip-compressed or not (- for stdin)")
	local := fs.Bool("local", false, "run the sensor on this host and compare it")
	group := fs.String("group", "", "with --local: the endpoint group this host belongs to (needed when the deployment has more than one Linux group)")
	format := fs.String("format", "text", "report format: text, json, csv (one row per item) or markdown")
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 when every endpoint matches, 1 on errors, 2 on usage errors, 3 with drift, unknowns or unready endpoints")
	maxListed := fs.Int("max-listed", 20, "text format: how many endpoints that do not match to list, the worst first")
	cols := verify.DefaultResultColumns
	fs.Var(resultColumnFlags{&cols}, "column", "with --results: the header of a column, field=Header (name, address, group, kind, item, value; repeatable)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	path, err := onePath(pos)
	if err != nil {
		return usageError(e, err)
	}
	switch {
	case *from == "":
		return usageError(e, fmt.Errorf("verify needs --from DIR, the folder that holds the output the endpoints were set up from (the -o of generate)"))
	case (*results == "") == !*local:
		return usageError(e, fmt.Errorf("verify needs one of --results FILE (a question's results) and --local (this host)"))
	case *group != "" && !*local:
		return usageError(e, fmt.Errorf("--group is for --local; a results file's endpoints are matched to groups by address, or by a group column (--column group=Header)"))
	case !slices.Contains([]string{"text", "json", "csv", "markdown"}, *format):
		return usageError(e, fmt.Errorf("unknown format %q; verify writes text, json, csv or markdown", *format))
	}
	v, err := validatePath(e, path, cf, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if v.report.Failed() {
		writeReport(e, diag.Text, v.report, *cf.noColor)
		fmt.Fprintln(e.stderr, "The deployment must validate before its endpoints can be verified. Nothing was compared.")
		return ExitInvalid
	}
	d := v.config.Deployment
	st, code := readState(e, filepath.Join(*from, d.Name), d.Name)
	if st == nil {
		return code
	}
	checker, err := fleet.NewChecker(d, v.check.Catalog)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	ver, err := verify.New(d, st, checker)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitInvalid
	}
	if *local {
		if code := verifyLocal(e, v, d, *group, ver); code != ExitOK {
			return code
		}
	} else {
		in, closeIn, err := openInput(e, *results)
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		defer closeIn()
		if err := verify.ReadResults(in, cols, ver); err != nil {
			fmt.Fprintf(e.stderr, "trgen: %s: %v\nNothing was compared.\n", safeText(*results), safeText(err.Error()))
			return ExitInvalid
		}
	}
	rep := ver.Report()
	w := bufio.NewWriter(e.stdout)
	var werr error
	switch *format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		werr = enc.Encode(rep)
	case "csv":
		werr = writeVerifyCSV(w, rep)
	case "markdown":
		writeVerifyMarkdown(w, rep, *maxListed)
	default:
		writeVerifyText(w, rep, *maxListed)
	}
	if werr != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", werr)
		return ExitUsage
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	switch {
	case rep.Summary.Endpoints == 0:
		fmt.Fprintln(e.stderr, "trgen: the results hold no endpoint: an empty or failed question passes nothing.")
		return ExitInvalid
	case rep.Clean():
		return ExitOK
	case *detailed:
		return ExitChanges
	}
	return ExitOK
}

// readState reads state.json of the output folder target, which must be
// as trgen wrote it.
func readState(e *env, target, deployment string) (*state.State, int) {
	out, err := emit.ReadOutput(target, func(p string) bool { return p == state.FileName })
	if errors.Is(err, iofs.ErrNotExist) {
		fmt.Fprintf(e.stderr, "trgen: %s does not exist: --from names the folder that holds deployment %q's output (the -o of generate)\n", safeText(target), deployment)
		return nil, ExitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: reading %s: %v\n", safeText(target), err)
		return nil, ExitUsage
	}
	if out.NoManifest {
		fmt.Fprintf(e.stderr, "trgen: %s is not a trgen output folder: it has no readable %s\n", safeText(target), emit.ManifestName)
		return nil, ExitUsage
	}
	data, ok := out.Files[state.FileName]
	if !ok || slices.Contains(out.Edited, state.FileName) {
		fmt.Fprintf(e.stderr, "trgen: %s has no %s as trgen wrote it (an output of a trgen before state.json, or an edited one): regenerate it with trgen generate\n", safeText(target), state.FileName)
		return nil, ExitInvalid
	}
	st, err := state.Parse(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %s: %v\n", filepath.Join(safeText(target), state.FileName), err)
		return nil, ExitInvalid
	}
	return st, ExitOK
}

// verifyLocal runs the Linux sensor, as generate writes it for d, on this
// host and gives its rows to ver as one endpoint's.
func verifyLocal(e *env, v *validation, d *model.Deployment, group string, ver *verify.Verifier) int {
	var linux []string
	for _, g := range d.EndpointGroups {
		if g.OS == model.OSLinux {
			linux = append(linux, g.Name)
		}
	}
	switch {
	case len(linux) == 0:
		fmt.Fprintln(e.stderr, "trgen: the deployment has no Linux group: --local runs the Linux sensor, the one trgen writes so far")
		return ExitUsage
	case group == "" && len(linux) > 1:
		fmt.Fprintf(e.stderr, "trgen: --local needs --group NAME: the deployment has %d Linux groups (%s)\n", len(linux), strings.Join(linux, ", "))
		return ExitUsage
	case group == "":
		group = linux[0]
	case !slices.Contains(linux, group):
		fmt.Fprintf(e.stderr, "trgen: --group %q is not a Linux group of the deployment (%s)\n", safeText(group), strings.Join(linux, ", "))
		return ExitUsage
	}
	eng, err := render.New("")
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	h := generate.NewHeader(d, v.check.Catalog, Version, v.config.Filenames)
	files, err := eng.Render(generate.SensorOutputs(d, v.check.Catalog, h))
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	out, err := runSensor(files["verify/linux.sh"])
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: running the sensor: %v\nNothing was compared.\n", err)
		return ExitInvalid
	}
	name, _ := os.Hostname()
	name = cmpOr(name, "localhost")
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		r, err := verify.ParseLine(line)
		if err != nil {
			ver.Bad(name, "", group, fmt.Sprintf("row %d", i+1), err)
			continue
		}
		ver.Add(name, "", group, r)
	}
	return ExitOK
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// runSensor runs script with sh, bounded in time and output.
func runSensor(script []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "trgen-sensor-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "linux.sh")
	if err := os.WriteFile(p, script, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), localTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", p)
	var stdout bytes.Buffer
	cmd.Stdout = &capped{w: &stdout, max: maxSensorOutput}
	cmd.Stderr = io.Discard
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("no answer within %s", localTimeout)
		}
		return nil, err
	}
	return stdout.Bytes(), nil
}

// capped fails a write past max bytes.
type capped struct {
	w   io.Writer
	max int
	n   int
}

func (c *capped) Write(p []byte) (int, error) {
	if c.n += len(p); c.n > c.max {
		return 0, fmt.Errorf("the sensor printed more than %d bytes", c.max)
	}
	return c.w.Write(p)
}

// writeVerifyCSV writes one row per item that is not present, and one
// row for each endpoint that matches (status "match"), after a UTF-8 byte
// order mark (spreadsheets read UTF-8 only with it); every cell is made
// safe for a spreadsheet.
func writeVerifyCSV(w io.Writer, r *verify.Report) error {
	io.WriteString(w, "\uFEFF")
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"endpoint", "address", "group", "state", "area", "item", "status", "expected", "found", "detail"})
	row := func(cells ...string) {
		for i := range cells {
			cells[i] = render.SpreadsheetCell(diag.OneLine(cells[i]))
		}
		cw.Write(cells)
	}
	for _, ep := range r.Endpoints {
		if len(ep.Items) == 0 && len(ep.Unreadable) == 0 {
			row(ep.Name, ep.Address, ep.Group, ep.State, "", "", ep.State, "", "", "")
		}
		for _, it := range ep.Items {
			row(ep.Name, ep.Address, ep.Group, ep.State, it.Area, it.ID, it.Status, it.Expected, it.Found, it.Detail)
		}
		for _, u := range ep.Unreadable {
			row(ep.Name, ep.Address, ep.Group, ep.State, "", "", "unreadable", "", "", u)
		}
	}
	for _, u := range r.Unreadable {
		row("", "", "", "", "", "", "unreadable", "", "", u)
	}
	cw.Flush()
	return cw.Error()
}

// writeVerifyMarkdown writes the report for a ticket or a pull request:
// the summary, then a table per endpoint that does not match, drift
// first, every value escaped for Markdown.
func writeVerifyMarkdown(w io.Writer, r *verify.Report, maxListed int) {
	var summary strings.Builder
	writeVerifySummary(&summary, r)
	fmt.Fprintf(w, "# trgen verify: %s\n\n%s\n", render.MDCell(r.Deployment), render.MDCell(strings.TrimSpace(summary.String())))
	for i, ep := range notMatching(r) {
		if i == maxListed {
			fmt.Fprintf(w, "\n%d more endpoints do not match (`--max-listed`, or `--format json` for all).\n", len(notMatching(r))-maxListed)
			break
		}
		fmt.Fprintf(w, "\n## %s\n\nGroup %s, address %s: %s, %d present.\n\n", render.MDCell(ep.Name),
			render.MDCode(cmpOr(ep.Group, "none")), render.MDCode(cmpOr(ep.Address, "none")), render.MDCell(ep.State), ep.Present)
		fmt.Fprintln(w, "| status | area | item | expected | found | detail |")
		fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
		for _, it := range ep.Items {
			mdRow(w, it.Status, it.Area, it.ID, it.Expected, it.Found, it.Detail)
		}
		for _, u := range ep.Unreadable {
			mdRow(w, "unreadable", "", "", "", "", u)
		}
	}
	if len(r.Unreadable) > 0 {
		fmt.Fprint(w, "\n## Unreadable rows\n\n")
		for _, u := range r.Unreadable {
			fmt.Fprintf(w, "- %s\n", render.MDCell(u))
		}
	}
}

// mdRow writes one table row, each cell escaped, "–" for an empty one.
func mdRow(w io.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = cmpOr(render.MDCell(c), "–")
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// notMatching are the endpoints that do not match, drift first.
func notMatching(r *verify.Report) []verify.Endpoint {
	rank := map[string]int{verify.StateDrift: 0, verify.StateNotReady: 1, verify.StateUnknown: 2}
	var listed []verify.Endpoint
	for _, ep := range r.Endpoints {
		if ep.State != verify.StateMatch {
			listed = append(listed, ep)
		}
	}
	slices.SortStableFunc(listed, func(a, b verify.Endpoint) int { return rank[a.State] - rank[b.State] })
	return listed
}

// writeVerifySummary writes the summary line.
func writeVerifySummary(w io.Writer, r *verify.Report) {
	s := r.Summary
	fmt.Fprintf(w, "%s: %s: %d match", safeText(r.Deployment), plural(s.Endpoints, "endpoint"), s.Match)
	if s.Drift > 0 {
		fmt.Fprintf(w, "; %d drift (%d missing, %d different, %d no longer expected, on %s)", s.Drift, s.Missing, s.Different, s.Unexpected, plural(s.DriftGroups, "group"))
	}
	if s.NotReady > 0 {
		fmt.Fprintf(w, "; %d not ready", s.NotReady)
	}
	if s.Unknown > 0 {
		fmt.Fprintf(w, "; %d unknown", s.Unknown)
	}
	if s.UnreadableRows > 0 {
		fmt.Fprintf(w, "; %s unreadable", plural(s.UnreadableRows, "row"))
	}
	fmt.Fprintln(w, ".")
}

// writeVerifyText writes the report for a terminal: the summary line, then
// the endpoints that do not match, drift first, each with its items.
func writeVerifyText(w io.Writer, r *verify.Report, maxListed int) {
	writeVerifySummary(w, r)
	listed := notMatching(r)
	marks := map[string]string{verify.Missing: "-", verify.Different: "~", verify.Unexpected: "+", verify.Unknown: "?", verify.NotReady: "!", verify.Advice: "i"}
	for i, ep := range listed {
		if i == maxListed {
			fmt.Fprintf(w, "\n… and %d more endpoints that do not match (--max-listed, or --format json for all).\n", len(listed)-maxListed)
			break
		}
		where := ep.Group
		if ep.Address != "" {
			where = ep.Address + ", " + cmpOr(ep.Group, "no group")
		}
		fmt.Fprintf(w, "\n%s (%s): %s, %d present\n", safeText(ep.Name), safeText(where), ep.State, ep.Present)
		for _, it := range ep.Items {
			line := fmt.Sprintf("  %s %-12s %s %s", marks[it.Status], it.Status, it.Area, it.ID)
			if it.Expected != "" && it.Status != verify.Advice && it.Status != verify.NotReady {
				line += ": expected " + it.Expected
			}
			if it.Found != "" {
				line += "; found " + it.Found
			}
			if it.Detail != "" {
				line += " (" + it.Detail + ")"
			}
			fmt.Fprintln(w, safeText(line))
		}
		for _, u := range ep.Unreadable {
			fmt.Fprintln(w, "  ? unreadable   "+safeText(u))
		}
	}
	for _, u := range r.Unreadable {
		fmt.Fprintln(w, "unreadable row: "+safeText(u))
	}
}
