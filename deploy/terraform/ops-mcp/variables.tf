variable "name" {
  description = "Name of every resource this module creates (ECS cluster and service, ALB, RDS instance, roles, secrets, log group), and the prefix of its secrets' names."
  type        = string
  default     = "ops-mcp"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,27}[a-z0-9]$", var.name))
    error_message = "name: 3..29 lowercase letters, digits and hyphens, starting with a letter (the ALB and target group names are limited to 32 characters)."
  }
}

variable "vpc_id" {
  description = "VPC that holds the ALB, the tasks and the database."
  type        = string
  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id: must be a VPC id (vpc-...)."
  }
}

variable "public_subnet_ids" {
  description = "Subnets of the ALB, in at least two availability zones (public ones for an internet-facing ALB, private ones with internal = true)."
  type        = list(string)
  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "public_subnet_ids: at least two subnet ids (subnet-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets of the tasks and the database, in at least two availability zones. The tasks reach AWS APIs, ECR and GitLab through a NAT gateway or VPC endpoints from here; they get no public IP."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids: at least two subnet ids (subnet-...)."
  }
}

variable "internal" {
  description = "Whether the ALB is internal (reachable from the VPC and its peerings only) rather than internet-facing."
  type        = bool
  default     = true
}

variable "allowed_cidr_blocks" {
  description = "IPv4 networks allowed to reach the ALB on 443 (and 80, which only redirects to 443): your clients' and agents' networks."
  type        = list(string)
  validation {
    condition     = length(var.allowed_cidr_blocks) > 0 && alltrue([for c in var.allowed_cidr_blocks : can(cidrhost(c, 0)) && !strcontains(c, ":")])
    error_message = "allowed_cidr_blocks: a non-empty list of IPv4 CIDR blocks, e.g. [\"10.0.0.0/8\"]."
  }
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener (for the host names in allowed_hosts)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn: must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener (TLS 1.2 and 1.3 only by default)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  validation {
    condition     = can(regex("^ELBSecurityPolicy-(TLS13|FS-1-2|TLS-1-2)", var.ssl_policy))
    error_message = "ssl_policy: must be a TLS 1.2+ ELB security policy (ELBSecurityPolicy-TLS13-..., -FS-1-2-... or -TLS-1-2-...)."
  }
}

variable "allowed_hosts" {
  description = "Host names clients use to reach ops-mcp (the certificate's names), without port: the server checks the Host header against them (http.allowed_hosts; DNS-rebinding protection)."
  type        = list(string)
  validation {
    condition     = length(var.allowed_hosts) > 0 && alltrue([for h in var.allowed_hosts : can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", h))])
    error_message = "allowed_hosts: a non-empty list of lowercase host names, e.g. [\"ops-mcp.example.com\"]."
  }
}

variable "image" {
  description = "The ops-mcp image (built from deploy/container/Dockerfile and pushed to ECR), pinned by tag or digest."
  type        = string
  validation {
    condition     = can(regex("^[^\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.image)) && !endswith(var.image, ":latest")
    error_message = "image: must name a tag or a digest (REPOSITORY:TAG or REPOSITORY@sha256:...), not :latest."
  }
}

variable "container_user" {
  description = "UID:GID the ops-mcp container runs as (the image's non-root user)."
  type        = string
  default     = "10001:10001"
  validation {
    condition     = can(regex("^[1-9][0-9]*:[1-9][0-9]*$", var.container_user))
    error_message = "container_user: must be a non-root UID:GID, e.g. 10001:10001."
  }
}

variable "config_init_image" {
  description = "Small image with a POSIX shell that writes ops-mcp.yaml (from Secrets Manager) into the task's config volume before ops-mcp starts; mirror it to your ECR if the tasks cannot pull from public ECR."
  type        = string
  default     = "public.ecr.aws/docker/library/busybox:1.37"
  validation {
    condition     = can(regex("^[^\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.config_init_image)) && !endswith(var.config_init_image, ":latest")
    error_message = "config_init_image: must name a tag or a digest, not :latest."
  }
}

variable "desired_count" {
  description = "Number of ops-mcp tasks. At least 2: the service is stateless HTTP on a shared PostgreSQL, so any task answers any request and one can fail or be replaced."
  type        = number
  default     = 2
  validation {
    condition     = var.desired_count >= 2 && var.desired_count <= 20 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count: a whole number 2..20."
  }
}

variable "cpu" {
  description = "Task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024
  validation {
    condition     = contains([512, 1024, 2048, 4096], var.cpu)
    error_message = "cpu: one of 512, 1024, 2048, 4096."
  }
}

variable "memory" {
  description = "Task memory in MiB; must be a Fargate-supported value for the chosen cpu."
  type        = number
  default     = 2048
  validation {
    condition     = var.memory >= 1024 && var.memory <= 30720 && var.memory % 1024 == 0
    error_message = "memory: a multiple of 1024 MiB, 1024..30720."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the tasks (the image must be built for it)."
  type        = string
  default     = "X86_64"
  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture: X86_64 or ARM64."
  }
}

variable "container_port" {
  description = "Port ops-mcp listens on in the task (http.port)."
  type        = number
  default     = 8080
  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535
    error_message = "container_port: 1024..65535 (the container is not root)."
  }
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch log group, in days."
  type        = number
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the database, its master password secret, the module's secrets and the log group; null uses the AWS managed keys."
  type        = string
  default     = null
  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn: null or a KMS key ARN."
  }
}

variable "db_instance_class" {
  description = "RDS instance class of the PostgreSQL database (approvals and the audit log)."
  type        = string
  default     = "db.t4g.small"
  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "db_instance_class: an RDS instance class such as db.t4g.small."
  }
}

variable "db_engine_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "16"
  validation {
    condition     = can(regex("^1[3-9]$", var.db_engine_version))
    error_message = "db_engine_version: a PostgreSQL major version 13..19."
  }
}

variable "db_allocated_storage" {
  description = "Database storage in GiB."
  type        = number
  default     = 20
  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 65536
    error_message = "db_allocated_storage: 20..65536 GiB."
  }
}

variable "db_multi_az" {
  description = "Whether the database has a standby in another availability zone."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated database backups (the audit log lives there)."
  type        = number
  default     = 14
  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days: 1..35."
  }
}

