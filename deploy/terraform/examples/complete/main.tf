# ops-mcp on ECS Fargate in the platform account (111122223333), managing that account and a shop account
# (444455556666) through a role there. Three replicas, stateless HTTP, PostgreSQL, behind the HTTPS ALB.
# Values are examples: replace the ids, ARNs and names.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "shop"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/terraform"
  }
}

locals {
  external_id = "ops-mcp-platform-prod"
}

module "ops_mcp" {
  source = "../../ops-mcp"

  name               = "ops-mcp"
  vpc_id             = "vpc-0123456789abcdef0"
  public_subnet_ids  = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  private_subnet_ids = ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]
  internal           = true
  allowed_cidr_blocks = ["10.0.0.0/8"]
  certificate_arn    = "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  allowed_hosts      = ["ops-mcp.example.com"]
  image              = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ops-mcp:0.1.0"
  desired_count      = 3
  ssh_cidr_blocks    = ["10.20.64.0/19"]

  managed_account_role_arns = ["arn:aws:iam::444455556666:role/ops-mcp"]
  passable_role_arns        = ["arn:aws:iam::111122223333:role/shop-*"]
  extra_secrets = {
    GITLAB_TOKEN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ops-mcp/gitlab-token-AbCdEf"
  }

  # Your part of ops-mcp.yaml (examples/ops-mcp.yaml); the module adds transport, http, data_dir and store.
  ops_mcp_config = {
    toolsets = ["aws", "gitlab"]
    auth = {
      api_keys = [
        # `ops-mcp auth hash-key < key.txt`; the key itself stays with the client
        { principal = "ci-agent", roles = ["sre"], sha256 = "2b4c60266c3cf115bdbaad865b4ec49f4714ac401e4c95b1517fd4117007f94c" },
        { principal = "bob", roles = ["sre-lead"], sha256 = "c5b3217fe4285b71ad1f1c21bc3052146d206a3300c823cb5a503cfdb8780944" },
      ]
    }
    aws = {
      accounts = [
        # this account: the task role (no credentials = the SDK's default chain)
        { name = "platform-prod", account_id = "111122223333", environment = "prod", default_region = "eu-west-1" },
        {
          name           = "shop-prod"
          account_id     = "444455556666"
          environment    = "prod"
          default_region = "eu-west-1"
          credentials    = module.shop_account.credentials
        },
      ]
    }
    gitlab = {
      instances = [
        { name = "main", base_url = "https://gitlab.example.com", token_env = "GITLAB_TOKEN", projects = [{ pattern = "shop/**", environment = "prod" }] },
      ]
    }
    # per principal and per task: with 3 tasks behind the ALB a principal gets up to 3 times these rates
    rate_limits = [
      { tools = ["*"], calls = 120, per = "1m", concurrent = 8 },
      { tools = ["ecs_*", "gitlab_retry_*", "gitlab_cancel_*"], calls = 20, per = "1m", concurrent = 2 },
    ]
    logging = { level = "info", format = "json" } # one JSON object per line in CloudWatch Logs
  }

  tags = { service = "ops-mcp" }
}

module "shop_account" {
  source    = "../../managed-account"
  providers = { aws = aws.shop }

  # The task role's ARN is known before the role exists (the module names it "<name>-task"), which avoids a
  # dependency cycle between the two modules.
  ops_mcp_task_role_arn = "arn:aws:iam::111122223333:role/ops-mcp-task"
  external_id           = local.external_id
  role_name             = "ops-mcp"
  read_only             = false
  passable_role_arns    = ["arn:aws:iam::444455556666:role/shop-*"]
}

output "url" {
  description = "The MCP endpoint."
  value       = module.ops_mcp.url
}

output "alb_dns_name" {
  description = "Point ops-mcp.example.com here."
  value       = module.ops_mcp.alb_dns_name
}
