package generate

import (
	"github.com/trgen/trgen/internal/capirca"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/render"
)

// CapircaView is the data of the Capirca definitions and README.
type CapircaView struct {
	Header     Header
	Plan       plan.NetworkPlan
	Targets    []capirca.Target
	NotOffered []struct{ Name, Why string }
}

// PolicyView is the data of one Capirca policy file.
type PolicyView struct {
	Header Header
	Policy plan.Policy
}

// capircaOutputs are the network firewall policies, firewall/capirca/.
func capircaOutputs(np plan.NetworkPlan, h Header) []render.Output {
	v := CapircaView{Header: h, Plan: np, Targets: capirca.Targets, NotOffered: capirca.NotOffered}
	outs := []render.Output{
		{Path: "firewall/capirca/README.md", Template: "firewall/capirca/README.md.tmpl", Data: v},
		{Path: "firewall/capirca/def/NETWORK.net", Template: "firewall/capirca/NETWORK.net.tmpl", Data: v},
		{Path: "firewall/capirca/def/SERVICES.svc", Template: "firewall/capirca/SERVICES.svc.tmpl", Data: v},
	}
	for _, p := range np.Policies {
		outs = append(outs, render.Output{Path: policyPath(p), Template: "firewall/capirca/policy.pol.tmpl", Data: PolicyView{h, p}})
	}
	return outs
}

// policyPath is a policy's file in the output folder.
func policyPath(p plan.Policy) string { return "firewall/capirca/pol/" + p.Name + ".pol" }
