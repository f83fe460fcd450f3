package generate

import (
	"slices"
	"strings"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/hostfw"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/verify"
)

// SensorView is the data of the verify sensor's files.
type SensorView struct {
	Header Header
	// Sensor is the sensor's name in Tanium, Delimiter and Format its
	// row format (package verify).
	Sensor, Delimiter, Format string
	// ClientDirs are the Linux groups' Tanium Client folders, each once.
	ClientDirs []string
	// Nftables, Iptables and Firewalld are what each Linux host
	// firewall's files own (hostfw.Kind.Object).
	Nftables, Iptables, Firewalld string
	// NftFamily and NftTable are Nftables' two words.
	NftFamily, NftTable string
	// Groups are the Linux groups the sensor answers for.
	Groups []string
}

// SensorName is the verify sensor's name for deployment name.
func SensorName(deployment string) string { return "trgen verify " + deployment }

// SensorOutputs lists verify/linux.sh and verify/README.md when the
// deployment has a Linux group.
func SensorOutputs(d *model.Deployment, c *catalog.Catalog, h Header) []render.Output {
	v := SensorView{Header: h, Sensor: SensorName(d.Name), Delimiter: verify.Delimiter, Format: verify.FormatLinux}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		if g.OS != model.OSLinux {
			continue
		}
		v.Groups = append(v.Groups, g.Name)
		if dir, _ := plan.ClientDir(c, g); !slices.Contains(v.ClientDirs, dir) {
			v.ClientDirs = append(v.ClientDirs, dir)
		}
	}
	if len(v.Groups) == 0 {
		return nil
	}
	slices.Sort(v.Groups)
	slices.Sort(v.ClientDirs)
	for _, k := range hostfw.Kinds {
		switch k.Name {
		case "nftables":
			v.Nftables = k.Object
			v.NftFamily, v.NftTable, _ = strings.Cut(k.Object, " ")
		case "iptables":
			v.Iptables = k.Object
		case "firewalld":
			v.Firewalld = k.Object
		}
	}
	return []render.Output{
		{Path: "verify/linux.sh", Template: "verify/linux.sh.tmpl", Data: v},
		{Path: "verify/README.md", Template: "verify/README.md.tmpl", Data: v},
	}
}
