package check

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// instance is the JSON form of a decoded deployment, as the deployment JSON
// Schema describes it, with the source range of every value by JSON pointer.
type instance struct {
	doc    any
	ranges map[string]hcl.Range
}

// newInstance builds the JSON document of v (a *model.Deployment) from its
// gohcl tags: attributes become properties, labels the "label" property,
// blocks objects (arrays when repeatable). Absent optional attributes are
// left out. Each value's range comes from the sibling attr_value_range,
// label_range or def_range field, and list elements from the parallel
// []hcl.Range field named <Field>Ranges where the model has one.
func newInstance(root string, v any, declRange hcl.Range) *instance {
	in := &instance{ranges: map[string]hcl.Range{}}
	ptr := "/" + root
	in.ranges[ptr] = declRange
	in.doc = map[string]any{root: in.walk(reflect.ValueOf(v), ptr)}
	return in
}

type tagInfo struct {
	name, kind string
}

func parseTag(f reflect.StructField) (tagInfo, bool) {
	tag, ok := f.Tag.Lookup("hcl")
	if !ok {
		return tagInfo{}, false
	}
	name, kind, _ := strings.Cut(tag, ",")
	if kind == "" {
		kind = "attr"
	}
	return tagInfo{name, kind}, true
}

func (in *instance) walk(v reflect.Value, ptr string) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	t := v.Type()
	obj := map[string]any{}
	ranges := map[string]hcl.Range{} // attribute or label name -> range
	for i := 0; i < t.NumField(); i++ {
		ti, ok := parseTag(t.Field(i))
		if !ok {
			continue
		}
		switch ti.kind {
		case "attr_value_range", "label_range":
			ranges[ti.name] = v.Field(i).Interface().(hcl.Range)
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		ti, ok := parseTag(f)
		if !ok {
			continue
		}
		fv := v.Field(i)
		switch ti.kind {
		case "label":
			p := ptr + "/label"
			obj["label"] = fv.String()
			in.ranges[p] = ranges[ti.name]
		case "attr", "optional":
			if fv.Kind() == reflect.Pointer && fv.IsNil() {
				continue
			}
			p := ptr + "/" + ti.name
			r := ranges[ti.name]
			in.ranges[p] = r
			val := reflect.Indirect(fv)
			if val.Kind() == reflect.Slice {
				var elems []hcl.Range
				if er := v.FieldByName(f.Name[:len(f.Name)-1] + "Ranges"); er.IsValid() {
					elems, _ = er.Interface().([]hcl.Range)
				}
				list := make([]any, val.Len())
				for j := range list {
					list[j] = val.Index(j).Interface()
					if j < len(elems) {
						in.ranges[p+"/"+strconv.Itoa(j)] = elems[j]
					} else {
						in.ranges[p+"/"+strconv.Itoa(j)] = r
					}
				}
				obj[ti.name] = list
				continue
			}
			obj[ti.name] = val.Interface()
		case "block":
			p := ptr + "/" + ti.name
			if fv.Kind() == reflect.Slice {
				list := make([]any, fv.Len())
				for j := range list {
					ep := p + "/" + strconv.Itoa(j)
					in.ranges[ep] = defRange(fv.Index(j))
					list[j] = in.walk(fv.Index(j), ep)
				}
				obj[ti.name] = list
				continue
			}
			if fv.Kind() == reflect.Pointer && fv.IsNil() {
				continue
			}
			in.ranges[p] = defRange(fv)
			obj[ti.name] = in.walk(fv, p)
		}
	}
	return obj
}

// defRange returns the def_range field of a block struct.
func defRange(v reflect.Value) hcl.Range {
	v = reflect.Indirect(v)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if ti, ok := parseTag(t.Field(i)); ok && ti.kind == "def_range" {
			return v.Field(i).Interface().(hcl.Range)
		}
	}
	return hcl.Range{}
}

// rangeOf returns the range of the value at ptr, or of its nearest ancestor
// that has one.
func (in *instance) rangeOf(ptr string) hcl.Range {
	for {
		if r, ok := in.ranges[ptr]; ok && r.Filename != "" {
			return r
		}
		i := strings.LastIndexByte(ptr, '/')
		if i <= 0 {
			return hcl.Range{}
		}
		ptr = ptr[:i]
	}
}
