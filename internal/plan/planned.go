package plan

// Planned is what one run has planned so far, handed from the checks
// (which plan the flows, the network policies and the roles to check
// them) to generate, so that each planner runs once per run. A nil field
// was not planned.
type Planned struct {
	Flows   []Flow
	Network *NetworkPlan
	Roles   *RolePlan
}
