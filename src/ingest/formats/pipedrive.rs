//! Pipedrive's deals and activities exports, and its API v1 activities listing
//! (shared/formats/crm-exports.md §3.1). Headers are `Entity - Field` ("Deal - Stage",
//! "Activity - Due date"); they are written here as the export writes them.

use super::{Field, FormatId, FormatSpec, RowKind};

/// Pipedrive deals export (Deals list → Export; CSV, every field quoted, BOM).
/// `Deal - Status` (Open / Won / Lost / Deleted) decides before the stage. The close
/// date is `Deal - Deal closed on`; where that cell is empty (or the column missing),
/// `Deal - Won time` / `Deal - Lost time` give it ([`Field::WonAt`], [`Field::LostAt`]:
/// a fallback per row, which column names cannot express). `Deal - Expected close
/// date` is a forecast, never a close date; `Deal - Total activities` counts planned
/// activities too, so the touch count is `Deal - Done activities`. The other
/// entities' columns (`Organization - MRR`, `Person - …`) are never read.
pub const PIPEDRIVE_DEALS: FormatSpec = FormatSpec {
    id: FormatId::PipedriveDeals,
    rows: RowKind::Deal,
    required: &[&[Field::DealId], &[Field::Status, Field::Stage]],
    typical: &[Field::Name, Field::Amount, Field::CreatedAt, Field::ClosedAt, Field::Owner],
    absent: &[],
    signature: &[
        "Deal - Title",
        "Deal - Deal created",
        "Deal - Deal closed on",
        "Deal - Won time",
        "Deal - Lost time",
        "Deal - Currency of value",
        "Deal - Total activities",
        "Deal - Done activities",
        "Deal - Update time",
    ],
    columns: &[
        (Field::DealId, &["Deal - ID"]),
        (Field::Name, &["Deal - Title"]),
        (Field::Stage, &["Deal - Stage"]),
        (Field::Status, &["Deal - Status"]),
        (Field::Amount, &["Deal - Value"]),
        (Field::Currency, &["Deal - Currency of value", "Deal - Currency"]),
        (Field::CreatedAt, &["Deal - Deal created", "Deal - Add time"]),
        (Field::ClosedAt, &["Deal - Deal closed on", "Deal - Close time"]),
        (Field::WonAt, &["Deal - Won time"]),
        (Field::LostAt, &["Deal - Lost time"]),
        (Field::Owner, &["Deal - Owner", "Deal - User"]),
        (Field::TouchCount, &["Deal - Done activities"]),
        (Field::LastModified, &["Deal - Update time"]),
    ],
    own_names_only: true,
    channel: None,
};

/// Pipedrive activities export (Activities list → Export). The deal is `Deal - ID` (an
/// empty cell: no deal); without that column the deal title (`Activity - Deal`) is the
/// key. The time is `Activity - Due date` plus `Activity - Due time` ([`Field::Time`]);
/// `Activity - Done` is `Done` / `To do`; `Activity - Type` is the built-in type
/// (Call, Meeting, Task, Deadline, Email, Lunch) or the account's own. No direction or
/// outcome exists.
pub const PIPEDRIVE_ACTIVITIES: FormatSpec = FormatSpec {
    id: FormatId::PipedriveActivities,
    rows: RowKind::Touch,
    required: &[&[Field::DealIds, Field::Name], &[Field::At]],
    typical: &[Field::Channel, Field::Done, Field::ActivityId, Field::Subject],
    absent: &[],
    signature: &[
        "Activity - ID",
        "Activity - Due date",
        "Activity - Done",
        "Activity - Subject",
        "Activity - Assigned to user",
        "Activity - Marked as done time",
        "Activity - Add time",
    ],
    columns: &[
        (Field::ActivityId, &["Activity - ID"]),
        (Field::DealIds, &["Deal - ID", "Activity - Deal ID"]),
        (Field::Name, &["Activity - Deal", "Deal - Title"]),
        (Field::At, &["Activity - Due date"]),
        (Field::Time, &["Activity - Due time"]),
        (Field::Done, &["Activity - Done"]),
        (Field::Channel, &["Activity - Type"]),
        (Field::Subject, &["Activity - Subject"]),
        (Field::Owner, &["Activity - Assigned to user", "Activity - Owner", "Activity - User"]),
    ],
    own_names_only: true,
    channel: None,
};

/// Pipedrive API v1 activities (`GET /v1/activities` saved as JSON). Never detected from
/// a CSV header: `ingest::pipedrive` recognises the JSON by its content and hands each
/// activity on as a row of these columns (one row per activity, in file order).
pub const PIPEDRIVE_API_ACTIVITIES: FormatSpec = FormatSpec {
    id: FormatId::PipedriveApiActivities,
    rows: RowKind::Touch,
    required: &[&[Field::DealIds], &[Field::At]],
    typical: &[],
    absent: &[],
    signature: &[],
    columns: &[
        (Field::ActivityId, &["id"]),
        (Field::DealIds, &["deal_id"]),
        (Field::Channel, &["type"]),
        (Field::Done, &["done"]),
        (Field::At, &["due_date"]),
        (Field::Time, &["due_time"]),
        (Field::Subject, &["subject"]),
        (Field::Owner, &["user"]),
    ],
    own_names_only: true,
    channel: None,
};
