// Package examples embeds the bundled example deployments, which `trgen
// init --example NAME` copies; it holds no logic. The folders are also
// what the tests and `make generate` validate and render.
package examples

import "embed"

// FS holds the examples by folder name: small, enterprise.
//
//go:embed small enterprise
var FS embed.FS

// Names are the examples `trgen init --example` offers.
var Names = []string{"small", "enterprise"}
