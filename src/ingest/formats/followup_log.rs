//! The tool's own forms (SPEC §2): the follow-up log, touches.csv and deals.csv, read
//! through the generic header synonyms of [`Field::synonyms`].

use super::{Field, FormatId, FormatSpec, RowKind};

/// The follow-up log: one row per touch, deal columns repeated.
pub const FOLLOWUP_LOG: FormatSpec = FormatSpec {
    id: FormatId::FollowupLog,
    rows: RowKind::Touch,
    required: &[&[Field::DealId, Field::Name], &[Field::At]],
    typical: &[Field::Stage, Field::Status, Field::Amount, Field::ClosedAt, Field::Channel, Field::Outcome],
    absent: &[],
    signature: &[],
    columns: &[],
    own_names_only: false,
    channel: None,
};

/// touches.csv: one row per touch, no deal columns.
pub const TOUCHES: FormatSpec = FormatSpec {
    id: FormatId::Touches,
    rows: RowKind::Touch,
    required: &[&[Field::DealId, Field::Name], &[Field::At]],
    typical: &[Field::Channel, Field::Direction, Field::Outcome],
    absent: &[Field::Stage, Field::Status, Field::Amount, Field::ClosedAt],
    signature: &[],
    columns: &[],
    own_names_only: false,
    channel: None,
};

/// deals.csv: one row per deal.
pub const DEALS: FormatSpec = FormatSpec {
    id: FormatId::Deals,
    rows: RowKind::Deal,
    required: &[&[Field::DealId, Field::Name], &[Field::Stage, Field::Status]],
    typical: &[Field::Amount, Field::ClosedAt, Field::CreatedAt, Field::Owner],
    absent: &[Field::At],
    signature: &[],
    columns: &[],
    own_names_only: false,
    channel: None,
};
