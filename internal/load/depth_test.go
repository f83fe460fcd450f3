package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// depthSeeds are inputs for the scanner: the examples, the hostile cases,
// and the constructs it must follow or give up on.
func depthSeeds(tb testing.TB) [][]byte {
	seeds := [][]byte{
		[]byte(`a = [[[[1]]]]`),
		[]byte(`a = "${ { b = "${ x }" } }"`),
		[]byte(`a = "$${ not } %%{ not } ${~ x ~}"`),
		[]byte("a = <<EOT\n${ [[[1]]] }\nEOT\n"),
		[]byte("# {{{{\n// ((((\n/* [[[[ */ a = 1"),
		[]byte(`a = "\"{{{{\\" ((("`),
		[]byte("a = \"unterminated\nb = [[[[1]]]]"),
		[]byte(`a = }}} [[[[[1]]]]]`),
		[]byte(`a = "%{ if x }[%{ endif }"`),
		[]byte("a = \"\\\n\""),
		[]byte("/* unterminated [[[[["),
		[]byte("a = \"\xff[[[[[\""),
		[]byte("a = - - -1\nb = !!!true\nc = 1e-5 - -2\nd = a != !b"),
		[]byte("a = x ? 1 : y ? 2 : z ? 3 : 4\nb = [x ? 1 : 2, y ? 3 : 4]\nc = { a = x ? 1 : 2\n b = y ? 2 : 3 }"),
		[]byte("a = 1+1+1+1+1+1\nb = [1+1, 1+1+1, 1%2+3/4]\nc = 1e+5+1E+2\nd = x && y || z && w || v\ne = (1 +\n 1 +\n 1 + 1 + 1)"),
		[]byte("a = 1+1 # c\nb = 1+1 // d\nc = 1+1+1 /* e\n */ + 1\nf = \"${1+1+1+1+1}\""),
		[]byte("a = foo-bar---baz - -qux"),
		[]byte("a = (x ? [y ? 1 : 2] : - - 3)"),
	}
	for _, glob := range []string{"../../examples/*/*.hcl", "../../testdata/hostile/cases/*.hcl"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			seeds = append(seeds, data)
		}
	}
	return seeds
}

// TestScanDepth: the byte scan agrees with the lexer whenever it is sure,
// is sure about real configurations, and finds deep nesting in each mode.
func TestScanDepth(t *testing.T) {
	for _, src := range depthSeeds(t) {
		for _, max := range []int{1, 2, 3, 4, 64} {
			within, sure := scanDepth(src, max)
			if lexed := lexDepth("x.hcl", src, max) == nil; sure && within != lexed {
				t.Errorf("max %d: scan says within=%v, lexer %v, for:\n%s", max, within, lexed, src)
			}
		}
	}
	examples, _ := filepath.Glob("../../examples/*/*.hcl")
	for _, f := range examples {
		data, _ := os.ReadFile(f)
		if within, sure := scanDepth(data, 64); !sure || !within {
			t.Errorf("%s: scan gave within=%v sure=%v; the examples need no lexing", f, within, sure)
		}
	}
	for _, src := range []string{
		"a = " + strings.Repeat("[", 65) + strings.Repeat("]", 65),
		"a = " + strings.Repeat("{", 65) + strings.Repeat("}", 65),
		"a = " + strings.Repeat(`"${`, 33) + strings.Repeat(`}"`, 33),
		"a = " + strings.Repeat("-", 300_000) + "1",
		"a = " + strings.Repeat("- ", 70) + "1",
		"a = " + strings.Repeat("!", 100) + "true",
	} {
		if within, sure := scanDepth([]byte(src), 64); !sure || within {
			t.Errorf("scan missed nesting deeper than 64 (within=%v sure=%v) in %.40s…", within, sure, src)
		}
		if d := CheckDepth("x.hcl", []byte(src), 64); d == nil || d.Subject == nil {
			t.Errorf("CheckDepth gave no located diagnostic for %.40s…", src)
		}
	}
}

// TestDepthUnaryAndConditionals: runs of unary operators and chains of
// conditionals count as nesting (the parser recurses on each), found by
// the scan or the lexer; identifiers with dashes and sibling conditionals
// do not.
func TestDepthUnaryAndConditionals(t *testing.T) {
	for _, src := range []string{
		"a = " + strings.Repeat("true ? 1 : ", 65) + "0",
		"a = " + strings.Repeat("x ? (", 40) + strings.Repeat("- ", 30) + "1" + strings.Repeat(") : 2", 40),
		"a = " + strings.Repeat("-", 70) + "1",
		"a = " + strings.Repeat("!", 70) + "true",
	} {
		if d := CheckDepth("x.hcl", []byte(src), 64); d == nil || d.Subject == nil || d.Summary != "Nesting too deep" {
			t.Errorf("no located diagnostic for %.60s…: %v", src, d)
		}
	}
	for _, src := range []string{
		"a = " + strings.Repeat("a-", 500) + "b",
		"a = [" + strings.Repeat("x ? 1 : 2, ", 200) + "]",
		"a = {\n" + strings.Repeat("k = x ? 1 : 2\n", 200) + "}",
		strings.Repeat("a = x ? 1 : 2\n", 200),
		"a = " + strings.Repeat("- ", 60) + "1",
	} {
		if d := CheckDepth("x.hcl", []byte(src), 64); d != nil {
			t.Errorf("%.60s…: %v", src, d)
		}
	}
}

// FuzzScanDepth holds the byte scan to the lexer: when it is sure, its
// verdict is the lexer's.
func FuzzScanDepth(f *testing.F) {
	for _, s := range depthSeeds(f) {
		f.Add(s, uint8(3))
	}
	saved := maxOperators
	f.Cleanup(func() { maxOperators = saved })
	maxOperators = 4 // operator chains too, on short inputs
	f.Fuzz(func(t *testing.T, src []byte, max uint8) {
		m := int(max%8) + 1
		within, sure := scanDepth(src, m)
		if !sure {
			return
		}
		if lexed := lexDepth("x.hcl", src, m) == nil; within != lexed {
			t.Fatalf("max %d: scan says within=%v, lexer %v, for %q", m, within, lexed, src)
		}
	})
}
