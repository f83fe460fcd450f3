package plan

import (
	"fmt"
	"sort"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
)

// RolePlan is what the role import bundle holds.
type RolePlan struct {
	Roles       []RoleSpec
	Memberships []Membership
	// Notes say what trgen added on its own, for the report.
	Notes []string
	// BypassAdded: trgen added the role BypassRoleName, which user_group
	// blocks may assign by that name.
	BypassAdded bool
}

// BypassRoleName is the advanced role trgen adds for
// features.live_connections_without_approval when no role of the
// deployment grants Bypass Action Approval on Trace Analysis.
const BypassRoleName = "Trace Live Connections Without Approval"

// RoleSpec is one custom role to import.
type RoleSpec struct {
	Name        string
	Description string
	Kind        string
	Deny        bool
	// AllContentSets applies the role's permissions to every content set.
	AllContentSets bool
	Privileges     []Privilege
}

// Privilege is a permission, on a content set for advanced roles.
type Privilege struct {
	ContentSet string
	Permission string
}

// Membership is the roles of one user group.
type Membership struct {
	Group string
	Roles []string
}

// Roles plans the role import bundle, sorted so that block order does not
// matter: the deployment's custom roles, the recommended bypass role when live connections without
// approval are asked for and no role grants it, and the user groups.
func Roles(d *model.Deployment, c *catalog.Catalog) RolePlan {
	var p RolePlan
	// The advanced permission the page recommends for live connections
	// without approval, on its content set (the catalog schema requires
	// both).
	bypass, _ := c.PermissionEnabling(catalog.EnablesLiveConnections)
	bypassSet := ""
	if len(bypass.ContentSets) > 0 {
		bypassSet = bypass.ContentSets[0]
	}
	hasBypass := false
	labels := map[string]string{}
	for i := range d.Roles {
		r := &d.Roles[i]
		labels[r.Name] = r.ConsoleName()
		spec := RoleSpec{Name: r.ConsoleName(), Description: model.Str(r.Description, ""), Kind: r.Kind, Deny: model.Bool(r.Deny, false)}
		for _, perm := range r.Permissions {
			spec.Privileges = append(spec.Privileges, Privilege{Permission: perm})
		}
		for _, csp := range r.ContentSetPermissions {
			if model.Bool(csp.AllContentSets, false) {
				spec.AllContentSets = true
				spec.Privileges = append(spec.Privileges, Privilege{Permission: csp.Permission})
				if csp.Permission == bypass.Name && !spec.Deny {
					hasBypass = true
				}
				continue
			}
			if len(csp.ContentSets) == 0 {
				spec.Privileges = append(spec.Privileges, Privilege{Permission: csp.Permission}) // a global permission
			}
			for _, set := range csp.ContentSets {
				spec.Privileges = append(spec.Privileges, Privilege{ContentSet: set, Permission: csp.Permission})
				if csp.Permission == bypass.Name && set == bypassSet && !spec.Deny {
					hasBypass = true
				}
			}
		}
		p.Roles = append(p.Roles, spec)
	}
	if d.Features != nil && model.Bool(d.Features.LiveConnectionsWithoutApproval, false) {
		if hasBypass {
			p.Notes = append(p.Notes, fmt.Sprintf("features.live_connections_without_approval: the deployment's own roles already grant %s on %s; trgen added none.", bypass.Name, bypassSet))
		} else if bypass.Name != "" {
			p.BypassAdded = true
			p.Roles = append(p.Roles, RoleSpec{
				Name: BypassRoleName,
				Description: fmt.Sprintf("Added by trgen for features.live_connections_without_approval: %s on the %s content set, so Trace users make live connections without action approval while every other action still needs approval (%s, %s).",
					bypass.Name, bypassSet, c.Document.Title, bypass.Source.Section),
				Kind:       model.RoleAdvanced,
				Privileges: []Privilege{{ContentSet: bypassSet, Permission: bypass.Name}},
			})
			p.Notes = append(p.Notes, fmt.Sprintf("features.live_connections_without_approval: trgen added the advanced role %q (%s on the %s content set) to roles/roles.json; assign it by that name in the roles of the Trace users' user_group.", BypassRoleName, bypass.Name, bypassSet))
		}
	}
	for i := range p.Roles {
		privs := p.Roles[i].Privileges
		sort.SliceStable(privs, func(a, b int) bool {
			if privs[a].Permission != privs[b].Permission {
				return privs[a].Permission < privs[b].Permission
			}
			return privs[a].ContentSet < privs[b].ContentSet
		})
	}
	sort.SliceStable(p.Roles, func(i, j int) bool { return p.Roles[i].Name < p.Roles[j].Name })
	for i := range d.UserGroups {
		g := &d.UserGroups[i]
		m := Membership{Group: g.ConsoleName()}
		for _, r := range g.Roles {
			if name, ok := labels[r]; ok {
				r = name
			}
			m.Roles = append(m.Roles, r)
		}
		p.Memberships = append(p.Memberships, m)
	}
	sort.SliceStable(p.Memberships, func(i, j int) bool { return p.Memberships[i].Group < p.Memberships[j].Group })
	return p
}
