"""The job runner: runs ProvisioningJob rows (in a Celery worker or inline) and watches
worker health."""
