# The role ops-mcp assumes in an account it manages (aws.accounts[].credentials: {type: assume_role, role_arn,
# external_id}). Apply it with a provider for that account. Only the ops-mcp task role may assume it, and only
# with the external id; it allows exactly the actions the aws toolset calls (iam-actions.json, the same file as
# the ops-mcp module's, checked against io.opsmcp.tools.aws.client.AwsAction by app TerraformIamActionsTest).

locals {
  iam_actions = jsondecode(file("${path.module}/iam-actions.json"))

  grant_read   = true
  grant_change = !var.read_only
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.ops_mcp_task_role_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Assumed by ops-mcp (${var.ops_mcp_task_role_arn}) to troubleshoot and, unless read-only, remediate ECS services"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
  tags                 = var.tags
}

data "aws_iam_policy_document" "toolset" {
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
}

resource "aws_iam_role_policy" "toolset" {
  name   = "ops-mcp-aws-toolset"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.toolset.json
}
