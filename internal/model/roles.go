package model

import "github.com/hashicorp/hcl/v2"

// Role kinds.
const (
	RoleModule     = "module"
	RoleAdvanced   = "advanced"
	RoleMicroAdmin = "micro_admin"
)

// KnownRoleKind reports whether kind is one of the role kinds above; the
// checks that depend on a role's kind are skipped when it is not (the
// schema has reported it).
func KnownRoleKind(kind string) bool {
	return kind == RoleModule || kind == RoleAdvanced || kind == RoleMicroAdmin
}

// Role is a custom Tanium Console role the deployment defines.
type Role struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	// DisplayName is the role's name in the Console; the label by default.
	DisplayName      *string   `hcl:"display_name,optional"`
	DisplayNameRange hcl.Range `hcl:"display_name,attr_value_range"`

	Description      *string   `hcl:"description,optional"`
	DescriptionRange hcl.Range `hcl:"description,attr_value_range"`

	Kind      string    `hcl:"kind"`
	KindRange hcl.Range `hcl:"kind,attr_value_range"`

	Deny      *bool     `hcl:"deny,optional"`
	DenyRange hcl.Range `hcl:"deny,attr_value_range"`

	// Permissions are module or micro admin permission names.
	Permissions      []string    `hcl:"permissions,optional"`
	PermissionsRange hcl.Range   `hcl:"permissions,attr_value_range"`
	PermissionRanges []hcl.Range `elements:"permissions"` // one per element, filled by load

	// ContentSetPermissions are the advanced permissions.
	ContentSetPermissions []ContentSetPermission `hcl:"content_set_permission,block"`

	Body hcl.Body `hcl:",body"`
}

// ConsoleName is the role's name in the Console.
func (r *Role) ConsoleName() string { return Str(r.DisplayName, r.Name) }

// ContentSetPermission grants (or denies) one advanced permission on
// content sets.
type ContentSetPermission struct {
	Permission      string    `hcl:"permission,label"`
	PermissionRange hcl.Range `hcl:"permission,label_range"`
	DeclRange       hcl.Range `hcl:",def_range"`

	ContentSets      []string    `hcl:"content_sets,optional"`
	ContentSetsRange hcl.Range   `hcl:"content_sets,attr_value_range"`
	ContentSetRanges []hcl.Range `elements:"content_sets"` // one per element, filled by load

	AllContentSets      *bool     `hcl:"all_content_sets,optional"`
	AllContentSetsRange hcl.Range `hcl:"all_content_sets,attr_value_range"`

	Body hcl.Body `hcl:",body"`
}

// UserGroup assigns roles to a Tanium Console user group.
type UserGroup struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	// DisplayName is the group's name in the Console; the label by default.
	DisplayName      *string   `hcl:"display_name,optional"`
	DisplayNameRange hcl.Range `hcl:"display_name,attr_value_range"`

	// Roles are provided role names or role labels.
	Roles      []string    `hcl:"roles"`
	RolesRange hcl.Range   `hcl:"roles,attr_value_range"`
	RoleRanges []hcl.Range `elements:"roles"` // one per element, filled by load

	Body hcl.Body `hcl:",body"`
}

// ConsoleName is the group's name in the Console.
func (g *UserGroup) ConsoleName() string { return Str(g.DisplayName, g.Name) }
