package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
	"github.com/trgen/trgen/internal/version"
)

// roles checks custom roles and user groups against the permission catalog.
func (c *checker) roles() {
	d := c.d
	perms := map[string][]catalog.Permission{}
	var permNames []string
	for _, p := range c.cat.Permissions {
		if _, seen := perms[p.Name]; !seen {
			permNames = append(permNames, p.Name)
		}
		perms[p.Name] = append(perms[p.Name], p)
	}
	var sets []string
	for _, s := range c.cat.ContentSets {
		sets = append(sets, s.Name)
	}
	provided := map[string]bool{}
	var providedNames []string
	for _, r := range c.cat.ProvidedRoles.Roles {
		provided[r.Name] = true
		providedNames = append(providedNames, r.Name)
	}
	src := &c.cat.Permissions[0].Source
	var labels []labelled
	for i := range d.Roles {
		r := &d.Roles[i]
		labels = append(labels, labelled{r.Name, r.NameRange})
		if provided[r.ConsoleName()] {
			rng := r.NameRange
			if r.DisplayName != nil {
				rng = r.DisplayNameRange
			}
			c.add(rule.RoleReserved, rng, fmt.Sprintf("Role %q is a provided role's name", r.ConsoleName()),
				"Provided roles cannot be edited or overwritten; give the custom role another name with display_name.", nil)
		}
		if model.Bool(r.Deny, false) && r.Kind == model.RoleModule {
			c.add(rule.RoleDeny, r.DenyRange, fmt.Sprintf("Module role %q cannot deny", r.Name),
				"Module roles only grant; use an advanced or micro_admin role to deny.", nil)
		}
		if !model.KnownRoleKind(r.Kind) {
			continue // the schema reported the kind; its permissions' checks depend on it
		}
		c.rolePermissions(r, perms, permNames, src)
		c.roleContentSets(r, perms, permNames, sets, src)
	}
	c.unique("role", labels)
	roleNames := append([]string{}, providedNames...)
	known := map[string]bool{}
	for k := range provided {
		known[k] = true
	}
	for i := range d.Roles {
		known[d.Roles[i].Name] = true
		roleNames = append(roleNames, d.Roles[i].Name)
	}
	rp := plan.Roles(d, c.cat)
	c.planned.Roles = &rp
	if rp.BypassAdded {
		// The role trgen adds for live_connections_without_approval is
		// assigned by its name.
		known[plan.BypassRoleName] = true
		roleNames = append(roleNames, plan.BypassRoleName)
	}
	var groups []labelled
	for i := range d.UserGroups {
		g := &d.UserGroups[i]
		groups = append(groups, labelled{g.Name, g.NameRange})
		if len(g.Roles) == 0 {
			c.add(rule.UserGroupEmpty, g.RolesRange, fmt.Sprintf("User group %q has no roles", g.Name), "List the roles the group gets.", nil)
		}
		seen := map[string]bool{}
		for j, name := range g.Roles {
			rng := elemRange(g.RoleRanges, j, g.RolesRange)
			if !known[name] {
				c.add(rule.RoleUnknown, rng, fmt.Sprintf("Unknown role %q", truncate(name)),
					fmt.Sprintf("Roles are provided role names (%s) or role labels of this deployment.%s", strings.Join(providedNames, ", "), suggest.DidYouMean(name, roleNames)), &c.cat.ProvidedRoles.Roles[0].Source)
			}
			if seen[name] {
				c.add(rule.PermissionDup, rng, fmt.Sprintf("Role %q is listed twice", truncate(name)), "List each role once.", nil)
			}
			seen[name] = true
		}
	}
	c.unique("user_group", groups)
}

// rolePermissions checks a role's permissions list.
func (c *checker) rolePermissions(r *model.Role, perms map[string][]catalog.Permission, names []string, src *catalog.Source) {
	if r.Kind == model.RoleAdvanced {
		if len(r.Permissions) > 0 {
			c.add(rule.PermissionKind, r.PermissionsRange, fmt.Sprintf("Advanced role %q takes content_set_permission blocks", r.Name),
				"Advanced permissions apply to content sets: write each as content_set_permission \"<name>\" { content_sets = [...] }.", nil)
		}
		return
	}
	if len(r.Permissions) == 0 {
		c.add(rule.RoleEmpty, r.NameRange, fmt.Sprintf("Role %q grants no permissions", r.Name), "Add permissions = [...].", nil)
	}
	if len(r.ContentSetPermissions) > 0 {
		c.add(rule.PermissionKind, r.ContentSetPermissions[0].DeclRange, fmt.Sprintf("%s role %q cannot hold content_set_permission blocks", r.Kind, r.Name),
			"Content-set permissions belong in advanced roles.", nil)
	}
	seen := map[string]bool{}
	for i, name := range r.Permissions {
		rng := elemRange(r.PermissionRanges, i, r.PermissionsRange)
		if seen[name] {
			c.add(rule.PermissionDup, rng, fmt.Sprintf("Permission %q is listed twice", truncate(name)), "List each permission once.", nil)
			continue
		}
		seen[name] = true
		p, ok := c.permission(name, r.Kind, perms, names, rng, src)
		if ok {
			c.footnote2(p, rng)
		}
	}
}

