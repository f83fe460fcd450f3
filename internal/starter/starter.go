// Package starter holds the commented starter deployment `trgen init`
// writes: a few files that validate with no error and no warning.
package starter

import "embed"

// FS holds the starter's files, by name.
//
//go:embed files/*.hcl
var FS embed.FS
