# PostgreSQL shared by every task: approvals and the hash-chained audit log (store.type: postgres). Private,
# encrypted, TLS enforced; its master password is created and rotated by RDS in Secrets Manager and never
# appears in this module's state or variables.

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.private_subnet_ids
  tags       = var.tags
}

resource "aws_db_parameter_group" "this" {
  name   = var.name
  family = "postgres${var.db_engine_version}"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  tags = var.tags
}

resource "aws_db_instance" "this" {
  identifier                    = var.name
  engine                        = "postgres"
  engine_version                = var.db_engine_version
  instance_class                = var.db_instance_class
  allocated_storage             = var.db_allocated_storage
  storage_type                  = "gp3"
  storage_encrypted             = true
  kms_key_id                    = var.kms_key_arn
  db_name                       = "opsmcp"
  username                      = "opsmcp"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn
  db_subnet_group_name          = aws_db_subnet_group.this.name
  vpc_security_group_ids        = [aws_security_group.db.id]
  parameter_group_name          = aws_db_parameter_group.this.name
  publicly_accessible           = false
  multi_az                      = var.db_multi_az
  backup_retention_period       = var.db_backup_retention_days
  deletion_protection           = var.db_deletion_protection
  skip_final_snapshot           = false
  final_snapshot_identifier     = "${var.name}-final"
  copy_tags_to_snapshot         = true
  auto_minor_version_upgrade    = true
  tags                          = var.tags
}
