# Two roles. The execution role lets ECS pull the image, write logs and read the task's secrets. The task role
# is what ops-mcp's AWS calls run as: exactly the actions the aws toolset calls (iam-actions.json, generated from
# io.opsmcp.tools.aws.client.AwsAction and checked by app TerraformIamActionsTest / TerraformModulesIT), plus
# sts:AssumeRole on the managed accounts' roles. toolsets/aws/IAM_ACTIONS.md explains each action.

locals {
  # {"read_only": [...], "mutating": [...]}: every IAM action the aws toolset can call.
  iam_actions = jsondecode(file("${path.module}/iam-actions.json"))

  grant_read   = var.manage_own_account
  grant_change = var.manage_own_account && !var.read_only
  grant_assume = length(var.managed_account_role_arns) > 0

  # The environment variables ECS fills from Secrets Manager when a task starts (task definition `secrets`).
  module_secrets = [
    # the "password" key of the RDS-managed JSON secret; store.password_env names the variable
    { name = "OPS_MCP_DB_PASSWORD", valueFrom = "${aws_db_instance.this.master_user_secret[0].secret_arn}:password::" },
    { name = "OPS_MCP_AUDIT_KEY", valueFrom = aws_secretsmanager_secret.audit_key.arn },
  ]
  task_secrets = concat(local.module_secrets, [for name, arn in var.extra_secrets : { name = name, valueFrom = arn }])
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    # Only ECS tasks of this account (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid     = "ReadTheTaskSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    # ARNs without the ":json-key::" suffixes ECS accepts in valueFrom
    resources = distinct(concat(
      [aws_secretsmanager_secret.config.arn],
      [for s in local.task_secrets : regex("^(arn:[^:]+:[^:]+:[^:]*:[0-9]*:[^:]+:[^:]+)", s.valueFrom)[0]],
    ))
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [1]
    content {
      sid       = "DecryptTheTaskSecrets"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  tags               = var.tags
  lifecycle {
    precondition {
      condition     = var.manage_own_account || length(var.managed_account_role_arns) > 0
      error_message = "Nothing to manage: set manage_own_account = true or list managed_account_role_arns."
    }
  }
}

data "aws_iam_policy_document" "task" {
  dynamic "statement" {
    for_each = local.grant_read ? [1] : []
    content {
      sid       = "AwsToolsetRead"
      actions   = local.iam_actions.read_only
      resources = ["*"]
    }
  }
  dynamic "statement" {
    for_each = local.grant_change ? [1] : []
    content {
      sid       = "AwsToolsetChange"
      actions   = local.iam_actions.mutating
      resources = ["*"]
    }
  }
  dynamic "statement" {
    # RegisterTaskDefinition passes the task definition's roles (ecs_update_task_resources).
    for_each = local.grant_change && length(var.passable_role_arns) > 0 ? [1] : []
    content {
      sid       = "AwsToolsetPassTaskRoles"
      actions   = ["iam:PassRole"]
      resources = var.passable_role_arns
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ecs-tasks.amazonaws.com"]
      }
    }
  }
  dynamic "statement" {
    for_each = local.grant_assume ? [1] : []
    content {
      sid       = "AssumeManagedAccountRoles"
      actions   = ["sts:AssumeRole"]
      resources = var.managed_account_role_arns
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "ops-mcp-toolsets"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
