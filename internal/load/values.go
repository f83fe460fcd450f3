package load

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/trgen/trgen/internal/rule"
)

// checkValue bounds a local's or variable's value at its top level: a
// string of at most MaxValueBytes, a collection of at most
// MaxValueElements. Each step of a chain of locals is checked, so a
// chain that doubles a string ("${local.a}${local.a}") stops at the
// first step over the limit, not after it has filled memory.
func checkValue(v cty.Value, what string, rng hcl.Range, l Limits) *hcl.Diagnostic {
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	var problem string
	switch t := v.Type(); {
	case t == cty.String:
		if n := len(v.AsString()); int64(n) > l.MaxValueBytes {
			problem = fmt.Sprintf("%s is %d bytes; a value may be at most %d bytes", what, n, l.MaxValueBytes)
		}
	case t.IsListType() || t.IsSetType() || t.IsMapType() || t.IsTupleType():
		if n := v.LengthInt(); n > l.MaxValueElements {
			problem = fmt.Sprintf("%s holds %d elements; a value may hold at most %d", what, n, l.MaxValueElements)
		}
	}
	if problem == "" {
		return nil
	}
	return rule.Tag(&hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Value too large",
		Detail:   problem + ". trgen refuses such values rather than exhaust memory; a deployment never needs one.",
		Subject:  rng.Ptr(),
	}, rule.Decode)
}

// nestingAdded is an upper bound of the levels of nesting expr adds to
// the values it refers to: each collection, for expression or function
// call it is made of may add one. A chain of locals adds theirs up, so a
// value's depth is bounded before it is built. Expressions of the JSON
// syntax are not walked: their value's own depth counts (measured up to
// max+1).
func nestingAdded(expr hcl.Expression, v cty.Value, max int) int {
	e, ok := expr.(hclsyntax.Expression)
	if !ok {
		return valueDepth(v, max+1)
	}
	w := &depthWalker{}
	hclsyntax.Walk(e, w)
	return w.max
}

type depthWalker struct{ depth, max int }

func adds(n hclsyntax.Node) bool {
	switch n.(type) {
	case *hclsyntax.TupleConsExpr, *hclsyntax.ObjectConsExpr, *hclsyntax.ForExpr, *hclsyntax.FunctionCallExpr:
		return true
	}
	return false
}

func (w *depthWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	if adds(n) {
		w.depth++
		w.max = max(w.max, w.depth)
	}
	return nil
}

func (w *depthWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if adds(n) {
		w.depth--
	}
	return nil
}

// valueDepth is v's nesting depth, counted up to limit.
func valueDepth(v cty.Value, limit int) int {
	if limit <= 0 || !v.IsKnown() || v.IsNull() {
		return 0
	}
	t := v.Type()
	if !(t.IsListType() || t.IsSetType() || t.IsMapType() || t.IsTupleType() || t.IsObjectType()) {
		return 0
	}
	deepest := 0
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if d := valueDepth(e, limit-1); d > deepest {
			deepest = d
			if 1+deepest >= limit {
				break
			}
		}
	}
	return 1 + deepest
}

// bounded wraps the functions whose result can be far larger than their
// arguments, refusing a call before it builds more than the limits allow.
func bounded(fs map[string]function.Function, l Limits) {
	tooMany := func(name string, n *big.Int) error {
		if n.Cmp(big.NewInt(int64(l.MaxValueElements))) > 0 {
			return fmt.Errorf("%s would build %s elements; functions may build at most %d", name, n, l.MaxValueElements)
		}
		return nil
	}
	tooLong := func(name string, n *big.Int) error {
		if n.Cmp(big.NewInt(l.MaxValueBytes)) > 0 {
			return fmt.Errorf("%s would build a string of %s bytes; functions may build at most %d", name, n, l.MaxValueBytes)
		}
		return nil
	}
	length := func(v cty.Value) int64 {
		if !v.IsKnown() || v.IsNull() {
			return 0
		}
		if v.Type() == cty.String {
			return int64(len(v.AsString()))
		}
		if v.CanIterateElements() {
			return int64(v.LengthInt())
		}
		return 0
	}
	known := func(args []cty.Value) bool {
		for _, a := range args {
			if !a.IsWhollyKnown() || a.IsNull() {
				return false
			}
		}
		return true
	}
	check := map[string]func(args []cty.Value) error{
		"setproduct": func(args []cty.Value) error {
			n := big.NewInt(1)
			for _, a := range args {
				n.Mul(n, big.NewInt(length(a)))
			}
			return tooMany("setproduct", n)
		},
		"indent": func(args []cty.Value) error {
			spaces, _ := args[0].AsBigFloat().Int(nil)
			lines := int64(strings.Count(args[1].AsString(), "\n"))
			n := new(big.Int).Mul(spaces, big.NewInt(lines))
			return tooLong("indent", n.Add(n, big.NewInt(length(args[1]))))
		},
		"join": func(args []cty.Value) error {
			n, count := big.NewInt(0), int64(0)
			for _, list := range args[1:] {
				for it := list.ElementIterator(); it.Next(); {
					_, e := it.Element()
					n.Add(n, big.NewInt(length(e)))
					count++
				}
			}
			if count > 1 {
				n.Add(n, big.NewInt(length(args[0])*(count-1)))
			}
			return tooLong("join", n)
		},
		"replace": func(args []cty.Value) error {
			s, sub, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
			count := int64(utf8.RuneCountInString(s) + 1)
			if sub != "" {
				count = int64(strings.Count(s, sub))
			}
			n := big.NewInt(count)
			n.Mul(n, big.NewInt(int64(len(repl))))
			return tooLong("replace", n.Add(n, big.NewInt(int64(len(s)))))
		},
		"regex_replace": func(args []cty.Value) error {
			re, err := regexp.Compile(args[1].AsString())
			if err != nil {
				return nil // the function reports it
			}
			s, repl := args[0].AsString(), args[2].AsString()
			n := big.NewInt(int64(len(re.FindAllStringIndex(s, -1))))
			n.Mul(n, big.NewInt(int64(len(repl))))
			return tooLong("regex_replace", n.Add(n, big.NewInt(int64(len(s)))))
		},
		"format":     func(args []cty.Value) error { return formatWidth("format", args[0].AsString(), l) },
		"formatlist": func(args []cty.Value) error { return formatWidth("formatlist", args[0].AsString(), l) },
	}
	for name, pre := range check {
		f, ok := fs[name]
		if !ok {
			continue
		}
		fs[name] = function.New(&function.Spec{
			Description: f.Description(),
			Params:      f.Params(),
			VarParam:    f.VarParam(),
			Type:        func(args []cty.Value) (cty.Type, error) { return f.ReturnTypeForValues(args) },
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				if known(args) {
					if err := pre(args); err != nil {
						return cty.NilVal, err
					}
				}
				return f.Call(args)
			},
		})
	}
}

// formatVerb finds the widths and precisions of format verbs.
var formatVerb = regexp.MustCompile(`%[-+# 0]*(\d*)(?:\.(\d*))?`)

// formatWidth refuses a format whose verbs ask for a width or precision
// over MaxValueBytes (format("%900000000d", 1)).
func formatWidth(name, f string, l Limits) error {
	for _, m := range formatVerb.FindAllStringSubmatch(f, -1) {
		for _, num := range m[1:] {
			if n, ok := new(big.Int).SetString(num, 10); ok && n.Cmp(big.NewInt(l.MaxValueBytes)) > 0 {
				return fmt.Errorf("%s would build a string of at least %s bytes; functions may build at most %d", name, n, l.MaxValueBytes)
			}
		}
	}
	return nil
}
