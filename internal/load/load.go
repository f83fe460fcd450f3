// Package load turns deployment files into a model.Deployment: it parses HCL
// native and JSON syntax, resolves variables (-var, -var-file, TRGEN_VAR_*),
// evaluates locals, offers the expression functions, and decodes with gohcl.
// It keeps every parsed file so that diagnostics can show source snippets. It
// knows nothing about Threat Response requirements; package check does.
package load

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

// Limits on what a configuration may be, so hostile input gets an error
// rather than exhausting memory.
const (
	// MaxFileBytes is the largest input file read (an inventory's OS map,
	// an audit rules file, a var file).
	MaxFileBytes = 16 << 20
	// MaxConfigBytes is the most a configuration's files may hold, each
	// and together (--max-file-bytes): what parses within the memory
	// docs/security.md promises.
	MaxConfigBytes = 8 << 20
	// MaxFiles is the most configuration files in one directory.
	MaxFiles = 1000
)

// Suffixes of the files a configuration directory is made of.
const (
	SuffixHCL  = ".hcl"
	SuffixJSON = ".hcl.json"
)

// VarArg is one -var NAME=VALUE or -var-file FILE from the command line, in
// the order given (later ones win, as in Terraform).
type VarArg struct {
	File  string // set for -var-file
	Name  string // set for -var
	Value string
}

// Options control how a configuration is loaded.
type Options struct {
	Vars []VarArg
	// Env is the process environment as KEY=VALUE; TRGEN_VAR_<name> entries
	// set variables.
	Env []string
	// Limits bound the input; zero fields take DefaultLimits.
	Limits Limits
	// Siblings are the other configuration files of the folder when a
	// single file was given (LoadPath fills it), for the hint that a
	// declaration may be in one of them.
	Siblings []string
}

// Config is a loaded configuration.
type Config struct {
	// Dir is the configuration directory; file() is confined to it.
	Dir string
	// Filenames are the files the configuration was read from, sorted.
	Filenames []string
	// Reads are the files its expressions read through file(), resolved
	// (symbolic links followed), in the order first read.
	Reads []string
	// Deployment is the decoded deployment, nil when decoding failed badly.
	Deployment *model.Deployment
}

// Loader parses and decodes configurations. It keeps every parsed file for
// diagnostic snippets; use one Loader per command.
type Loader struct {
	parser *hclparse.Parser
}

// New returns a Loader.
func New() *Loader { return &Loader{parser: hclparse.NewParser()} }

// Files returns every file parsed so far, for diagnostic snippets.
func (l *Loader) Files() map[string]*hcl.File { return l.parser.Files() }

// ConfigFiles lists the configuration files at path: path itself if it is a
// file, else every *.hcl and *.hcl.json file directly inside it, sorted.
func ConfigFiles(path string) (dir string, files []string, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", nil, err
	}
	if !info.IsDir() {
		return filepath.Dir(path), []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return "", nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasSuffix(name, SuffixHCL) || strings.HasSuffix(name, SuffixJSON) {
			files = append(files, filepath.Join(path, name))
		}
	}
	if len(files) == 0 {
		return "", nil, fmt.Errorf("%s holds no %s or %s files", path, SuffixHCL, SuffixJSON)
	}
	if len(files) > MaxFiles {
		return "", nil, fmt.Errorf("%s holds %d configuration files; at most %d are read", path, len(files), MaxFiles)
	}
	sort.Strings(files)
	return path, files, nil
}

// LoadPath reads the configuration at path (a file or a directory).
// An error return means the path itself could not be read; problems in the
// configuration are diagnostics.
func (l *Loader) LoadPath(path string, opts Options) (*Config, hcl.Diagnostics, error) {
	dir, names, err := ConfigFiles(path)
	if err != nil {
		return nil, nil, err
	}
	srcs := make([]Source, 0, len(names))
	max := opts.Limits.orDefault().MaxFileBytes
	for _, name := range names {
		data, err := ReadFile(name, max)
		if _, ok := err.(*TooLargeError); ok {
			return nil, nil, fmt.Errorf("%v; configuration files may be at most %d bytes (--max-file-bytes)", err, max)
		}
		if err != nil {
			return nil, nil, err
		}
		srcs = append(srcs, Source{Name: name, Data: data})
	}
	opts.Siblings = siblingFiles(path)
	cfg, diags := l.LoadSources(dir, srcs, opts)
	return cfg, diags, nil
}

// Source is one configuration file's name and bytes.
type Source struct {
	Name string
	Data []byte
}

