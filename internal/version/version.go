// Package version parses and compares the dotted numeric version strings
// Tanium uses for its platform, clients and modules (7.2.314.3550, 4.10.5,
// 5.0). It knows nothing about which versions are supported: that is the
// catalog's business.
package version

import (
	"fmt"
	"strconv"
	"strings"
)

// maxParts is the most components a Tanium version has (major.minor.build.patch).
const maxParts = 4

// Version is a parsed dotted version. Missing trailing components compare as
// zero, so 5.0 == 5.0.0.
type Version struct {
	parts [maxParts]uint32
	n     int
}

// Parse reads a version of one to four dot-separated decimal numbers.
func Parse(s string) (Version, error) {
	if s == "" {
		return Version{}, fmt.Errorf("empty version")
	}
	if v, ok := parse(s); ok {
		return v, nil
	}
	if n := strings.Count(s, ".") + 1; n > maxParts {
		return Version{}, fmt.Errorf("%q has %d components; a version has at most %d", s, n, maxParts)
	}
	return Version{}, fmt.Errorf("%q is not a dotted version of numbers", s)
}

// Of returns the version of the given parts (at most maxParts).
func Of(parts ...uint32) Version {
	var v Version
	v.n = copy(v.parts[:], parts)
	return v
}

// ParseBytes is Parse's success path for a version in b: no allocation
// for a version that fits Go's stack buffer for conversions (32 bytes).
func ParseBytes(b []byte) (Version, bool) { return parse(string(b)) }

// parse reads dotted numbers of at most 9 digits each, allocating nothing.
func parse(s string) (Version, bool) {
	var v Version
	if len(s) == 0 {
		return v, false
	}
	n, digits := 0, 0
	var cur uint32
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || n == maxParts {
				return Version{}, false
			}
			v.parts[n] = cur
			n++
			cur, digits = 0, 0
			continue
		}
		c := s[i]
		if c < '0' || c > '9' || digits == 9 {
			return Version{}, false
		}
		cur = cur*10 + uint32(c-'0')
		digits++
	}
	v.n = n
	return v, true
}

// MustParse is Parse for versions written in the program or its embedded
// catalog; a bad one is a programming error.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than w.
func (v Version) Compare(w Version) int {
	for i := range maxParts {
		switch {
		case v.parts[i] < w.parts[i]:
			return -1
		case v.parts[i] > w.parts[i]:
			return 1
		}
	}
	return 0
}

// Less reports whether v is older than w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// AtLeast reports whether v is w or newer.
func (v Version) AtLeast(w Version) bool { return v.Compare(w) >= 0 }

// Part returns component i (0-based), zero when absent.
func (v Version) Part(i int) uint32 { return v.parts[i] }

// HasPrefix reports whether v starts with the components of p: 7.2.314.3550
// has the prefix 7.2.
func (v Version) HasPrefix(p Version) bool {
	for i := 0; i < p.n; i++ {
		if v.parts[i] != p.parts[i] {
			return false
		}
	}
	return true
}

// String returns the version as written, without padding.
func (v Version) String() string {
	var b strings.Builder
	for i := 0; i < v.n; i++ {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.FormatUint(uint64(v.parts[i]), 10))
	}
	return b.String()
}
