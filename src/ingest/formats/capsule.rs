//! Capsule CRM's opportunities export and history entries (shared/formats/crm-exports.md
//! §2, §5.3, §5.4).

use super::{Field, FormatId, FormatSpec, RowKind};

/// Capsule CRM opportunities (the `Opportunities` CSV of the account export, or a list
/// export; CSV or XLSX), per shared/formats/crm-exports.md §2 and §5.3. The literal
/// export headers are not documented: the API v2 field names and their natural UI labels
/// are both accepted. Status from a status column (Open / Won / Lost) where present, else
/// the milestone ("Won", "Lost", "Won (Legacy)", "Lost (Legacy)"). The probability is
/// never read: in Capsule 0% can be a fresh lead. `expectedCloseOn` is never the close
/// date (an open opportunity's expected date is often in the future).
pub const CAPSULE_OPPORTUNITIES: FormatSpec = FormatSpec {
    id: FormatId::CapsuleOpportunities,
    rows: RowKind::Deal,
    required: &[&[Field::DealId, Field::Name], &[Field::Stage, Field::Status]],
    typical: &[],
    absent: &[],
    signature: &["milestone", "expectedcloseon", "expectedclosedate", "expectedclose", "lostreason", "party"],
    columns: &[
        (Field::DealId, &["id", "opportunityid", "recordid"]),
        (Field::Name, &["name", "opportunityname", "opportunity", "title"]),
        (Field::Stage, &["milestone", "milestonename", "stage"]),
        (Field::Status, &["status", "opportunitystatus"]),
        // A total beats the per-period value where the export carries one.
        (Field::Amount, &["totalvalue", "value", "valueamount", "amount", "opportunityvalue"]),
        (Field::Currency, &["currency", "valuecurrency", "currencycode"]),
        (Field::CreatedAt, &["createdat", "created", "createdon", "datecreated", "createddate"]),
        (Field::ClosedAt, &["closedon", "closeddate", "dateclosed", "actualclosedate", "closedat"]),
        (Field::Owner, &["owner", "ownername", "assignedto", "user"]),
        (Field::Cadence, &["cadence", "sequence", "playbook", "cadencename", "sequencename"]),
        (Field::TouchCount, &[]),
        (Field::At, &[]),
        (Field::WonFlag, &[]),
        (Field::LostFlag, &[]),
        (Field::Probability, &[]),
    ],
    own_names_only: false,
    channel: None,
};

/// Capsule CRM history entries (`GET /api/v2/entries` saved as JSON, one page or a list
/// of pages). Never detected from a CSV header: `ingest::capsule` recognises the JSON by
/// its content, applies the rules of shared/formats/crm-exports.md §5.4, and hands the
/// entries on as rows with these columns (one row per entry, in file order).
pub const CAPSULE_ENTRIES: FormatSpec = FormatSpec {
    id: FormatId::CapsuleEntries,
    rows: RowKind::Touch,
    required: &[&[Field::DealIds], &[Field::At]],
    typical: &[],
    absent: &[],
    signature: &[],
    columns: &[
        (Field::DealId, &[]),
        (Field::Name, &[]),
        (Field::DealIds, &["opportunityid"]),
        (Field::At, &["entryat"]),
        (Field::Channel, &["activitytype"]),
        (Field::Direction, &["direction"]),
        (Field::Outcome, &["outcome"]),
        (Field::Subject, &["subject"]),
        (Field::Owner, &["creator"]),
        (Field::Cadence, &[]),
        (Field::Stage, &[]),
        (Field::Status, &[]),
        (Field::Amount, &[]),
        (Field::Currency, &[]),
        (Field::ClosedAt, &[]),
        (Field::CreatedAt, &[]),
        (Field::TouchCount, &[]),
    ],
    own_names_only: false,
    channel: None,
};

/// The other files of Capsule's account-export ZIP (Contacts, Projects; "cases" in older
/// accounts): recognised by name beside an opportunities file, and skipped. Each pair is
/// (a word of the file name, lower case; what the file holds).
pub const CAPSULE_COMPANIONS: [(&str, &str); 5] = [
    ("contact", "Capsule contacts"),
    ("people", "Capsule contacts"),
    ("organisation", "Capsule contacts"),
    ("project", "Capsule projects"),
    ("case", "Capsule projects (cases)"),
];

/// What a file of a Capsule account-export ZIP holds when followup does not read it, by
/// its name (`Contacts.csv`, `projects-2026-10-31.csv`…); `None` for any other name.
pub fn capsule_companion(file_name: &str) -> Option<&'static str> {
    let stem = file_name.rsplit('/').next().unwrap_or(file_name).to_ascii_lowercase();
    CAPSULE_COMPANIONS.iter().find(|(word, _)| stem.contains(word)).map(|(_, what)| *what)
}
