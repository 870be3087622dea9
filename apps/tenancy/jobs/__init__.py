"""ProvisioningJob rows, from start to end: started (``services``) and read
(``selectors``); run in a Celery worker or inline (``runner``, writing progress through
``recorder``); sent to a worker (``dispatch``); failed and cleaned up after when their
worker dies (``reaper``); their Celery tasks (``tasks``) and the health of the workers
and the beat (``health``)."""
