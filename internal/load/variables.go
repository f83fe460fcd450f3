package load

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
)

// EnvPrefix starts the environment variables that set deployment variables.
const EnvPrefix = "TRGEN_VAR_"

type variableBlock struct {
	Type        *hcl.Attribute `hcl:"type,optional"`
	Default     *hcl.Attribute `hcl:"default,optional"`
	Description *string        `hcl:"description,optional"`
}

type declared struct {
	name  string
	typ   cty.Type
	def   cty.Value
	hasDf bool
	rng   hcl.Range
}

// variables decodes the variable blocks and resolves each one's value:
// default, then TRGEN_VAR_<name>, then -var-file and -var in command-line
// order, later winning.
func (l *Loader) variables(blocks hcl.Blocks, opts Options) (map[string]cty.Value, hcl.Diagnostics) {
	decl, order, diags := declareVariables(blocks)
	vals, ds := l.variableValues(decl, order, opts)
	return vals, append(diags, ds...)
}

// declareVariables reads the variable blocks: each variable's type and
// default, by name, and the names in declaration order.
func declareVariables(blocks hcl.Blocks) (map[string]*declared, []string, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	decl := map[string]*declared{}
	var order []string
	for _, b := range blocks {
		name := b.Labels[0]
		if prev, dup := decl[name]; dup {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate variable declaration",
				Detail:   fmt.Sprintf("Variable %q was already declared at %s. Remove one of them.", name, prev.rng),
				Subject:  b.LabelRanges[0].Ptr(),
			}, rule.Variable))
			continue
		}
		d, ds := declareVariable(b)
		diags = append(diags, ds...)
		if d != nil {
			decl[name] = d
			order = append(order, name)
		}
	}
	return decl, order, diags
}

// declareVariable reads one variable block, or returns nil and why not.
func declareVariable(b *hcl.Block) (*declared, hcl.Diagnostics) {
	name := b.Labels[0]
	if !hclsyntax.ValidIdentifier(name) {
		return nil, hcl.Diagnostics{rule.Tag(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid variable name",
			Detail:   "A variable name must start with a letter or underscore and hold only letters, digits, underscores and dashes.",
			Subject:  b.LabelRanges[0].Ptr(),
		}, rule.Variable)}
	}
	var vb variableBlock
	ds := gohcl.DecodeBody(b.Body, nil, &vb)
	diags := tagAll(ds, rule.Decode)
	if ds.HasErrors() {
		return nil, diags
	}
	d := &declared{name: name, typ: cty.DynamicPseudoType, rng: b.LabelRanges[0]}
	if vb.Type != nil {
		t, ds := typeexpr.TypeConstraint(vb.Type.Expr)
		diags = append(diags, tagAll(ds, rule.Variable)...)
		if ds.HasErrors() {
			return nil, diags
		}
		d.typ = t
	}
	if vb.Default != nil {
		v, ds := vb.Default.Expr.Value(nil)
		diags = append(diags, tagAll(ds, rule.Variable)...)
		if ds.HasErrors() {
			return nil, diags
		}
		cv, err := convert.Convert(v, d.typ)
		if err != nil {
			return nil, append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid default value for variable",
				Detail:   fmt.Sprintf("The default of %q does not match its type: %s.", name, err),
				Subject:  vb.Default.Expr.Range().Ptr(),
			}, rule.Variable))
		}
		d.def, d.hasDf = cv, true
	}
	return d, diags
}

