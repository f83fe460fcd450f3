package generate

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trgen/trgen/internal/check"
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
func roleOutputs(d *model.Deployment, h Header) []render.Output {
	p := plan.Roles(d)
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

// Notes are what trgen decided on its own for d, for the report.
func Notes(d *model.Deployment) []string { return plan.Roles(d).Notes }

// outputSchemas maps output paths (path.Match patterns) to the JSON Schema
// each must satisfy.
var outputSchemas = []struct{ pattern, schema string }{
	{"roles/roles.json", "roles-import.schema.json"},
	{"roles/memberships.json", "memberships.schema.json"},
	{"exclusions/mdatp-*.json", "mdatp-exclusions.schema.json"},
}

// Verify validates every rendered JSON output against its schema, so a
// document that does not match its contract is never written.
func Verify(files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	compiled := map[string]*jsonschema.Schema{}
	for _, p := range names {
		for _, o := range outputSchemas {
			if ok, _ := path.Match(o.pattern, p); !ok {
				continue
			}
			sch := compiled[o.schema]
			if sch == nil {
				var err error
				if sch, err = check.CompileSchema(o.schema); err != nil {
					return err
				}
				compiled[o.schema] = sch
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(files[p]))
			if err != nil {
				return fmt.Errorf("%s is not JSON: %w", p, err)
			}
			if err := sch.Validate(doc); err != nil {
				return fmt.Errorf("%s does not satisfy schema/%s: %s", p, o.schema, strings.TrimSpace(err.Error()))
			}
		}
	}
	return nil
}
