# Inputs that differ between environments. Override with -var,
# -var-file or TRGEN_VAR_<name>, as with Terraform.

variable "corp_cidr" {
  type        = string
  default     = "10.64.0.0/12"
  description = "The corporate address space the internal groups are carved from."
}

variable "dmz_cidr" {
  type    = string
  default = "203.0.113.0/24"
}

variable "evidence_bucket" {
  type    = string
  default = "s3.eu-west-1.amazonaws.com"
}

variable "evidence_bucket_ranges" {
  type        = list(string)
  default     = ["192.0.2.0/25"]
  description = "The address ranges the evidence bucket's name resolves to, for host firewalls."
}
