package generate

import (
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/render"
)

// RolesView is the data of the role files.
type RolesView struct {
	Header      Header
	Plan        plan.RolePlan
	Import      RoleImport
	Memberships MembershipDoc
}

// RoleImport is the Console's role import document.
type RoleImport struct {
	ObjectList struct {
		ContentSetRoles []ContentSetRole `json:"content_set_roles"`
	} `json:"object_list"`
}

// ContentSetRole is one role in the platform's export/import field names.
type ContentSetRole struct {
	Name                     string                    `json:"name"`
	Description              string                    `json:"description"`
	DenyFlag                 int                       `json:"deny_flag"`
	AllContentSetsFlag       int                       `json:"all_content_sets_flag"`
	Category                 string                    `json:"category"`
	ContentSetRolePrivileges []ContentSetRolePrivilege `json:"content_set_role_privileges"`
}

// ContentSetRolePrivilege is a permission, on a content set for advanced roles.
type ContentSetRolePrivilege struct {
	ContentSet          *NameRef `json:"content_set,omitempty"`
	ContentSetPrivilege NameRef  `json:"content_set_privilege"`
}

// NameRef refers to a platform object by name.
type NameRef struct {
	Name string `json:"name"`
}

// MembershipDoc lists user groups with their roles.
type MembershipDoc struct {
	UserGroups []GroupRoles `json:"user_groups"`
}

// GroupRoles is one user group and its roles.
type GroupRoles struct {
	Name            string    `json:"name"`
	ContentSetRoles []NameRef `json:"content_set_roles"`
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// roleOutputs lists roles/roles.json, roles/memberships.json and roles/README.md.
func roleOutputs(p plan.RolePlan, h Header) []render.Output {
	v := RolesView{Header: h, Plan: p}
	v.Import.ObjectList.ContentSetRoles = []ContentSetRole{}
	for _, r := range p.Roles {
		role := ContentSetRole{Name: r.Name, Description: r.Description, DenyFlag: flag(r.Deny), AllContentSetsFlag: flag(r.AllContentSets), Category: r.Kind}
		for _, pr := range r.Privileges {
			priv := ContentSetRolePrivilege{ContentSetPrivilege: NameRef{pr.Permission}}
			if pr.ContentSet != "" {
				priv.ContentSet = &NameRef{pr.ContentSet}
			}
			role.ContentSetRolePrivileges = append(role.ContentSetRolePrivileges, priv)
		}
		v.Import.ObjectList.ContentSetRoles = append(v.Import.ObjectList.ContentSetRoles, role)
	}
	v.Memberships.UserGroups = []GroupRoles{}
	for _, m := range p.Memberships {
		g := GroupRoles{Name: m.Group}
		for _, r := range m.Roles {
			g.ContentSetRoles = append(g.ContentSetRoles, NameRef{r})
		}
		v.Memberships.UserGroups = append(v.Memberships.UserGroups, g)
	}
	return []render.Output{
		{Path: "roles/roles.json", Template: "roles/roles.json.tmpl", Data: v},
		{Path: "roles/memberships.json", Template: "roles/memberships.json.tmpl", Data: v},
		{Path: "roles/README.md", Template: "roles/README.md.tmpl", Data: v},
	}
}

// Notes are what trgen decided on its own for d, checked against c, for
// the report: from the roles the checks planned (pre), else planned here.
func Notes(d *model.Deployment, c *catalog.Catalog, pre plan.Planned) []string {
	if pre.Roles != nil {
		return pre.Roles.Notes
	}
	return plan.Roles(d, c).Notes
}
