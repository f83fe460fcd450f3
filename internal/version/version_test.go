package version

import "testing"

func TestCompare(t *testing.T) {
	tests := map[string]struct {
		a, b string
		want int
	}{
		"equal":               {"7.2.314.3550", "7.2.314.3550", 0},
		"padding":             {"5.0", "5.0.0", 0},
		"older build":         {"7.2.314.3476", "7.2.314.3550", -1},
		"numeric not lexical": {"4.10.5", "4.9.9", 1},
		"major wins":          {"7.4.1.1955", "7.2.314.9999", 1},
		"shorter newer":       {"4.11", "4.10.5", 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := MustParse(tc.a).Compare(MustParse(tc.b)); got != tc.want {
				t.Errorf("Compare(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{"", "7..2", "7.2.", "v7.2", "7.2.314.3550.1", "7.x", "-1", " 7.2", "9999999999"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", s)
		}
	}
}

func TestStringAndPrefix(t *testing.T) {
	v := MustParse("7.4.1.1955")
	if v.String() != "7.4.1.1955" {
		t.Errorf("String() = %q", v.String())
	}
	if !v.HasPrefix(MustParse("7.4")) || v.HasPrefix(MustParse("7.2")) {
		t.Errorf("HasPrefix wrong for %s", v)
	}
}
