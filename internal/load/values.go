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

// checkValue bounds a local's or variable's value, all of it: its
// strings together at most MaxValueBytes, its elements at every level
// together at most MaxValueElements. Each step of a chain of locals is
// checked, so a chain that doubles a string ("${local.a}${local.a}") or a
// list ([local.a, local.a]) stops at the first step over the limit, not
// after it has filled memory.
func checkValue(v cty.Value, what string, rng hcl.Range, l Limits) *hcl.Diagnostic {
	problem := sizeProblem(v, what, l)
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

// sizeProblem says how v is over the limits, or "". It counts what v
// holds at every level and stops as soon as it is over, so its work is
// bounded by the limits, not by v.
func sizeProblem(v cty.Value, what string, l Limits) string {
	var elems, bytes int64
	var walk func(v cty.Value) bool
	walk = func(v cty.Value) bool {
		if !v.IsKnown() || v.IsNull() {
			return true
		}
		t := v.Type()
		switch {
		case t == cty.String:
			bytes += int64(len(v.AsString()))
			return bytes <= l.MaxValueBytes
		case t.IsListType() || t.IsSetType() || t.IsMapType() || t.IsTupleType() || t.IsObjectType():
			if elems += int64(v.LengthInt()); elems > int64(l.MaxValueElements) {
				return false
			}
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				if t.IsMapType() {
					bytes += int64(len(k.AsString()))
				}
				if !walk(e) {
					return false
				}
			}
		}
		return true
	}
	if walk(v) {
		return ""
	}
	if bytes > l.MaxValueBytes {
		return fmt.Sprintf("%s holds more than %d bytes of text; a value may hold at most %d", what, bytes, l.MaxValueBytes)
	}
	return fmt.Sprintf("%s holds more than %d elements at all its levels; a value may hold at most %d", what, l.MaxValueElements, l.MaxValueElements)
}

// jsonDepth is the deepest src's arrays and objects nest, counted up to
// limit+1, without decoding it.
func jsonDepth(src string, limit int) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > deepest {
				if deepest = depth; deepest > limit {
					return deepest
				}
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// maxDistinct is the longest list distinct() takes: go-cty's compares
// every pair of elements.
const maxDistinct = 10_000

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
		"jsondecode": func(args []cty.Value) error {
			if d := jsonDepth(args[0].AsString(), l.MaxValueDepth); d > l.MaxValueDepth {
				return fmt.Errorf("jsondecode: the JSON nests more than %d levels deep; values may nest at most %d (exceeded max depth)", l.MaxValueDepth, l.MaxValueDepth)
			}
			return nil
		},
		"jsonencode": func(args []cty.Value) error {
			if p := sizeProblem(args[0], "jsonencode's argument", l); p != "" {
				return fmt.Errorf("%s", p)
			}
			return nil
		},
		"distinct": func(args []cty.Value) error {
			if n := length(args[0]); n > maxDistinct {
				return fmt.Errorf("distinct compares every pair of its %d elements; it takes at most %d", n, maxDistinct)
			}
			return nil
		},
		"format":     func(args []cty.Value) error { return formatWidth("format", args[0].AsString(), l) },
		"formatlist": func(args []cty.Value) error { return formatWidth("formatlist", args[0].AsString(), l) },
	}
	for name, pre := range check {
		f, ok := fs[name]
		if !ok {
			continue
		}
		// Parameters of any type: HCL converts an argument to its
		// parameter's type before the call, and go-cty converts a tuple to
		// a list in time quadratic in its length; f.Call converts what
		// the bound let through.
		params := f.Params()
		for i := range params {
			params[i].Type = cty.DynamicPseudoType
		}
		var varParam *function.Parameter
		if vp := f.VarParam(); vp != nil {
			p := *vp
			p.Type = cty.DynamicPseudoType
			varParam = &p
		}
		fs[name] = function.New(&function.Spec{
			Description: f.Description(),
			Params:      params,
			VarParam:    varParam,
			// The type is worked out from the values too (jsondecode's by
			// decoding): the bounds apply before either.
			Type: func(args []cty.Value) (cty.Type, error) {
				if known(args) {
					if err := pre(args); err != nil {
						return cty.NilType, err
					}
				}
				return f.ReturnTypeForValues(args)
			},
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
