//go:build !unix

package render

const openNoFollow = 0
