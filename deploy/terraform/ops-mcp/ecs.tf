locals {
  # The two containers of the task (object literals, so tests can read them from the parsed HCL).
  config_container = {
    # Writes ops-mcp.yaml (from Secrets Manager) into the config volume and hands the writable volumes to the
    # ops-mcp user, then exits; ops-mcp starts only after it succeeded. Fargate has no ConfigMap.
    name                   = "config"
    image                  = var.config_init_image
    essential              = false
    user                   = "0"
    readonlyRootFilesystem = true
    entryPoint             = ["/bin/sh", "-c"]
    command = [join(" && ", [
      "umask 077",
      "printf '%s' \"$OPS_MCP_CONFIG_YAML\" > /config/ops-mcp.yaml",
      "chown -R ${var.container_user} /config /data /tmp-ops",
      "chmod 0700 /data /tmp-ops",
    ])]
    secrets = [{ name = "OPS_MCP_CONFIG_YAML", valueFrom = aws_secretsmanager_secret.config.arn }]
    mountPoints = [
      { sourceVolume = "config", containerPath = "/config", readOnly = false },
      { sourceVolume = "data", containerPath = "/data", readOnly = false },
      { sourceVolume = "tmp", containerPath = "/tmp-ops", readOnly = false },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "config"
      }
    }
  }

  ops_mcp_container = {
    name                   = "ops-mcp"
    image                  = var.image
    essential              = true
    user                   = var.container_user
    readonlyRootFilesystem = true
    command                = ["serve"]
    portMappings           = [{ containerPort = var.container_port, protocol = "tcp", name = "http" }]
    environment = [
      { name = "OPS_MCP_CONFIG", value = "${local.config_dir}/ops-mcp.yaml" },
      # the image sets OPS_MCP_DATA_DIR=/var/lib/ops-mcp, which would win over data_dir in ops-mcp.yaml
      { name = "OPS_MCP_DATA_DIR", value = "${local.data_dir}/data" },
    ]
    # By reference only: ECS reads them with the execution role when the task starts.
    secrets = local.task_secrets
    mountPoints = [
      { sourceVolume = "config", containerPath = local.config_dir, readOnly = true },
      { sourceVolume = "data", containerPath = local.data_dir, readOnly = false },
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
    ]
    dependsOn = [{ containerName = "config", condition = "SUCCESS" }]
    linuxParameters = {
      capabilities = { drop = ["ALL"] }
      initProcessEnabled = true
    }
    # A tool call may run up to limits.tool_timeout_seconds after SIGTERM (the maximum on Fargate is 120 s).
    stopTimeout = 75
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "ops-mcp"
      }
    }
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
  tags = var.tags
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }
  # Task-scoped scratch volumes: the root filesystems stay read-only.
  volume {
    name = "config"
  }
  volume {
    name = "data"
  }
  volume {
    name = "tmp"
  }
  container_definitions = jsonencode([local.config_container, local.ops_mcp_container])
  tags = var.tags
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"
  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
  # Any task answers any request (http.stateless): plain round robin, no stickiness.
  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "ops-mcp"
    container_port   = var.container_port
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  depends_on = [aws_lb_listener.https, aws_iam_role_policy.task, aws_iam_role_policy.execution_secrets]
  tags       = var.tags
}