// LoadSources parses and decodes in-memory files as one configuration whose
// directory (for file()) is dir.
func (l *Loader) LoadSources(dir string, srcs []Source, opts Options) (*Config, hcl.Diagnostics) {
	cfg := &Config{Dir: dir}
	var diags hcl.Diagnostics
	var files []*hcl.File
	limits := opts.Limits.orDefault()
	blocks, attrs := 0, 0
	total := int64(0)
	for _, s := range srcs {
		cfg.Filenames = append(cfg.Filenames, s.Name)
		var f *hcl.File
		var ds hcl.Diagnostics
		if total += int64(len(s.Data)); total > limits.MaxFileBytes && int64(len(s.Data)) <= limits.MaxFileBytes {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Configuration too large",
				Detail:  fmt.Sprintf("The configuration's files hold more than %d bytes together, %s included; a configuration may hold at most %d bytes (--max-file-bytes).", limits.MaxFileBytes, s.Name, limits.MaxFileBytes),
				Subject: &hcl.Range{Filename: s.Name, Start: hcl.InitialPos, End: hcl.InitialPos}}, rule.Syntax))
			return cfg, diags
		}
		if int64(len(s.Data)) > limits.MaxFileBytes {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Configuration file too large",
				Detail:  fmt.Sprintf("%s is %d bytes; configuration files may be at most %d bytes (--max-file-bytes).", s.Name, len(s.Data), limits.MaxFileBytes),
				Subject: &hcl.Range{Filename: s.Name, Start: hcl.InitialPos, End: hcl.InitialPos}}, rule.Syntax))
			continue
		}
		// JSON too: its structure nests, and its strings are templates.
		if d := CheckDepth(s.Name, s.Data, limits.MaxDepth); d != nil {
			diags = append(diags, d)
			continue
		}
		if strings.HasSuffix(s.Name, SuffixJSON) {
			f, ds = l.parser.ParseJSON(s.Data, s.Name)
		} else {
			f, ds = l.parser.ParseHCL(s.Data, s.Name)
		}
		diags = append(diags, tagAll(ds, rule.Syntax)...)
		if f != nil && !ds.HasErrors() {
			files = append(files, f)
			nb, na := countItems(f.Body)
			if blocks += nb; blocks > limits.MaxBlocks {
				diags = append(diags, rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Too many blocks",
					Detail:  fmt.Sprintf("The configuration holds more than %d blocks (--max-blocks); split it, or raise the limit if the deployment really is that large.", limits.MaxBlocks),
					Subject: &hcl.Range{Filename: s.Name, Start: hcl.InitialPos, End: hcl.InitialPos}}, rule.Syntax))
				return cfg, diags
			}
			if strings.HasSuffix(s.Name, SuffixJSON) {
				na = jsonMembers(s.Data)
			}
			attrs += na
			if attrs > limits.MaxAttributes {
				diags = append(diags, rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Too many attributes",
					Detail:  fmt.Sprintf("The configuration holds more than %d attributes, locals included (--max-attributes); split it, or raise the limit if the deployment really is that large.", limits.MaxAttributes),
					Subject: &hcl.Range{Filename: s.Name, Start: hcl.InitialPos, End: hcl.InitialPos}}, rule.Syntax))
				return cfg, diags
			}
		}
	}
	if diags.HasErrors() {
		return cfg, diags
	}
	body := hcl.MergeFiles(files)
	content, ds := body.Content(rootSchema)
	explainPlacement(ds)
	diags = append(diags, tagAll(ds, rule.Decode)...)

	seen := map[string]bool{}
	read := func(p string) {
		if !seen[p] {
			seen[p] = true
			cfg.Reads = append(cfg.Reads, p)
		}
	}
	ctx := &hcl.EvalContext{Functions: functions(dir, limits, read), Variables: map[string]cty.Value{}}
	vars, ds := l.variables(content.Blocks.OfType("variable"), opts)
	diags = append(diags, ds...)
	ctx.Variables["var"] = cty.ObjectVal(vars)
	declared := map[string]bool{}
	for n := range vars {
		declared[n] = true
	}
	var scanned []hcl.Body
	for _, b := range content.Blocks {
		if b.Type == "locals" || b.Type == "deployment" {
			scanned = append(scanned, b.Body)
		}
	}
	if ds := undeclaredVariables(scanned, declared, opts.Siblings); ds.HasErrors() {
		// Evaluating the references would only repeat these, twice each.
		return cfg, append(diags, ds...)
	}
	locals, ds := evalLocals(content.Blocks.OfType("locals"), ctx, limits)
	diags = append(diags, ds...)
	ctx.Variables["local"] = cty.ObjectVal(locals)

	deps := content.Blocks.OfType("deployment")
	switch {
	case len(deps) == 0:
		diags = append(diags, rule.Tag(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No deployment block",
			Detail:   "A configuration needs exactly one deployment block; its label names the output folder. Add deployment \"<name>\" { ... }.",
			Subject:  fileStart(files),
		}, rule.DeploymentCount))
		return cfg, diags
	case len(deps) > 1:
		for _, b := range deps[1:] {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "More than one deployment block",
				Detail:   fmt.Sprintf("A configuration describes exactly one deployment; the first is at %s. Move this one to its own directory.", deps[0].DefRange),
				Subject:  b.DefRange.Ptr(),
			}, rule.DeploymentCount))
		}
		return cfg, diags
	}
	if diags.HasErrors() {
		// Variables or locals failed: decoding would only repeat their errors.
		return cfg, diags
	}
	dep, ds := decodeDeployment(deps[0], ctx, l.parser.Files())
	diags = append(diags, ds...)
	fillElementRanges(dep, dir)
	cfg.Deployment = dep
	return cfg, diags
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "deployment", LabelNames: []string{"name"}},
	},
}

