# Inputs that differ between environments (lab, production). Override them
# with -var NAME=VALUE, -var-file FILE or TRGEN_VAR_<name>, as in Terraform.

variable "internal_cidr" {
  type        = string
  default     = "10.64.0.0/12"
  description = "The internal address space; the servers and groups below are carved from it with cidrhost() and cidrsubnet()."
}

variable "client_version" {
  type        = string
  default     = "7.4.1.1955"
  description = "The Tanium Client version on the endpoints. `trgen requirements` lists the versions Threat Response supports."
}
