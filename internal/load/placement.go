package load

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/model"
)

// blockParents maps each block type of the deployment language to the
// block types it may appear in, read from the model's hcl tags: the one
// definition of where a block belongs.
var blockParents = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	var walk func(t reflect.Type, parent string)
	walk = func(t reflect.Type, parent string) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, kind, _ := strings.Cut(f.Tag.Get("hcl"), ",")
			if kind != "block" {
				continue
			}
			if !contains(out[name], parent) {
				out[name] = append(out[name], parent)
				walk(f.Type, name)
			}
		}
	}
	out["deployment"] = []string{"the top level of a file"}
	walk(reflect.TypeFor[model.Deployment](), "deployment")
	for _, ps := range out {
		sort.Strings(ps)
	}
	return out
})

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

var unexpectedBlock = regexp.MustCompile(`^Blocks of type "([a-z_]+)" are not expected here\.`)

// explainPlacement adds to each "not expected here" diagnostic where that
// block type belongs, when the language has it somewhere else.
func explainPlacement(diags hcl.Diagnostics) {
	for _, d := range diags {
		m := unexpectedBlock.FindStringSubmatch(d.Detail)
		if m == nil {
			continue
		}
		parents := blockParents()[m[1]]
		if len(parents) == 0 {
			continue
		}
		where := make([]string, len(parents))
		for i, p := range parents {
			where[i] = article(p) + " " + p + " block"
			if strings.HasPrefix(p, "the ") {
				where[i] = p
			}
		}
		d.Detail += fmt.Sprintf(" %s %s block belongs inside %s; move it there.", strings.ToUpper(article(m[1])[:1])+article(m[1])[1:], m[1], strings.Join(where, " or "))
	}
}

// article is "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
