package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/render"
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
	if err := writeRequirements(e.stdout, c); err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// requirementsView is what templates/requirements/requirements.txt.tmpl
// shows: the catalog, with its maps and alternatives put in the order the
// text lists them.
type requirementsView struct {
	C             *catalog.Catalog
	Features      []featureView
	Ports         []portView
	Exclusions    []catalog.ExclusionList
	ProvidedRoles []string
}

type featureView struct {
	ID           string
	Alternatives []alternativeView
}

type alternativeView struct {
	Requires []string // "connect 4.11 or later", one per module
	Source   catalog.Source
	Errata   []catalog.Erratum
}

type portView struct {
	Row  catalog.Port
	Port string // the number, or each transfer's number for a row with one per transfer
}

// writeRequirements prints every fact of c with its source.
func writeRequirements(w io.Writer, c *catalog.Catalog) error {
	eng, err := render.New("")
	if err != nil {
		return err
	}
	v := requirementsView{C: c}
	for _, f := range c.Features {
		fv := featureView{ID: f.ID}
		for _, alt := range f.AnyOf {
			av := alternativeView{Source: alt.Source, Errata: alt.Errata}
			for _, r := range alt.Requires {
				av.Requires = append(av.Requires, r.Describe(r.Module))
			}
			fv.Alternatives = append(fv.Alternatives, av)
		}
		v.Features = append(v.Features, fv)
	}
	for _, p := range c.Ports {
		port := fmt.Sprint(p.Port)
		if p.Port == 0 {
			var ts []string
			for _, t := range model.Transfers {
				if n, ok := p.Transfers[t]; ok {
					ts = append(ts, fmt.Sprintf("%d (%s)", n, t))
				}
			}
			port = strings.Join(ts, ", ")
		}
		v.Ports = append(v.Ports, portView{Row: p, Port: port})
	}
	for _, k := range catalog.ExclusionKeys {
		v.Exclusions = append(v.Exclusions, c.Exclusions[k])
	}
	for _, r := range c.ProvidedRoles.Roles {
		v.ProvidedRoles = append(v.ProvidedRoles, r.Name)
	}
	files, err := eng.Render([]render.Output{{Path: "requirements.txt", Template: "requirements/requirements.txt.tmpl", Data: v}})
	if err != nil {
		return err
	}
	_, err = w.Write(files["requirements.txt"])
	return err
}
