locals {
  config_dir = "/etc/ops-mcp/config"
  data_dir   = "/var/lib/ops-mcp"

  # ops-mcp.yaml: your settings plus what this deployment decides. Several tasks need stateless HTTP and the
  # shared PostgreSQL store; the password comes from the environment (store.password_env), never the file.
  module_config = {
    transport = "http"
    http = {
      bind          = "0.0.0.0"
      port          = var.container_port
      stateless     = true
      allowed_hosts = concat(var.allowed_hosts, [for h in var.allowed_hosts : "${h}:443"])
    }
    data_dir = "${local.data_dir}/data"
    store = {
      type         = "postgres"
      url          = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${aws_db_instance.this.db_name}?sslmode=require"
      user         = aws_db_instance.this.username
      password_env = "OPS_MCP_DB_PASSWORD"
    }
  }
  config = merge(var.ops_mcp_config, local.module_config)
  config_yaml = yamlencode(local.config)
}
