variable "ops_mcp_task_role_arn" {
  description = "The ops-mcp task role (output task_role_arn of deploy/terraform/ops-mcp): the only principal that may assume this role."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.ops_mcp_task_role_arn))
    error_message = "ops_mcp_task_role_arn: must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)."
  }
}

variable "external_id" {
  description = "sts:ExternalId the trust policy requires; the same value goes in ops-mcp.yaml as aws.accounts[].credentials.external_id. Not a secret, but unique per ops-mcp installation (confused-deputy protection)."
  type        = string
  validation {
    # the rule ops-mcp applies to credentials.external_id (toolsets/aws AwsConfig), and AWS's
    condition     = can(regex("^[\\w+=,.@:/-]{2,1224}$", var.external_id))
    error_message = "external_id: 2..1224 characters of letters, digits and +=,.@:/- (as aws.accounts[].credentials.external_id)."
  }
}

variable "role_name" {
  description = "Name of the role ops-mcp assumes in this account (credentials.role_arn)."
  type        = string
  default     = "ops-mcp"
  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name: 1..64 characters of letters, digits and +=,.@_-."
  }
}

variable "read_only" {
  description = "Grant only the read-only AWS actions of the aws toolset in this account (no ecs:UpdateService, ecs:RegisterTaskDefinition, iam:PassRole)."
  type        = bool
  default     = false
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

variable "max_session_duration" {
  description = "Longest session of the assumed role, in seconds (the SDK refreshes before expiry)."
  type        = number
  default     = 3600
  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration: 3600..43200 seconds."
  }
}

variable "tags" {
  description = "Tags of the role."
  type        = map(string)
  default     = {}
}