// fileStart is the first byte of the first file, for diagnostics about the
// configuration as a whole.
func fileStart(files []*hcl.File) *hcl.Range {
	if len(files) == 0 {
		return nil
	}
	r := files[0].Body.MissingItemRange()
	return &hcl.Range{Filename: r.Filename, Start: hcl.InitialPos, End: hcl.InitialPos}
}

// fillElementRanges records the range of each element of the list
// attributes, so diagnostics can point at the one bad CIDR or license.
func fillElementRanges(d *model.Deployment, dir string) {
	d.LicenseRanges = elementRanges(d.Body, "licenses", len(d.Licenses))
	d.Platform.ComputerGroupRanges = elementRanges(d.Platform.Body, "computer_groups", len(d.Platform.ComputerGroups))
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		g.NetworkRanges = elementRanges(g.Body, "networks", len(g.Networks))
	}
	for i := range d.IntelStreams {
		s := &d.IntelStreams[i]
		s.AddressRanges = elementRanges(s.Body, "addresses", len(s.Addresses))
	}
	for i := range d.DataCollection {
		s := &d.DataCollection[i]
		s.AddressRanges = elementRanges(s.Body, "addresses", len(s.Addresses))
		s.GroupRanges = elementRanges(s.Body, "groups", len(s.Groups))
	}
	for i := range d.EndpointGroups {
		if a := d.EndpointGroups[i].Auditd; a != nil && a.SiteRules != nil {
			a.SiteRulesFile = fileArgument(a.Body, "site_rules", dir)
		}
	}
	for i := range d.Roles {
		r := &d.Roles[i]
		r.PermissionRanges = elementRanges(r.Body, "permissions", len(r.Permissions))
		for j := range r.ContentSetPermissions {
			p := &r.ContentSetPermissions[j]
			p.ContentSetRanges = elementRanges(p.Body, "content_sets", len(p.ContentSets))
		}
	}
	for i := range d.UserGroups {
		g := &d.UserGroups[i]
		g.RoleRanges = elementRanges(g.Body, "roles", len(g.Roles))
	}
	if nf := d.NetworkFirewall; nf != nil {
		nf.TargetRanges = elementRanges(nf.Body, "targets", len(nf.Targets))
		for i := range nf.Boundaries {
			b := &nf.Boundaries[i]
			b.TargetRanges = elementRanges(b.Body, "targets", len(b.Targets))
		}
	}
}

// fileArgument returns the path an attribute's value was read from when it
// is written as file("<literal>"), joined to the configuration directory,
// else "".
func fileArgument(body hcl.Body, name, dir string) string {
	if body == nil {
		return ""
	}
	content, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: name}}})
	attr, ok := content.Attributes[name]
	if !ok {
		return ""
	}
	call, ok := attr.Expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "file" || len(call.Args) != 1 {
		return ""
	}
	v, diags := call.Args[0].Value(nil)
	if diags.HasErrors() || !v.Type().Equals(cty.String) || !v.IsKnown() || v.IsNull() {
		return ""
	}
	return filepath.Join(dir, v.AsString())
}

// elementRanges returns one range per element of the list attribute name
// when it is written as a literal list, else the attribute's value range
// repeated (a for expression or function call has no per-element source).
func elementRanges(body hcl.Body, name string, n int) []hcl.Range {
	if body == nil || n == 0 {
		return nil
	}
	content, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: name}}})
	attr, ok := content.Attributes[name]
	if !ok {
		return nil
	}
	out := make([]hcl.Range, n)
	exprs, diags := hcl.ExprList(attr.Expr)
	for i := range out {
		if !diags.HasErrors() && len(exprs) == n {
			out[i] = exprs[i].Range()
		} else {
			out[i] = attr.Expr.Range()
		}
	}
	return out
}
