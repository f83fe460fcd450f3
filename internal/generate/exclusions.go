package generate

import (
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/render"
)

// ExclusionView is the data of one target's exclusion files.
type ExclusionView struct {
	Header Header
	Target plan.ExclusionTarget
	// MDATP is the Defender for Endpoint managed-configuration fragment, as
	// data; the template serialises it.
	MDATP *MDATPConfig
}

// ExclusionsView is the data of exclusions.csv.
type ExclusionsView struct {
	Header Header
	// Rows are the CSV records as plain values, in column order.
	Rows [][]string
}

// MDATPConfig is the part of mdatp_managed.json that holds exclusions
// (Microsoft Defender for Endpoint on Linux and macOS, exclusionSettings).
type MDATPConfig struct {
	ExclusionSettings MDATPExclusionSettings `json:"exclusionSettings"`
}

// MDATPExclusionSettings holds the exclusions and how they merge with
// locally configured ones.
type MDATPExclusionSettings struct {
	MergePolicy string           `json:"mergePolicy"`
	Exclusions  []MDATPExclusion `json:"exclusions"`
}

// MDATPExclusion is one exclusion item: excludedPath (a file) or
// excludedFileName (a process, by full path).
type MDATPExclusion struct {
	Type        string   `json:"$type"`
	Path        string   `json:"path,omitempty"`
	IsDirectory *bool    `json:"isDirectory,omitempty"`
	Name        string   `json:"name,omitempty"`
	Scopes      []string `json:"scopes"`
}

// mdatpConfig builds the fragment: every entry as an excludedPath file,
// and every process also as excludedFileName by full path. Antivirus scope
// only: the global scope allows no wildcards, and Action_* needs one.
func mdatpConfig(t plan.ExclusionTarget) *MDATPConfig {
	no := false
	c := &MDATPConfig{ExclusionSettings: MDATPExclusionSettings{MergePolicy: "merge", Exclusions: []MDATPExclusion{}}}
	for _, e := range t.Processes() {
		c.ExclusionSettings.Exclusions = append(c.ExclusionSettings.Exclusions, MDATPExclusion{Type: "excludedFileName", Name: e.Path, Scopes: []string{"epp"}})
	}
	for _, e := range t.Entries {
		c.ExclusionSettings.Exclusions = append(c.ExclusionSettings.Exclusions, MDATPExclusion{Type: "excludedPath", Path: e.Path, IsDirectory: &no, Scopes: []string{"epp"}})
	}
	return c
}

// exclusionOutputs lists the exclusion files of every target.
func exclusionOutputs(targets []plan.ExclusionTarget, h Header) []render.Output {
	all := ExclusionsView{Header: h}
	var outs []render.Output
	for _, t := range targets {
		for _, e := range t.Entries {
			all.Rows = append(all.Rows, []string{t.Target, t.OS, e.Kind, e.Path, e.Condition, e.Reference})
		}
		v := ExclusionView{Header: h, Target: t}
		outs = append(outs, render.Output{Path: "exclusions/" + t.Target + ".txt", Template: "exclusions/list.txt.tmpl", Data: v})
		if t.OS == model.OSWindows {
			outs = append(outs, render.Output{Path: "exclusions/defender-" + t.Target + ".ps1", Template: "exclusions/defender.ps1.tmpl", Data: v})
			continue
		}
		v.MDATP = mdatpConfig(t)
		outs = append(outs,
			render.Output{Path: "exclusions/mdatp-" + t.Target + ".json", Template: "exclusions/mdatp.json.tmpl", Data: v},
			render.Output{Path: "exclusions/mdatp-" + t.Target + ".sh", Template: "exclusions/mdatp.sh.tmpl", Data: v})
	}
	outs = append(outs, render.Output{Path: "exclusions/exclusions.csv", Template: "exclusions/exclusions.csv.tmpl", Data: all})
	return outs
}
