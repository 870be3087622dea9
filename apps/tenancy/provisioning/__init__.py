"""Provisioning: the pipeline that builds, migrates, verifies, repairs, backs up and restores
a hospital's database."""
