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
	// FormatWindows, WindowsGroups and WindowsClientDirs are the same for
	// the Windows script; Windows is the Windows rule group.
	FormatWindows, Windows           string
	WindowsGroups, WindowsClientDirs []string
	// FormatMacOS, MacGroups and MacClientDirs: the macOS script's.
	FormatMacOS              string
	MacGroups, MacClientDirs []string
}

// SensorName is the verify sensor's name for deployment name.
func SensorName(deployment string) string { return "trgen verify " + deployment }

// SensorOutputs lists verify/README.md, and verify/linux.sh,
// verify/windows.ps1 and verify/macos.sh for the deployment's Linux,
// Windows and macOS groups.
func SensorOutputs(d *model.Deployment, c *catalog.Catalog, h Header) []render.Output {
	v := SensorView{Header: h, Sensor: SensorName(d.Name), Delimiter: verify.Delimiter, Format: verify.FormatLinux, FormatWindows: verify.FormatWindows, FormatMacOS: verify.FormatMacOS}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		groups, dirs := &v.Groups, &v.ClientDirs
		switch g.OS {
		case model.OSLinux:
		case model.OSWindows:
			groups, dirs = &v.WindowsGroups, &v.WindowsClientDirs
		case model.OSMacOS:
			groups, dirs = &v.MacGroups, &v.MacClientDirs
		default:
			continue
		}
		*groups = append(*groups, g.Name)
		if dir, _ := plan.ClientDir(c, g); !slices.Contains(*dirs, dir) {
			*dirs = append(*dirs, dir)
		}
	}
	if len(v.Groups)+len(v.WindowsGroups)+len(v.MacGroups) == 0 {
		return nil
	}
	for _, l := range [][]string{v.Groups, v.ClientDirs, v.WindowsGroups, v.WindowsClientDirs, v.MacGroups, v.MacClientDirs} {
		slices.Sort(l)
	}
	for _, k := range hostfw.Kinds {
		switch k.Name {
		case "nftables":
			v.Nftables = k.Object
			v.NftFamily, v.NftTable, _ = strings.Cut(k.Object, " ")
		case "iptables":
			v.Iptables = k.Object
		case "firewalld":
			v.Firewalld = k.Object
		case "windows":
			v.Windows = k.Object
		}
	}
	outs := []render.Output{{Path: "verify/README.md", Template: "verify/README.md.tmpl", Data: v}}
	if len(v.Groups) > 0 {
		outs = append(outs, render.Output{Path: "verify/linux.sh", Template: "verify/linux.sh.tmpl", Data: v})
	}
	if len(v.WindowsGroups) > 0 {
		outs = append(outs, render.Output{Path: "verify/windows.ps1", Template: "verify/windows.ps1.tmpl", Data: v})
	}
	if len(v.MacGroups) > 0 {
		outs = append(outs, render.Output{Path: "verify/macos.sh", Template: "verify/macos.sh.tmpl", Data: v})
	}
	return outs
}
