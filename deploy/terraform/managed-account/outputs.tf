output "role_arn" {
  description = "ARN of the role: credentials.role_arn in ops-mcp.yaml, and one of managed_account_role_arns of the ops-mcp module."
  value       = aws_iam_role.this.arn
}

output "credentials" {
  description = "The aws.accounts[].credentials entry of ops-mcp.yaml for this account."
  value = {
    type        = "assume_role"
    role_arn    = aws_iam_role.this.arn
    external_id = var.external_id
  }
}