// variableValues gives each declared variable its value: the default,
// then the environment (TRGEN_VAR_*), then -var and -var-file in the order
// given, later ones winning; a variable left without one is an error.
func (l *Loader) variableValues(decl map[string]*declared, order []string, opts Options) (map[string]cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	limits := opts.Limits.orDefault()
	vals := map[string]cty.Value{}
	for name, d := range decl {
		if d.hasDf {
			vals[name] = d.def
		}
	}
	// Environment, sorted so that diagnostics come out in a stable order.
	env := append([]string(nil), opts.Env...)
	sort.Strings(env)
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvPrefix) {
			continue
		}
		name := strings.TrimPrefix(k, EnvPrefix)
		d, ok := decl[name]
		if !ok {
			continue // like Terraform: an unrelated environment is not an error
		}
		val, ds := rawValue(d, v, "environment variable "+k, limits.MaxDepth)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			vals[name] = val
		}
	}
	for _, a := range opts.Vars {
		if a.File != "" {
			fv, ds := l.varFile(a.File, decl, limits)
			diags = append(diags, ds...)
			for k, v := range fv {
				vals[k] = v
			}
			continue
		}
		d, ok := decl[a.Name]
		if !ok {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("-var sets %q, but the configuration declares no such variable.%s Declare it with a variable block or fix the name.", a.Name, suggest.DidYouMean(a.Name, order)),
			}, rule.Variable))
			continue
		}
		val, ds := rawValue(d, a.Value, "-var "+a.Name, limits.MaxDepth)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			vals[a.Name] = val
		}
	}
	for _, name := range order {
		if _, ok := vals[name]; !ok {
			d := decl[name]
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No value for required variable",
				Detail:   fmt.Sprintf("Variable %q has no default. Set it with -var %s=VALUE, -var-file, or the environment variable %s%s.", name, name, EnvPrefix, name),
				Subject:  d.rng.Ptr(),
			}, rule.Variable))
			vals[name] = cty.UnknownVal(d.typ)
		}
	}
	return vals, diags
}

// rawValue interprets a command-line or environment value as Terraform does:
// the text itself for primitive and untyped variables, an HCL expression for
// collection and structural types.
func rawValue(d *declared, raw, where string, maxDepth int) (cty.Value, hcl.Diagnostics) {
	var v cty.Value
	if d.typ.IsPrimitiveType() || d.typ == cty.DynamicPseudoType {
		v = cty.StringVal(raw)
	} else {
		if diag := CheckDepth(where, []byte(raw), maxDepth); diag != nil {
			return cty.NilVal, hcl.Diagnostics{diag}
		}
		expr, ds := hclsyntax.ParseExpression([]byte(raw), where, hcl.InitialPos)
		if ds.HasErrors() {
			return cty.NilVal, tagAll(ds, rule.Variable)
		}
		var vds hcl.Diagnostics
		v, vds = expr.Value(nil)
		if vds.HasErrors() {
			return cty.NilVal, tagAll(vds, rule.Variable)
		}
	}
	cv, err := convert.Convert(v, d.typ)
	if err != nil {
		return cty.NilVal, hcl.Diagnostics{rule.Tag(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("The value of %s does not match the type of variable %q: %s.", where, d.name, err),
			Subject:  d.rng.Ptr(),
		}, rule.Variable)}
	}
	return cv, nil
}

// varFile reads a -var-file: attributes only, literal values.
func (l *Loader) varFile(name string, decl map[string]*declared, limits Limits) (map[string]cty.Value, hcl.Diagnostics) {
	data, err := ReadFile(name, limits.MaxFileBytes)
	if err == nil {
		if d := CheckDepth(name, data, limits.MaxDepth); d != nil {
			return nil, hcl.Diagnostics{d}
		}
	}
	if err != nil {
		return nil, hcl.Diagnostics{rule.Tag(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read variables file",
			Detail:   fmt.Sprintf("-var-file %s: %s.", name, unwrapPathError(err)),
		}, rule.Variable)}
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(name, ".json") {
		f, diags = l.parser.ParseJSON(data, name)
	} else {
		f, diags = l.parser.ParseHCL(data, name)
	}
	diags = tagAll(diags, rule.Syntax)
	if diags.HasErrors() {
		return nil, diags
	}
	attrs, ds := f.Body.JustAttributes()
	diags = append(diags, tagAll(ds, rule.Variable)...)
	out := map[string]cty.Value{}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := attrs[n]
		d, ok := decl[n]
		if !ok {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("The variables file sets %q, which the configuration does not declare; the value is ignored.", n),
				Subject:  a.NameRange.Ptr(),
			}, rule.Variable))
			continue
		}
		v, ds := a.Expr.Value(nil)
		diags = append(diags, tagAll(ds, rule.Variable)...)
		if ds.HasErrors() {
			continue
		}
		cv, err := convert.Convert(v, d.typ)
		if err != nil {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid value for variable",
				Detail:   fmt.Sprintf("The value does not match the type of variable %q: %s.", n, err),
				Subject:  a.Expr.Range().Ptr(),
			}, rule.Variable))
			continue
		}
		out[n] = cv
	}
	return out, diags
}

