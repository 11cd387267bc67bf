output "url" {
  description = "The MCP endpoint (streamable HTTP) on the first allowed host name; point its DNS record at alb_dns_name."
  value       = "https://${var.allowed_hosts[0]}/mcp"
}

output "alb_dns_name" {
  description = "DNS name of the ALB (the target of your host name's alias or CNAME record)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone id of the ALB, for a Route 53 alias record."
  value       = aws_lb.this.zone_id
}

output "task_role_arn" {
  description = "Role ops-mcp's AWS calls run as: the trusted principal of every managed-account role."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "Role ECS uses to pull the image, write logs and read the task's secrets."
  value       = aws_iam_role.execution.arn
}

output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service name."
  value       = aws_ecs_service.this.name
}

output "log_group_name" {
  description = "CloudWatch log group of the tasks."
  value       = aws_cloudwatch_log_group.this.name
}

output "db_endpoint" {
  description = "Address:port of the PostgreSQL instance (store.url)."
  value       = aws_db_instance.this.endpoint
}

output "db_master_user_secret_arn" {
  description = "Secrets Manager secret (managed by RDS) with the database password; for ops-mcp audit verify and migrations run by hand."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "audit_key_secret_arn" {
  description = "Secrets Manager secret with OPS_MCP_AUDIT_KEY, which ops-mcp audit verify needs to check the tasks' checkpoints."
  value       = aws_secretsmanager_secret.audit_key.arn
}

output "config_yaml" {
  description = "The ops-mcp.yaml the tasks run with (no secrets in it)."
  value       = local.config_yaml
}

output "security_group_ids" {
  description = "Security groups of the ALB, the tasks and the database."
  value = {
    alb   = aws_security_group.alb.id
    tasks = aws_security_group.tasks.id
    db    = aws_security_group.db.id
  }
}
