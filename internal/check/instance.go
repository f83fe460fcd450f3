package check

import (
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
)

// The deployment JSON Schema validates a JSON document built from the
// decoded model. Building it walks the model's gohcl tags; a schema failure
// names a JSON pointer, which pointerRange maps back to the source range by
// walking the same tags. Ranges are resolved only for failures, so a valid
// deployment pays for the document alone.

// fieldKind is what a tagged model field holds.
type fieldKind int

const (
	kindLabel fieldKind = iota
	kindAttr
	kindBlock
)

// field describes one tagged field of a model struct.
type field struct {
	name       string // the HCL name, and the JSON property
	kind       fieldKind
	index      int
	rangeIndex int // the attr_value_range or label_range field, or -1
	elemIndex  int // for list attributes: the []hcl.Range of element ranges, or -1
}

// typeInfo is the tagged fields of a model struct, with its def_range field.
type typeInfo struct {
	fields   []field
	defRange int
}

var typeInfos sync.Map // reflect.Type -> *typeInfo

func infoFor(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{defRange: -1}
	ranges := map[string]int{}
	elems := map[string]int{} // attribute name -> its element ranges field
	for i := 0; i < t.NumField(); i++ {
		if attr, ok := t.Field(i).Tag.Lookup("elements"); ok {
			elems[attr] = i
		}
		name, kind, ok := parseTag(t.Field(i))
		if !ok {
			continue
		}
		switch kind {
		case "attr_value_range", "label_range":
			ranges[name] = i
		case "def_range":
			ti.defRange = i
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, kind, ok := parseTag(f)
		if !ok {
			continue
		}
		fd := field{name: name, index: i, rangeIndex: -1, elemIndex: -1}
		if r, ok := ranges[name]; ok {
			fd.rangeIndex = r
		}
		switch kind {
		case "label":
			fd.kind = kindLabel
		case "attr", "optional":
			fd.kind = kindAttr
			// Element ranges of list attributes: the []hcl.Range field
			// tagged elements:"<attribute>" (model.IntelStream.AddressRanges).
			if e, ok := elems[name]; ok {
				fd.elemIndex = e
			}
		case "block":
			fd.kind = kindBlock
		default:
			continue
		}
		ti.fields = append(ti.fields, fd)
	}
	typeInfos.Store(t, ti)
	return ti
}

func parseTag(f reflect.StructField) (name, kind string, ok bool) {
	tag, ok := f.Tag.Lookup("hcl")
	if !ok {
		return "", "", false
	}
	name, kind, _ = strings.Cut(tag, ",")
	if kind == "" {
		kind = "attr"
	}
	return name, kind, true
}

// document returns the JSON document of a model struct (pointer or value):
// attributes become properties, the label the "label" property, blocks
// objects (arrays when repeatable); absent optional attributes are left out.
func document(v reflect.Value) map[string]any {
	v = reflect.Indirect(v)
	ti := infoFor(v.Type())
	obj := make(map[string]any, len(ti.fields))
	for _, f := range ti.fields {
		fv := v.Field(f.index)
		switch f.kind {
		case kindLabel:
			obj["label"] = fv.String()
		case kindAttr:
			// Absent optional attributes are nil pointers or nil slices.
			if (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Slice) && fv.IsNil() {
				continue
			}
			obj[f.name] = scalarOrList(reflect.Indirect(fv))
		case kindBlock:
			switch {
			case fv.Kind() == reflect.Slice:
				list := make([]any, fv.Len())
				for j := range list {
					list[j] = document(fv.Index(j))
				}
				obj[f.name] = list
			case fv.Kind() == reflect.Pointer && fv.IsNil():
			default:
				obj[f.name] = document(fv)
			}
		}
	}
	return obj
}

func scalarOrList(v reflect.Value) any {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int64:
		return v.Int()
	case reflect.Float64:
		return v.Float()
	case reflect.Slice:
		list := make([]any, v.Len())
		for i := range list {
			list[i] = scalarOrList(v.Index(i))
		}
		return list
	}
	return v.Interface()
}

// pointerRange returns the source range of the value at the JSON pointer
// path (relative to the struct root) or of its nearest ancestor that has one.
func pointerRange(root reflect.Value, rootRange hcl.Range, path []string) hcl.Range {
	best := rootRange
	v := reflect.Indirect(root)
	for i := 0; i < len(path); i++ {
		ti := infoFor(v.Type())
		seg := path[i]
		if seg == "label" {
			for _, f := range ti.fields {
				if f.kind == kindLabel && f.rangeIndex >= 0 {
					return orElse(v.Field(f.rangeIndex).Interface().(hcl.Range), best)
				}
			}
			return best
		}
		var fd *field
		for j := range ti.fields {
			if ti.fields[j].name == seg && ti.fields[j].kind != kindLabel {
				fd = &ti.fields[j]
			}
		}
		if fd == nil {
			return best
		}
		fv := v.Field(fd.index)
		if fd.kind == kindAttr {
			if fd.rangeIndex >= 0 {
				best = orElse(v.Field(fd.rangeIndex).Interface().(hcl.Range), best)
			}
			if i+1 < len(path) && fd.elemIndex >= 0 {
				if n, err := strconv.Atoi(path[i+1]); err == nil {
					if elems, _ := v.Field(fd.elemIndex).Interface().([]hcl.Range); n < len(elems) {
						best = orElse(elems[n], best)
					}
				}
			}
			return best
		}
		// A block: a slice element or a single (pointer) block.
		if fv.Kind() == reflect.Slice {
			if i+1 >= len(path) {
				return best
			}
			n, err := strconv.Atoi(path[i+1])
			if err != nil || n >= fv.Len() {
				return best
			}
			fv = fv.Index(n)
			i++
		} else if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				return best
			}
			fv = fv.Elem()
		}
		if di := infoFor(fv.Type()).defRange; di >= 0 {
			best = orElse(fv.Field(di).Interface().(hcl.Range), best)
		}
		v = fv
	}
	return best
}

func orElse(r, def hcl.Range) hcl.Range {
	if r.Filename == "" {
		return def
	}
	return r
}
