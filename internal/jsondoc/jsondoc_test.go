package jsondoc

import "testing"

func TestIndexRange(t *testing.T) {
	doc := []byte("{\n  \"a\": {\"b/c\": [1, \"x\"]},\n  \"é\": true\n}\n")
	ix, err := NewIndex("f.json", doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ptr             string
		line, col, eCol int
	}{
		{"/a", 2, 8, 25},         // an object on one line: all of it
		{"/a/b~1c/1", 2, 20, 23}, // "/" in a key is ~1
		{"/é", 3, 8, 12},
		{"/a/missing", 2, 8, 25}, // a missing member: its object
		{"", 1, 1, 2},            // the document: its first line
	} {
		r := ix.Range(tc.ptr)
		if r.Filename != "f.json" || r.Start.Line != tc.line || r.Start.Column != tc.col || r.End.Column != tc.eCol {
			t.Errorf("Range(%q) = %d:%d-%d, want %d:%d-%d", tc.ptr, r.Start.Line, r.Start.Column, r.End.Column, tc.line, tc.col, tc.eCol)
		}
	}
	if _, err := NewIndex("bad.json", []byte(`{"a": }`)); err == nil {
		t.Error("NewIndex accepted invalid JSON")
	}
}
