# The secrets the tasks get as environment variables (task definition `secrets`, resolved by ECS at start with
# the execution role): the database password (RDS-managed, above), the audit checkpoint key every task shares
# (OPS_MCP_AUDIT_KEY) and ops-mcp.yaml itself (it holds API key hashes; it is not in the task definition).

resource "random_password" "audit_key" {
  # The HMAC key of the audit checkpoints (guard AuditAnchor: at least 32 characters). It is in the Terraform
  # state, like every value Terraform generates: keep the state encrypted and access-controlled.
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "audit_key" {
  name_prefix = "${var.name}/audit-key-"
  description = "ops-mcp: HMAC key of the audit checkpoints, shared by every task"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "audit_key" {
  secret_id     = aws_secretsmanager_secret.audit_key.id
  secret_string = random_password.audit_key.result
}

resource "aws_secretsmanager_secret" "config" {
  name_prefix = "${var.name}/config-"
  description = "ops-mcp: ops-mcp.yaml (no secrets; API key hashes)"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "config" {
  secret_id     = aws_secretsmanager_secret.config.id
  secret_string = local.config_yaml
}
