from django import template

from fabula.taxonomy.checklist import Step, first_run_steps

register = template.Library()


@register.simple_tag
def first_run_checklist() -> list[Step]:
    """The steps, or none once every one is done (the checklist then disappears)."""
    steps = first_run_steps()
    return [] if all(step.done for step in steps) else steps
