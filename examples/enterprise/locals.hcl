locals {
  # Client versions rolled out per OS.
  client_74  = "7.4.1.1955"
  client_mac = "7.4.2.2033"

  # Each site gets a /16 out of the corporate space.
  sites    = ["fra", "lon", "nyc"]
  site_net = { for i, s in local.sites : s => cidrsubnet(var.corp_cidr, 4, i + 1) }

  # The smallest machines per class.
  workstation = { cpus = 2, memory_gb = 8, free_disk_gb = 20 }
  server      = { cpus = 4, memory_gb = 16, free_disk_gb = 60 }
}
