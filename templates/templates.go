// Package templates embeds trgen's text/template files. It exists because
// //go:embed cannot reach parent directories; it holds no logic. Templates
// receive data computed in Go and only lay it out.
package templates

import "embed"

// FS holds every template, by path relative to this directory.
//
//go:embed docs/*.tmpl firewall/*.tmpl firewall/capirca/*.tmpl plan/*.tmpl exclusions/*.tmpl roles/*.tmpl auditd/*.tmpl runbook/*.tmpl requirements/*.tmpl fleet/*.tmpl verify/*.tmpl
var FS embed.FS
