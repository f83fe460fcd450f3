package plan

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
)

// servers is the smallest deployment around its endpoint groups: one
// Tanium Server and one Module Server.
func servers(groups ...model.EndpointGroup) *model.Deployment {
	return &model.Deployment{
		TaniumServers:  []model.TaniumServer{{Name: "ts", Address: "10.0.0.10"}},
		ModuleServers:  []model.ModuleServer{{Name: "tms", Address: "10.0.0.11"}},
		EndpointGroups: groups,
	}
}

func group(name, os, client string) model.EndpointGroup {
	return model.EndpointGroup{Name: name, OS: os, OSVersion: map[string]string{model.OSWindows: "Windows 10", model.OSLinux: "RHEL 8", model.OSMacOS: "macOS 12"}[os],
		ClientVersion: client, Networks: []string{"10.1.0.0/16"}}
}

// TestFlowsByTopology: the flows each topology opens, as "source ->
// destination protocol/port", in the planner's order. A change to the
// port policy fails here, next to the policy.
func TestFlowsByTopology(t *testing.T) {
	c := latest(t)
	via := "dmz"
	for _, tc := range []struct {
		name string
		d    func() *model.Deployment
		want []string
	}{
		{"direct", func() *model.Deployment { return servers(group("hq", model.OSWindows, "7.4.1.1955")) }, []string{
			"endpoint_group.hq -> module_server.tms tcp/17443", // snapshot upload
			"endpoint_group.hq -> module_server.tms tcp/17444", // live connection
			"tanium_server.ts -> module_server.tms tcp/17477",
		}},
		{"through a Zone Server; an unused one opens nothing", func() *model.Deployment {
			g := group("remote", model.OSLinux, "7.4.1.1955")
			g.ConnectVia = &via
			d := servers(g)
			d.ZoneServers = []model.ZoneServer{{Name: "dmz", Address: "203.0.113.9"}, {Name: "unused", Address: "203.0.113.10"}}
			return d
		}, []string{
			"tanium_server.ts -> module_server.tms tcp/17477",
			"module_server.tms -> zone_server.dmz tcp/17449", // the zone hub
			"endpoint_group.remote -> zone_server.dmz tcp/17444",
		}},
		{"intel streams: the scheme's port, or the URL's", func() *model.Deployment {
			d := servers()
			d.IntelStreams = []model.IntelStream{
				{Name: "tls", URL: "https://feed.example.com/x"},
				{Name: "plain", URL: "http://198.51.100.7/x"},
				{Name: "custom", URL: "https://198.51.100.8:8443/x"},
			}
			return d
		}, []string{
			"tanium_server.ts -> module_server.tms tcp/17477",
			"module_server.tms -> intel_stream.tls tcp/443",
			"module_server.tms -> intel_stream.custom tcp/8443",
			"module_server.tms -> intel_stream.plain tcp/80",
		}},
		{"each transfer of collected data", func() *model.Deployment {
			d := servers(group("hq", model.OSWindows, "7.4.1.1955"))
			for _, tr := range model.Transfers {
				d.DataCollection = append(d.DataCollection, model.DataCollection{Name: tr, Transfer: tr, Destination: tr + ".example.com", Addresses: []string{"192.0.2.1"}})
			}
			return d
		}, []string{
			"endpoint_group.hq -> module_server.tms tcp/17443",
			"endpoint_group.hq -> module_server.tms tcp/17444",
			"tanium_server.ts -> module_server.tms tcp/17477",
			"endpoint_group.hq -> data_collection.s3 tcp/443",
			"endpoint_group.hq -> data_collection.scp tcp/22",
			"endpoint_group.hq -> data_collection.sftp tcp/22",
			"endpoint_group.hq -> data_collection.smb tcp/445",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range Flows(tc.d(), c) {
				got = append(got, fmt.Sprintf("%s -> %s %s/%d", f.Source.Name, f.Destination.Name, f.Protocol, f.Port))
				if f.Reference == "" || f.NeededBy == "" {
					t.Errorf("%s -> %s: reference %q, needed by %q", f.Source.Name, f.Destination.Name, f.Reference, f.NeededBy)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("flows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExclusionsByClientLineAndOS: every OS and client line gets its own
// install folder and only its own line's version-specific entries; the
// Module Server's list does not depend on the endpoints.
func TestExclusionsByClientLineAndOS(t *testing.T) {
	c := latest(t)
	for _, tc := range []struct {
		os, client, line, dir string
		versioned             []string // the entries with a client condition, by path
	}{
		{model.OSWindows, "7.2.314.3550", "7.2", `C:\Program Files (x86)\Tanium\Tanium Client`, []string{`C:\Program Files (x86)\Tanium\Tanium Client\Python27\TPython.exe`}},
		{model.OSWindows, "7.4.1.1955", "7.4", `C:\Program Files (x86)\Tanium\Tanium Client`, []string{`C:\Program Files (x86)\Tanium\Tanium Client\Python38\*.dll`, `C:\Program Files (x86)\Tanium\Tanium Client\Python38\TPython.exe`}},
		{model.OSLinux, "7.2.314.3550", "7.2", "/opt/Tanium/TaniumClient", []string{"/opt/Tanium/TaniumClient/python27/python"}},
		{model.OSLinux, "7.4.1.1955", "7.4", "/opt/Tanium/TaniumClient", []string{"/opt/Tanium/TaniumClient/python38/python"}},
		{model.OSMacOS, "7.2.314.3550", "7.2", "/Library/Tanium/TaniumClient", []string{"/Library/Tanium/TaniumClient/python27/python"}},
		{model.OSMacOS, "7.4.1.1955", "7.4", "/Library/Tanium/TaniumClient", []string{"/Library/Tanium/TaniumClient/python38/python"}},
		// A client of an unlisted line takes the nearest listed line above it.
		{model.OSLinux, "7.3.0.1", "7.4", "/opt/Tanium/TaniumClient", []string{"/opt/Tanium/TaniumClient/python38/python"}},
	} {
		t.Run(tc.os+" "+tc.client, func(t *testing.T) {
			targets := Exclusions(servers(group("g", tc.os, tc.client)), c)
			var ms, g *ExclusionTarget
			for i := range targets {
				switch targets[i].Name {
				case "module_server.tms":
					ms = &targets[i]
				case "endpoint_group.g":
					g = &targets[i]
				}
			}
			if ms == nil || g == nil {
				t.Fatalf("targets %v", targets)
			}
			if g.ClientLine != tc.line || g.Dir != tc.dir || g.OS != tc.os || g.Inferred != (tc.client == "7.3.0.1") {
				t.Errorf("group target: line %q dir %q os %q inferred %v", g.ClientLine, g.Dir, g.OS, g.Inferred)
			}
			var versioned []string
			for _, e := range g.Entries {
				if !strings.HasPrefix(e.Path, tc.dir) {
					t.Errorf("%s is outside the client folder", e.Path)
				}
				if e.Condition != "" {
					versioned = append(versioned, e.Path)
					if e.Condition != "client "+tc.line+".x" {
						t.Errorf("%s: condition %q", e.Path, e.Condition)
					}
				}
			}
			slices.Sort(versioned)
			if diff := cmp.Diff(tc.versioned, versioned); diff != "" {
				t.Errorf("version-specific entries (-want +got):\n%s", diff)
			}
			if ms.ClientLine != "" || len(ms.Entries) == 0 || len(ms.Processes()) != len(ms.Entries) {
				t.Errorf("module server: line %q, %d entries, %d processes", ms.ClientLine, len(ms.Entries), len(ms.Processes()))
			}
			// Processes are every process entry, whatever the order.
			for _, x := range []*ExclusionTarget{ms, g} {
				var want []Exclusion
				for _, e := range x.Entries {
					if e.Kind == "process" {
						want = append(want, e)
					}
				}
				if diff := cmp.Diff(want, x.Processes()); diff != "" || len(want) == 0 {
					t.Errorf("%s: processes (-want +got):\n%s", x.Name, diff)
				}
			}
		})
	}
}

// TestAuditdByConfiguration: the auditd block's settings, and their
// defaults, in each group's plan.
func TestAuditdByConfiguration(t *testing.T) {
	c := latest(t)
	yes, no := true, false
	one, two := 1, 2
	for _, tc := range []struct {
		name        string
		auditd      *model.Auditd
		major, fail int
		immutable   bool
		watches     bool
		pluginDir   string
	}{
		{"no auditd block: the version, and so the plugin folder, is unknown", nil, 0, 1, false, true, ""},
		{"auditd 3, defaults", &model.Auditd{Version: "3.0.7"}, 3, 1, false, true, "/etc/audit/plugins.d"},
		{"auditd 2, immutable", &model.Auditd{Version: "2.8.5", Immutable: &yes}, 2, 1, true, true, "/etc/audisp/plugins.d"},
		{"failure mode 1, no client watches", &model.Auditd{Version: "3.0", FailureMode: &one, WatchClient: &no}, 3, 1, false, false, "/etc/audit/plugins.d"},
		{"failure mode 2 (panic) is never written", &model.Auditd{Version: "3.0", FailureMode: &two}, 3, 1, false, true, "/etc/audit/plugins.d"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := group("g", model.OSLinux, "7.4.1.1955")
			g.Auditd = tc.auditd
			plans := Auditd(servers(g), c)
			if len(plans) != 1 {
				t.Fatalf("%d plans", len(plans))
			}
			p := plans[0]
			if p.Major != tc.major || p.FailureMode != tc.fail || p.Immutable != tc.immutable || (len(p.Watches) > 0) != tc.watches {
				t.Errorf("major %d failure %d immutable %v watches %d", p.Major, p.FailureMode, p.Immutable, len(p.Watches))
			}
			if len(p.Files) == 0 || p.RuleCount <= 0 && tc.watches || p.PluginDir != tc.pluginDir {
				t.Errorf("files %v, %d rules, plugin dir %q", p.Files, p.RuleCount, p.PluginDir)
			}
		})
	}
	// Windows and macOS groups have no audit rules.
	if plans := Auditd(servers(group("w", model.OSWindows, "7.4.1.1955"), group("m", model.OSMacOS, "7.4.1.1955")), c); len(plans) != 0 {
		t.Errorf("%d auditd plans for non-Linux groups", len(plans))
	}
}

// TestRolesByFeature: the role trgen adds for live connections without
// approval, only when no allowing role of the deployment grants it, and
// user groups naming roles by label or by Console name.
func TestRolesByFeature(t *testing.T) {
	c := latest(t)
	perm, ok := c.PermissionEnabling(catalog.EnablesLiveConnections)
	if !ok || perm.Name != "Bypass Action Approval" || perm.ContentSets[0] != "Trace Analysis" {
		t.Fatalf("the catalog's permission for live connections without approval: %+v", perm)
	}
	yes := true
	display := "Trace Responders"
	bypass := func(deny bool, sets ...string) model.Role {
		r := model.Role{Name: "responders", DisplayName: &display, Kind: model.RoleAdvanced,
			ContentSetPermissions: []model.ContentSetPermission{{Permission: perm.Name, ContentSets: sets}}}
		if deny {
			r.Deny = &yes
		}
		return r
	}
	for _, tc := range []struct {
		name    string
		feature bool
		roles   []model.Role
		added   bool
		names   []string
	}{
		{"feature off", false, nil, false, nil},
		{"feature on, no role grants it", true, nil, true, []string{BypassRoleName}},
		{"feature on, a role grants it", true, []model.Role{bypass(false, perm.ContentSets[0])}, false, []string{display}},
		{"a deny role grants nothing", true, []model.Role{bypass(true, perm.ContentSets[0])}, true, []string{BypassRoleName, display}},
		{"another content set is not enough", true, []model.Role{bypass(false, "Base")}, true, []string{BypassRoleName, display}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := servers()
			d.Features = &model.Features{LiveConnectionsWithoutApproval: &tc.feature}
			d.Roles = tc.roles
			d.UserGroups = []model.UserGroup{{Name: "trace", Roles: []string{"responders", BypassRoleName, "Threat Response User"}}}
			p := Roles(d, c)
			var names []string
			for _, r := range p.Roles {
				names = append(names, r.Name)
			}
			if p.BypassAdded != tc.added || !slices.Equal(names, tc.names) {
				t.Errorf("added %v, roles %q; want %v, %q", p.BypassAdded, names, tc.added, tc.names)
			}
			if len(p.Memberships) != 1 {
				t.Fatalf("memberships %v", p.Memberships)
			}
			want := []string{"responders", BypassRoleName, "Threat Response User"}
			if len(tc.roles) > 0 {
				want[0] = display // a label becomes the role's Console name
			}
			if diff := cmp.Diff(want, p.Memberships[0].Roles); diff != "" {
				t.Errorf("membership roles (-want +got):\n%s", diff)
			}
		})
	}
}
