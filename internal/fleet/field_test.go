package fleet

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trgen/trgen/internal/fleet/fleetgen"
)

// TestFieldFormsNoFalseFailures: the same 20,000 endpoints, written once
// in trgen's plain forms and once as real exports write them (fleetgen's
// Field: Tanium's headers, WMI captions, os-release and sw_vers strings,
// multi-value address cells over two lines, placeholders where the value
// would pass), get the same verdicts: no row unreadable, no OS string
// unread, every endpoint failing or warning for the same rules.
func TestFieldFormsNoFalseFailures(t *testing.T) {
	d, c := enterprise(t)
	verdicts := func(field bool) (*Report, map[string][]string) {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		fleetgen.Write(w, d.EndpointGroups, 20000, rand.New(rand.NewPCG(7, 0x7472)), fleetgen.Options{Field: field})
		w.Flush()
		var cols map[string]string
		if field {
			cols = Presets["tanium"]
		}
		rd, err := NewReader(&buf, cols)
		if err != nil {
			t.Fatal(err)
		}
		k, err := NewChecker(d, c)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := k.Run(rd, Options{})
		if err != nil {
			t.Fatal(err)
		}
		by := map[string][]string{}
		for _, ep := range rep.Endpoints {
			by[ep.Name] = append(append([]string{}, ep.Errors...), ep.Warnings...)
		}
		return rep, by
	}
	plain, plainBy := verdicts(false)
	field, fieldBy := verdicts(true)
	if field.BadRows != 0 || len(field.UnreadOS) != 0 {
		t.Fatalf("the field forms: %d unreadable rows (%v), unread OS strings %v", field.BadRows, field.Bad, field.UnreadOS)
	}
	if field.Checked != 20000 || field.Failing != plain.Failing || field.Warning != plain.Warning {
		t.Errorf("field forms: %d checked, %d failing, %d warning; plain: %d, %d, %d", field.Checked, field.Failing, field.Warning, plain.Checked, plain.Failing, plain.Warning)
	}
	if diff := cmp.Diff(plainBy, fieldBy); diff != "" {
		t.Errorf("verdicts differ (-plain +field):\n%s", diff)
	}
	if plain.Failing < 200 {
		t.Errorf("only %d failing endpoints: the generator's failures are missing", plain.Failing)
	}
	t.Logf("%d endpoints, %d failing, %d warning in both forms", field.Checked, field.Failing, field.Warning)
}
