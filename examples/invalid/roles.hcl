# Roles and user groups against the permission catalog ("User role requirements").
deployment "roles" {
  threat_response_version = "2.2.0"
  licenses                = ["trace", "detect"]

  platform {
    core_version = "7.2.314.3550"
  }

  tanium_server "ts1" {
    address = "10.0.0.10"
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  endpoint_group "g" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.4.1.1955"
    networks       = ["10.1.0.0/16"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  role "analyst" {
    kind        = "module"
    deny        = true                                                   # ERROR: role-deny-not-allowed
    permissions = ["Show Threat Response", "Trace Live Conections Read"] # ERROR: permission-unknown
  }

  role "mixed" {
    kind        = "module"
    permissions = ["Read User", "Trace IOCs Write", "Show Trace", "Show Trace"] # ERROR: permission-kind-mismatch; WARNING: permission-needs-module; ERROR: permission-duplicate
  }

  role "copycat" {
    display_name = "Threat Response User" # ERROR: role-name-provided
    kind         = "micro_admin"
    permissions  = ["Read Action Group"]
  }

  role "nothing" { # ERROR: role-empty
    kind        = "micro_admin"
    permissions = []
  }

  role "content" {
    kind = "advanced"
    deny = true
    content_set_permission "Write Action" { # ERROR: all-content-sets-mixed
      content_sets = ["Trace Analytics"]    # ERROR: content-set-unknown
    }
    content_set_permission "Ask Dynamic Questions" {}
    content_set_permission "Read Package" { # ERROR: all-content-sets-mixed
      content_sets = ["Detect", "Index"]
    }
    content_set_permission "Write Package" {
      all_content_sets = true
    }
  }

  user_group "soc" {
    roles = ["analyst", "Threat Response Usr"] # ERROR: role-name-unknown
  }

  user_group "idle" {
    roles = [] # ERROR: user-group-empty
  }
}