// roleContentSets checks an advanced role's content_set_permission blocks.
func (c *checker) roleContentSets(r *model.Role, perms map[string][]catalog.Permission, names, sets []string, src *catalog.Source) {
	if r.Kind != model.RoleAdvanced {
		return
	}
	if len(r.ContentSetPermissions) == 0 {
		c.add(rule.RoleEmpty, r.NameRange, fmt.Sprintf("Advanced role %q grants no permissions", r.Name), "Add content_set_permission \"<name>\" { content_sets = [...] } blocks.", nil)
	}
	seen := map[string]bool{}
	allCount := 0
	for i := range r.ContentSetPermissions {
		if model.Bool(r.ContentSetPermissions[i].AllContentSets, false) {
			allCount++
		}
	}
	for i := range r.ContentSetPermissions {
		csp := &r.ContentSetPermissions[i]
		if allCount > 0 && len(csp.ContentSets) > 0 && !model.Bool(csp.AllContentSets, false) {
			c.add(rule.AllContentSets, csp.PermissionRange, fmt.Sprintf("Role %q mixes all_content_sets with specific content sets", r.Name),
				"All Content Sets is a flag of the whole role; split this permission into a role of its own.", nil)
		}
		if seen[csp.Permission] {
			c.add(rule.PermissionDup, csp.PermissionRange, fmt.Sprintf("Permission %q is listed twice", truncate(csp.Permission)), "Merge the two blocks.", nil)
			continue
		}
		seen[csp.Permission] = true
		p, ok := c.permission(csp.Permission, model.RoleAdvanced, perms, names, csp.PermissionRange, src)
		if !ok {
			continue
		}
		all := model.Bool(csp.AllContentSets, false)
		switch {
		case p.Global && (len(csp.ContentSets) > 0 || all):
			c.add(rule.ContentSetUnknown, csp.ContentSetsRange, fmt.Sprintf("%q is a global permission", p.Name), "It takes no content set; remove content_sets and all_content_sets.", &p.Source)
		case !p.Global && len(csp.ContentSets) == 0 && !all:
			c.add(rule.RoleEmpty, csp.PermissionRange, fmt.Sprintf("Permission %q names no content set", p.Name), "Add content_sets = [...] or all_content_sets = true.", nil)
		case all && len(csp.ContentSets) > 0:
			c.add(rule.PermissionDup, csp.ContentSetsRange, "Both content_sets and all_content_sets", "all_content_sets already covers every content set; remove content_sets.", nil)
		}
		setSeen := map[string]bool{}
		for j, s := range csp.ContentSets {
			rng := elemRange(csp.ContentSetRanges, j, csp.ContentSetsRange)
			if !contains(sets, s) {
				c.add(rule.ContentSetUnknown, rng, fmt.Sprintf("Unknown content set %q", truncate(s)),
					fmt.Sprintf("Content sets are %s.%s", quoteList(sets), suggest.DidYouMean(s, sets)), &c.cat.ContentSets[0].Source)
			}
			if setSeen[s] {
				c.add(rule.PermissionDup, rng, fmt.Sprintf("Content set %q is listed twice", truncate(s)), "List each content set once.", nil)
			}
			setSeen[s] = true
		}
	}
}

// permission finds a permission of the role's kind, reporting an unknown
// name or one of another kind.
func (c *checker) permission(name, kind string, perms map[string][]catalog.Permission, names []string, rng hcl.Range, src *catalog.Source) (catalog.Permission, bool) {
	cands, ok := perms[name]
	if !ok {
		c.add(rule.PermissionUnknown, rng, fmt.Sprintf("Unknown permission %q", truncate(name)),
			"Permissions are the names of Tables 2 to 4 of the requirements page (trgen requirements lists them)."+suggest.DidYouMean(name, names), src)
		return catalog.Permission{}, false
	}
	var kinds []string
	for _, p := range cands {
		if p.Kind == kind {
			return p, true
		}
		kinds = append(kinds, p.Kind)
	}
	c.add(rule.PermissionKind, rng, fmt.Sprintf("%q is a %s permission, not a %s one", name, strings.Join(kinds, "/"), kind),
		fmt.Sprintf("Put it in a %s role.", strings.Join(kinds, "/")), &cands[0].Source)
	return catalog.Permission{}, false
}

// footnote2 warns when a permission that needs other modules (footnote 2)
// is used and the deployment has none of them at the page's version: the
// footnote's modules, or those the permission's row narrows them to
// (Permission.Needs).
func (c *checker) footnote2(p catalog.Permission, rng hcl.Range) {
	if !slices.Contains(p.Footnotes, 2) {
		return
	}
	fn := c.cat.Footnote(2)
	mods := modulesByID(c.d.Modules)
	var needs, missing []string
	met := false
	for _, n := range fn.Needs {
		if len(p.Needs) > 0 && !slices.Contains(p.Needs, n.Module) {
			continue
		}
		want := c.moduleLabel(n.Module)
		if n.Min != "" {
			want += " " + n.Min + " or later"
		}
		needs = append(needs, want)
		m, ok := mods[n.Module]
		if !ok || m.Version == nil {
			missing = append(missing, want+" (not installed)")
			continue
		}
		v, err := version.Parse(*m.Version)
		if err != nil {
			continue
		}
		if n.Min != "" && v.Less(version.MustParse(n.Min)) {
			missing = append(missing, fmt.Sprintf("%s (%s installed)", want, v))
			continue
		}
		met = true
	}
	if met {
		return
	}
	c.add(rule.PermissionNeeds, rng, fmt.Sprintf("%q needs permissions in another module", p.Name),
		fmt.Sprintf("To complete all its tasks this permission needs %s; the deployment has: %s. Add the module to modules { }, or accept that the related tasks are unavailable.", strings.Join(needs, ", or "), strings.Join(missing, "; ")), &fn.Source)
}

func (c *checker) moduleLabel(id string) string {
	if id == "interact" {
		return "Tanium Interact"
	}
	return c.moduleName(id)
}
