package model

import (
	"reflect"
	"strings"
	"testing"
)

// attributes returns the HCL attribute names of struct type t whose Go
// type is want (the value fields, not their ranges).
func attributes(t reflect.Type, want reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("hcl")
		if !ok || f.Type != want || !strings.HasSuffix(tag, ",optional") {
			continue
		}
		names = append(names, strings.TrimSuffix(tag, ",optional"))
	}
	return names
}

// TestVersionsCoverEveryModule: Modules.Versions is the one table from
// module ids to the block's attributes; an attribute added to the block
// and not to the table would be silently ignored by the checks and the
// runbook.
func TestVersionsCoverEveryModule(t *testing.T) {
	m := &Modules{}
	var got []string
	for _, v := range m.Versions() {
		got = append(got, v.ID)
	}
	want := attributes(reflect.TypeOf(Modules{}), reflect.TypeOf((*string)(nil)))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Versions() has %v; the block's attributes are %v", got, want)
	}
	s := "4.11.0"
	m.Protect = &s
	for _, v := range m.Versions() {
		if (v.ID == "protect") != (v.Version == &s) {
			t.Errorf("%s: Version %v", v.ID, v.Version)
		}
	}
	if n := len((*Modules)(nil).Versions()); n != len(want) {
		t.Errorf("a nil block has %d attributes", n)
	}
}

// TestSwitchesCoverEveryFeature: Features.Switches lists every boolean
// feature attribute but the one that asks for a role (which the catalog's
// features table does not decide).
func TestSwitchesCoverEveryFeature(t *testing.T) {
	var got []string
	for _, s := range (*Features)(nil).Switches() {
		got = append(got, s.ID)
		if s.Enabled() {
			t.Errorf("%s: enabled in a nil block", s.ID)
		}
	}
	var want []string
	for _, a := range attributes(reflect.TypeOf(Features{}), reflect.TypeOf((*bool)(nil))) {
		if a != "live_connections_without_approval" {
			want = append(want, a)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Switches() has %v; the block's feature attributes are %v", got, want)
	}
}
