from celery import shared_task

from .services import recompute_priorities as recompute


@shared_task(acks_late=True)
def recompute_priorities(scoring_model_id: int | None = None) -> int:
    """Write a new priority run (with the active scoring model unless an id is given); returns its id."""
    return recompute(scoring_model_id=scoring_model_id).pk
