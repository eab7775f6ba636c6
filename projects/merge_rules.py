"""When two organisations merge and both are in the same project or at the same activity.

- Both partners in one project: one partner row stays (the kept organisation's), lead partner
  if either was.
- Both at one activity: one participant row with the people of both, so the report's count of
  participants does not change.
Contributions have no such rule: every one moves. Registered in network.hooks.
"""

from projects.models import ActivityParticipant, PartnerRole, ProjectPartner


def partner_merge_rule(*, kept, removed) -> dict[str, int]:
    combined = 0
    theirs = {p.project_id: p for p in ProjectPartner.objects.filter(organisation=removed)}
    for mine in ProjectPartner.objects.filter(organisation=kept, project_id__in=list(theirs)):
        other = theirs[mine.project_id]
        if other.role == PartnerRole.LEAD and mine.role != PartnerRole.LEAD:
            mine.role = PartnerRole.LEAD
            mine.save(update_fields=["role"])
        other.delete()
        combined += 1
    return {"projects.ProjectPartner combined": combined} if combined else {}


def participant_merge_rule(*, kept, removed) -> dict[str, int]:
    combined = 0
    theirs = {p.activity_id: p for p in ActivityParticipant.objects.filter(organisation=removed)}
    for mine in ActivityParticipant.objects.filter(organisation=kept, activity_id__in=list(theirs)):
        other = theirs[mine.activity_id]
        mine.people += other.people
        mine.save(update_fields=["people"])
        other.delete()
        combined += 1
    return {"projects.ActivityParticipant combined": combined} if combined else {}


def register() -> None:
    from network import hooks

    hooks.register_merge_rule("projects.ProjectPartner", partner_merge_rule)
    hooks.register_merge_rule("projects.ActivityParticipant", participant_merge_rule)
