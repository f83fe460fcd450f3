// Package jsondoc holds what trgen does with JSON documents as documents:
// it compiles the JSON Schemas embedded in the schema package, and finds
// where in a document's text the value a JSON pointer names is, so a
// problem in a user's JSON file is reported at its line and column.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trgen/trgen/schema"
)

// CompileSchema compiles a JSON Schema embedded in the schema package.
func CompileSchema(name string) (*jsonschema.Schema, error) {
	data, err := schema.FS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		return nil, err
	}
	return c.Compile(name)
}

// Leaves returns the failures at the leaves of a validation error's tree:
// the ones that name a value and what is wrong with it.
func Leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, Leaves(c)...)
	}
	return out
}

// Index maps the JSON pointers of a document's values to where they are
// in its text.
type Index struct {
	filename string
	data     []byte
	starts   map[string][2]int // pointer → [start, end) byte offsets
}

// NewIndex indexes data, a syntactically valid JSON document.
func NewIndex(filename string, data []byte) (*Index, error) {
	ix := &Index{filename: filename, data: data, starts: map[string][2]int{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := ix.value(dec, ""); err != nil {
		return nil, err
	}
	return ix, nil
}

// value reads the value at ptr and, for objects and arrays, its members.
func (ix *Index) value(dec *json.Decoder, ptr string) error {
	start := int(dec.InputOffset())
	for start < len(ix.data) && strings.IndexByte(" \t\r\n:,", ix.data[start]) >= 0 {
		start++
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			if err := ix.value(dec, ptr+"/"+escape(key.(string))); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := ix.value(dec, ptr+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	ix.starts[ptr] = [2]int{start, int(dec.InputOffset())}
	return nil
}

// Strings calls visit for every string of doc, a document decoded into
// any (objects as map[string]any, arrays as []any), and for every object
// key, with the JSON pointer of the value (of the member, for a key), in
// a stable order.
func Strings(doc any, visit func(ptr, s string)) {
	walkStrings(doc, "", visit)
}

func walkStrings(v any, ptr string, visit func(ptr, s string)) {
	switch v := v.(type) {
	case string:
		visit(ptr, v)
	case []any:
		for i, e := range v {
			walkStrings(e, ptr+"/"+strconv.Itoa(i), visit)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := ptr + "/" + escape(k)
			visit(p, k)
			walkStrings(v[k], p, visit)
		}
	}
}

func escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// Range returns the source range of the value ptr names, or of its nearest
// ancestor that exists (a missing property is reported at its object).
func (ix *Index) Range(ptr string) hcl.Range {
	for {
		if se, ok := ix.starts[ptr]; ok {
			end := se[1]
			if nl := bytes.IndexByte(ix.data[se[0]:end], '\n'); nl >= 0 {
				end = se[0] + nl // an object or array: its first line
			}
			return hcl.Range{Filename: ix.filename, Start: ix.pos(se[0]), End: ix.pos(end)}
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return hcl.Range{Filename: ix.filename, Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 1}}
		}
		ptr = ptr[:i]
	}
}

// Pos returns the line and column of a byte offset of the document.
func Pos(data []byte, off int) hcl.Pos {
	if off > len(data) {
		off = len(data)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
	return hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(data[lineStart:off]), Byte: off}
}

func (ix *Index) pos(off int) hcl.Pos { return Pos(ix.data, off) }