// evalLocals evaluates every locals attribute in dependency order, each
// once; what is left refers back to itself (directly or not) and is an
// error. Each value is bounded in size and in the depth it may nest.
func evalLocals(blocks hcl.Blocks, ctx *hcl.EvalContext, limits Limits) (map[string]cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	pending := map[string]*hcl.Attribute{}
	for _, b := range blocks {
		attrs, ds := b.Body.JustAttributes()
		diags = append(diags, tagAll(ds, rule.Decode)...)
		for n, a := range attrs {
			if prev, dup := pending[n]; dup {
				diags = append(diags, rule.Tag(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate local value",
					Detail:   fmt.Sprintf("local.%s was already defined at %s.", n, prev.NameRange),
					Subject:  a.NameRange.Ptr(),
				}, rule.Decode))
				continue
			}
			pending[n] = a
		}
	}
	// Evaluate in dependency order (Kahn's algorithm): linear in the
	// locals and their references, whatever order they are written in.
	refs := map[string][]string{} // local → the pending locals it refers to
	users := map[string][]string{}
	waiting := map[string]int{}
	names := make([]string, 0, len(pending))
	for n := range pending {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		seen := map[string]bool{}
		for _, ref := range localRefs(pending[n].Expr) {
			if _, ok := pending[ref]; ok && !seen[ref] {
				seen[ref] = true
				refs[n] = append(refs[n], ref)
				users[ref] = append(users[ref], n)
				waiting[n]++
			}
		}
	}
	var ready []string
	for _, n := range names {
		if waiting[n] == 0 {
			ready = append(ready, n)
		}
	}
	vals := make(map[string]cty.Value, len(pending))
	depth := map[string]int{}
	for len(ready) > 0 {
		n := ready[0]
		ready = ready[1:]
		a := pending[n]
		// The context holds just the locals this expression names, not
		// every local so far: building that object per local would make
		// evaluation quadratic.
		own := map[string]cty.Value{}
		for _, ref := range localRefs(a.Expr) {
			if v, ok := vals[ref]; ok {
				own[ref] = v
			}
		}
		lctx := ctx.NewChild()
		lctx.Variables = map[string]cty.Value{"local": cty.ObjectVal(own)}
		v, ds := a.Expr.Value(lctx)
		diags = append(diags, tagAll(ds, rule.Decode)...)
		if ds.HasErrors() {
			v = cty.DynamicVal
		} else if d := checkValue(v, "local."+n, a.Expr.Range(), limits); d != nil {
			diags = append(diags, d)
			v = cty.DynamicVal
		}
		// How deep the value may nest: what this expression adds to the
		// deepest local it refers to.
		for _, ref := range refs[n] {
			depth[n] = max(depth[n], depth[ref])
		}
		if depth[n] += nestingAdded(a.Expr, v, limits.MaxValueDepth); depth[n] > limits.MaxValueDepth && !ds.HasErrors() {
			diags = append(diags, rule.Tag(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value nested too deep",
				Detail:   fmt.Sprintf("local.%s may nest more than %d levels deep, counting the locals it is built from; trgen refuses such values rather than risk its stack. Build it from fewer levels of locals.", n, limits.MaxValueDepth),
				Subject:  a.Expr.Range().Ptr(),
			}, rule.Decode))
			v = cty.DynamicVal
		}
		vals[n] = v
		delete(pending, n)
		for _, u := range users[n] {
			if waiting[u]--; waiting[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	// What is left refers, directly or not, to itself.
	for _, n := range names {
		a, ok := pending[n]
		if !ok {
			continue
		}
		diags = append(diags, rule.Tag(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Local value cannot be evaluated",
			Detail:   fmt.Sprintf("local.%s refers to locals that are undefined or refer back to it.", n),
			Subject:  a.Expr.Range().Ptr(),
		}, rule.Decode))
		vals[n] = cty.DynamicVal
	}
	return vals, diags
}

// localRefs lists the names of the locals expr refers to (local.NAME).
func localRefs(expr hcl.Expression) []string {
	var out []string
	for _, t := range expr.Variables() {
		if t.RootName() != "local" || len(t) < 2 {
			continue
		}
		if attr, ok := t[1].(hcl.TraverseAttr); ok {
			out = append(out, attr.Name)
		}
	}
	return out
}

// tagAll gives every diagnostic without a rule id the id r.
func tagAll(diags hcl.Diagnostics, r rule.ID) hcl.Diagnostics {
	for _, d := range diags {
		if rule.Of(d) == "" {
			rule.Tag(d, r)
		}
	}
	return diags
}
