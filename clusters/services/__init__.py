"""Writes of the clusters app, by subject. Import from here: `from clusters import services`."""

from clusters.services.api_tokens import api_token_create, api_token_revoke
from clusters.services.configuration import cluster_save, tier_delete, tier_save
from clusters.services.import_corrections import import_row_correct
from clusters.services.import_mappings import import_batch_map_values
from clusters.services.importing import (
    import_batch_commit,
    import_batch_create,
    import_batch_discard,
    import_batch_preview,
    import_batch_reread,
    import_batch_start_commit,
)
from clusters.services.memberships import (
    cancel_undo_until,
    membership_apply,
    membership_approve,
    membership_cancel,
    membership_cancel_undo,
    membership_contact_add,
    membership_lapse,
    membership_reject,
    membership_renew,
    membership_take_action,
    membership_update,
    membership_withdraw,
    memberships_bulk_apply,
    memberships_bulk_plan,
)
from clusters.services.renewals import memberships_lapse_overdue, renewal_digest_send

__all__ = [
    "api_token_create",
    "api_token_revoke",
    "cancel_undo_until",
    "cluster_save",
    "import_batch_commit",
    "import_batch_create",
    "import_batch_discard",
    "import_batch_map_values",
    "import_batch_preview",
    "import_batch_reread",
    "import_batch_start_commit",
    "import_row_correct",
    "membership_apply",
    "membership_approve",
    "membership_cancel",
    "membership_cancel_undo",
    "membership_contact_add",
    "membership_lapse",
    "membership_reject",
    "membership_renew",
    "membership_take_action",
    "membership_update",
    "membership_withdraw",
    "memberships_bulk_apply",
    "memberships_bulk_plan",
    "memberships_lapse_overdue",
    "renewal_digest_send",
    "tier_delete",
    "tier_save",
]