variable "db_deletion_protection" {
  description = "Whether the database is protected from deletion (turn off only to destroy the stack)."
  type        = bool
  default     = true
}

variable "read_only" {
  description = "Grant only the read-only AWS actions of the aws toolset (no ecs:UpdateService, ecs:RegisterTaskDefinition, iam:PassRole). Set tools.read_only: true in ops_mcp_config too, so the mutating tools are not even listed."
  type        = bool
  default     = false
}

variable "manage_own_account" {
  description = "Whether ops-mcp acts on this (the task's own) account with the task role, an aws.accounts entry without credentials. The task role then gets the aws toolset's actions; otherwise only sts:AssumeRole on managed_account_role_arns."
  type        = bool
  default     = true
}

variable "managed_account_role_arns" {
  description = "Roles ops-mcp assumes in the other accounts it manages (deploy/terraform/managed-account outputs role_arn); the task role may assume exactly these."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for a in var.managed_account_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", a))])
    error_message = "managed_account_role_arns: IAM role ARNs (arn:aws:iam::ACCOUNT:role/NAME)."
  }
}

variable "passable_role_arns" {
  description = "Task and execution roles of this account's task definitions that ecs_update_task_resources may re-register (iam:PassRole to ecs-tasks.amazonaws.com only). Empty: that tool fails with AccessDenied naming iam:PassRole."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for a in var.passable_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/*-]+$", a))])
    error_message = "passable_role_arns: IAM role ARNs (a trailing * for a path is allowed)."
  }
}

variable "ops_mcp_config" {
  description = "Your part of ops-mcp.yaml as an object (toolsets, tools, limits, auth.api_keys, principals, policy, aws, gitlab, hosts, ...; see examples/ops-mcp.yaml). The module sets transport, http, data_dir and store itself. No secret goes here: name environment variables (extra_secrets) instead."
  type        = any
  validation {
    condition     = length(setintersection(keys(var.ops_mcp_config), ["transport", "http", "data_dir", "store", "sandbox"])) == 0
    error_message = "ops_mcp_config: transport, http, data_dir, store and sandbox are set by the module; leave them out."
  }
}

variable "extra_secrets" {
  description = "More environment variables from Secrets Manager, by name: e.g. { GITLAB_TOKEN = \"arn:aws:secretsmanager:...\" } for gitlab.instances[].token_env. Append :json-key:: to an ARN to take one key of a JSON secret."
  type        = map(string)
  default     = {}
  validation {
    condition = alltrue([for k, v in var.extra_secrets :
      can(regex("^[A-Z_][A-Z0-9_]*$", k)) && !startswith(k, "OPS_MCP_") && can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^:]+(:[^:]*:[^:]*:[^:]*)?$", v))
    ])
    error_message = "extra_secrets: names are environment variable names not starting with OPS_MCP_ (the module owns those); values are Secrets Manager secret ARNs (optionally with :json-key::)."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

variable "ssh_cidr_blocks" {
  description = "IPv4 networks of the hosts the hosts toolset reaches over SSH (port 22); empty: no SSH egress."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.ssh_cidr_blocks : can(cidrhost(c, 0)) && !strcontains(c, ":") && c != "0.0.0.0/0"])
    error_message = "ssh_cidr_blocks: IPv4 CIDR blocks of your hosts' subnets (not 0.0.0.0/0)."
  }
}
