//! The registry of input formats: which header names mean which canonical column
//! (SPEC §2), and which columns each format requires. Detection matches a file's header
//! row against every spec. Adding a format means adding its spec (a [`FormatSpec`]
//! constant) to its family's file or a new one, a [`FormatId`] variant (the compiler
//! then asks for its name and spec), and its place in [`FORMATS`].
//!
//! Header names are compared after [`normalise_header`]: lower case, without spaces,
//! `_`, `-`, `.`, quotes and brackets, so "Deal stage", "deal_stage" and "DealStage" are
//! the same name. Specs may write a header as the export does ("Deal - Stage",
//! "StageName"): it is normalised before the comparison, and messages show it as written.

mod capsule;
mod followup_log;
mod hubspot;
mod pipedrive;
mod salesforce;

pub use capsule::{capsule_companion, CAPSULE_COMPANIONS, CAPSULE_ENTRIES, CAPSULE_OPPORTUNITIES};
pub use followup_log::{DEALS, FOLLOWUP_LOG, TOUCHES};
pub use hubspot::{HUBSPOT_CALLS, HUBSPOT_DEALS, HUBSPOT_EMAILS, HUBSPOT_MEETINGS, HUBSPOT_NOTES, HUBSPOT_TASKS};
pub use pipedrive::{PIPEDRIVE_ACTIVITIES, PIPEDRIVE_API_ACTIVITIES, PIPEDRIVE_DEALS};
pub use salesforce::{SALESFORCE_EVENTS, SALESFORCE_OPPORTUNITIES, SALESFORCE_REPORT, SALESFORCE_TASKS};

/// A canonical column of SPEC §2 that an input column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Deal id.
    DealId,
    /// Deal / prospect name.
    Name,
    /// Raw stage text.
    Stage,
    /// Won / lost / open.
    Status,
    /// Deal amount.
    Amount,
    /// ISO currency code.
    Currency,
    /// Deal creation date.
    CreatedAt,
    /// Deal close date.
    ClosedAt,
    /// Cadence / sequence name.
    Cadence,
    /// Owner / rep.
    Owner,
    /// Count of contacts (deal-level exports).
    TouchCount,
    /// Time of a touch.
    At,
    /// Touch channel / contact method.
    Channel,
    /// Inbound / outbound.
    Direction,
    /// Raw outcome.
    Outcome,
    /// Email subject.
    Subject,
    /// Several deal ids in one cell, `;`-separated (HubSpot "Associated Deal IDs").
    DealIds,
    /// A true/false "is closed won" flag.
    WonFlag,
    /// A true/false "is closed lost" flag.
    LostFlag,
    /// Stage probability: 1.0 = won, 0.0 = lost.
    Probability,
    /// Time of day of a touch whose date is in [`Field::At`] (Pipedrive's due time).
    Time,
    /// Whether an activity took place: Done / To do, true / false, Completed / Not
    /// Started (a planned activity is not a touch).
    Done,
    /// An activity's own id: the same id twice is one activity.
    ActivityId,
    /// When the record was last changed (newest snapshot wins).
    LastModified,
    /// When the deal was won (a close date where the close-date cell is empty).
    WonAt,
    /// When the deal was lost (a close date where the close-date cell is empty).
    LostAt,
    /// A true/false "is closed" flag (closed and not won = lost).
    ClosedFlag,
    /// The account a deal belongs to (Salesforce `AccountId`): links a task logged on
    /// the account to the account's only open opportunity.
    AccountId,
}

impl Field {
    /// Every field, in canonical order.
    pub const ALL: [Field; 28] = [
        Field::DealId,
        Field::Name,
        Field::Stage,
        Field::Status,
        Field::Amount,
        Field::Currency,
        Field::CreatedAt,
        Field::ClosedAt,
        Field::Cadence,
        Field::Owner,
        Field::TouchCount,
        Field::At,
        Field::Channel,
        Field::Direction,
        Field::Outcome,
        Field::Subject,
        Field::DealIds,
        Field::WonFlag,
        Field::LostFlag,
        Field::Probability,
        Field::Time,
        Field::Done,
        Field::ActivityId,
        Field::LastModified,
        Field::WonAt,
        Field::LostAt,
        Field::ClosedFlag,
        Field::AccountId,
    ];

    /// The canonical column name of SPEC §2.
    pub fn canonical(self) -> &'static str {
        match self {
            Field::DealId => "deal_id",
            Field::Name => "name",
            Field::Stage => "stage",
            Field::Status => "status",
            Field::Amount => "amount",
            Field::Currency => "currency",
            Field::CreatedAt => "created_at",
            Field::ClosedAt => "closed_at",
            Field::Cadence => "cadence",
            Field::Owner => "owner",
            Field::TouchCount => "touch_count",
            Field::At => "at",
            Field::Channel => "channel",
            Field::Direction => "direction",
            Field::Outcome => "outcome",
            Field::Subject => "subject",
            Field::DealIds => "deal_ids",
            Field::WonFlag => "is_won",
            Field::LostFlag => "is_lost",
            Field::Probability => "probability",
            Field::Time => "at_time",
            Field::Done => "done",
            Field::ActivityId => "activity_id",
            Field::LastModified => "last_modified",
            Field::WonAt => "won_at",
            Field::LostAt => "lost_at",
            Field::ClosedFlag => "is_closed",
            Field::AccountId => "account_id",
        }
    }

    /// Header names (normalised) that hold this field.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::DealId => &["dealid", "id", "opportunityid", "prospectid", "recordid"],
            Field::Name => &[
                "name", "deal", "dealname", "prospect", "prospectname", "company", "companyname", "opportunity",
                "opportunityname", "account", "accountname", "client", "customer", "lead",
            ],
            Field::Stage => &["stage", "dealstage", "milestone", "pipelinestage", "salesstage"],
            Field::Status => &["status", "dealstatus", "wonlost"],
            Field::Amount => &[
                "amount", "value", "dealvalue", "estimatedvalue", "dealamount", "revenue", "opportunityvalue",
                "expectedvalue", "closevalue",
            ],
            Field::Currency => &["currency", "dealcurrency", "currencycode"],
            Field::CreatedAt => &["createdat", "created", "createdate", "datecreated", "createdon", "dateadded", "createddate", "engagedate"],
            Field::ClosedAt => &["closedat", "closedate", "closed", "closedon", "dateclosed", "closingdate"],
            Field::Cadence => &["cadence", "sequence", "playbook", "cadencename", "sequencename"],
            Field::Owner => &[
                "owner", "dealowner", "rep", "salesrep", "salesperson", "assignedto", "accountmanager", "user", "salesagent",
            ],
            Field::TouchCount => &["touchcount", "numberoftimescontacted", "timescontacted", "touches"],
            Field::At => &[
                "at", "date", "touchdate", "activitydate", "contactdate", "datetime", "timestamp", "when",
                "followupdate", "touchedat", "datecontacted",
            ],
            Field::Channel => &[
                "channel", "contactmethod", "method", "type", "activitytype", "touchtype", "medium", "activity",
            ],
            Field::Direction => &["direction", "inout", "inboundoutbound"],
            Field::Outcome => &["outcome", "result", "response", "disposition", "calloutcome"],
            Field::Subject => &["subject", "emailsubject", "title"],
            Field::DealIds => &["dealids"],
            Field::WonFlag => &["isclosedwon", "iswon"],
            Field::LostFlag => &["isclosedlost", "islost"],
            // Only where a format says its probability means won at 1.0 and lost at 0.0
            // (HubSpot's stage probability); Capsule's 0% can be a fresh lead.
            Field::Probability => &[],
            Field::Time => &["attime", "time", "touchtime"],
            Field::Done => &["done", "isdone"],
            Field::ActivityId => &["activityid", "touchid"],
            Field::LastModified => &["lastmodified", "lastmodifieddate", "lastmodifiedat", "modifiedat", "updatedat"],
            Field::WonAt => &["wonat", "wontime", "wondate", "datewon"],
            Field::LostAt => &["lostat", "losttime", "lostdate", "datelost"],
            Field::ClosedFlag => &["isclosed"],
            // Only where a format names it (Salesforce opportunities); a task's own
            // AccountId is never read (ISSUE10.md decision 11).
            Field::AccountId => &[],
        }
    }
}

/// Lower-cases a header and drops spaces, `_`, `-`, `.`, quotes and brackets.
pub fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '"' | '\'' | '(' | ')' | '/' | ':'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How a file's rows are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// One row per touch, deal columns possibly repeated (follow-up log, touches.csv).
    Touch,
    /// One row per deal (deals.csv).
    Deal,
}

/// Which format a spec is: what code compares instead of names. Shown (metrics.json,
/// messages) as [`FormatId::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatId {
    /// The follow-up log.
    FollowupLog,
    /// touches.csv.
    Touches,
    /// deals.csv.
    Deals,
    /// HubSpot deals export.
    HubspotDeals,
    /// HubSpot calls export.
    HubspotCalls,
    /// HubSpot emails export.
    HubspotEmails,
    /// HubSpot meetings export.
    HubspotMeetings,
    /// HubSpot notes export.
    HubspotNotes,
    /// HubSpot tasks export.
    HubspotTasks,
    /// Capsule opportunities.
    CapsuleOpportunities,
    /// Capsule API entries (JSON).
    CapsuleEntries,
    /// Pipedrive deals export.
    PipedriveDeals,
    /// Pipedrive activities export.
    PipedriveActivities,
    /// Pipedrive API v1 activities (JSON).
    PipedriveApiActivities,
    /// Salesforce Opportunity (data export, API names).
    SalesforceOpportunities,
    /// Salesforce Task (data export).
    SalesforceTasks,
    /// Salesforce Event (data export).
    SalesforceEvents,
    /// Salesforce opportunity report (labels).
    SalesforceReport,
}

impl FormatId {
    /// Every format id.
    pub const ALL: [FormatId; 18] = [
        FormatId::FollowupLog,
        FormatId::Touches,
        FormatId::Deals,
        FormatId::HubspotDeals,
        FormatId::HubspotCalls,
        FormatId::HubspotEmails,
        FormatId::HubspotMeetings,
        FormatId::HubspotNotes,
        FormatId::HubspotTasks,
        FormatId::CapsuleOpportunities,
        FormatId::CapsuleEntries,
        FormatId::PipedriveDeals,
        FormatId::PipedriveActivities,
        FormatId::PipedriveApiActivities,
        FormatId::SalesforceOpportunities,
        FormatId::SalesforceTasks,
        FormatId::SalesforceEvents,
        FormatId::SalesforceReport,
    ];

    /// The name shown in metrics.json and messages.
    pub const fn name(self) -> &'static str {
        match self {
            FormatId::FollowupLog => "followup-log",
            FormatId::Touches => "touches",
            FormatId::Deals => "deals",
            FormatId::HubspotDeals => "hubspot-deals",
            FormatId::HubspotCalls => "hubspot-calls",
            FormatId::HubspotEmails => "hubspot-emails",
            FormatId::HubspotMeetings => "hubspot-meetings",
            FormatId::HubspotNotes => "hubspot-notes",
            FormatId::HubspotTasks => "hubspot-tasks",
            FormatId::CapsuleOpportunities => "capsule-opportunities",
            FormatId::CapsuleEntries => "capsule-entries",
            FormatId::PipedriveDeals => "pipedrive-deals",
            FormatId::PipedriveActivities => "pipedrive-activities",
            FormatId::PipedriveApiActivities => "pipedrive-api-activities",
            FormatId::SalesforceOpportunities => "salesforce-opportunities",
            FormatId::SalesforceTasks => "salesforce-tasks",
            FormatId::SalesforceEvents => "salesforce-events",
            FormatId::SalesforceReport => "salesforce-report",
        }
    }

    /// The spec of this format.
    pub fn spec(self) -> &'static FormatSpec {
        match self {
            FormatId::FollowupLog => &FOLLOWUP_LOG,
            FormatId::Touches => &TOUCHES,
            FormatId::Deals => &DEALS,
            FormatId::HubspotDeals => &HUBSPOT_DEALS,
            FormatId::HubspotCalls => &HUBSPOT_CALLS,
            FormatId::HubspotEmails => &HUBSPOT_EMAILS,
            FormatId::HubspotMeetings => &HUBSPOT_MEETINGS,
            FormatId::HubspotNotes => &HUBSPOT_NOTES,
            FormatId::HubspotTasks => &HUBSPOT_TASKS,
            FormatId::CapsuleOpportunities => &CAPSULE_OPPORTUNITIES,
            FormatId::CapsuleEntries => &CAPSULE_ENTRIES,
            FormatId::PipedriveDeals => &PIPEDRIVE_DEALS,
            FormatId::PipedriveActivities => &PIPEDRIVE_ACTIVITIES,
            FormatId::PipedriveApiActivities => &PIPEDRIVE_API_ACTIVITIES,
            FormatId::SalesforceOpportunities => &SALESFORCE_OPPORTUNITIES,
            FormatId::SalesforceTasks => &SALESFORCE_TASKS,
            FormatId::SalesforceEvents => &SALESFORCE_EVENTS,
            FormatId::SalesforceReport => &SALESFORCE_REPORT,
        }
    }

    /// The format of a name as [`FormatId::name`] writes it.
    pub fn from_name(name: &str) -> Option<FormatId> {
        FormatId::ALL.into_iter().find(|id| id.name() == name)
    }
}

impl std::fmt::Display for FormatId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for FormatId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The format a file was read as: its id, and whether a `--map` file decided the
/// columns. Shown as in metrics.json: `deals`, `deals (mapped)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// The format.
    pub id: FormatId,
    /// True when the columns came from a `--map` file.
    pub mapped: bool,
}

impl Format {
    /// The suffix of a mapped format's name.
    const MAPPED: &'static str = " (mapped)";

    /// Reads a name as [`Format`]'s `Display` writes it.
    pub fn parse(name: &str) -> Option<Format> {
        let (base, mapped) = match name.strip_suffix(Format::MAPPED) {
            Some(base) => (base, true),
            None => (name, false),
        };
        FormatId::from_name(base).map(|id| Format { id, mapped })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id.name())?;
        if self.mapped {
            f.write_str(Format::MAPPED)?;
        }
        Ok(())
    }
}

/// A declarative input format.
#[derive(Debug)]
pub struct FormatSpec {
    /// Which format this is (its name in metrics.json and messages).
    pub id: FormatId,
    /// How rows are read.
    pub rows: RowKind,
    /// Groups of fields; each group needs at least one of its fields present.
    pub required: &'static [&'static [Field]],
    /// Fields whose presence makes this format a better match.
    pub typical: &'static [Field],
    /// Fields that must be absent for this format to match.
    pub absent: &'static [Field],
    /// Header names of which one must be present: what tells this export from a generic
    /// file. Empty for the generic forms.
    pub signature: &'static [&'static str],
    /// Header names for fields, overriding the generic synonyms for the fields named
    /// (an empty list switches a field off, e.g. an activity's own Record ID). Among
    /// several names present, the first listed wins: an ordered fallback by column.
    pub columns: &'static [(Field, &'static [&'static str])],
    /// True when the fields `columns` does not name are not read at all (an export
    /// whose columns are all known); false when they fall back to the generic synonyms.
    pub own_names_only: bool,
    /// The channel of every row when the export is one activity type.
    pub channel: Option<ChannelOf>,
}

impl FormatSpec {
    /// The name shown in metrics.json and messages.
    pub const fn name(&self) -> &'static str {
        self.id.name()
    }

    /// The header names that hold `f` in this format: its own, else the synonyms.
    pub fn names(&self, f: Field) -> &'static [&'static str] {
        let generic = if self.own_names_only { &[] } else { f.synonyms() };
        self.columns.iter().find(|(g, _)| *g == f).map_or(generic, |(_, n)| *n)
    }

    /// True when the header row carries one of the signature names (always, for the
    /// generic forms).
    fn signed(&self, normalised: &[String]) -> bool {
        self.signature.is_empty()
            || self.signature.iter().any(|s| {
                let s = normalise_header(s);
                normalised.contains(&s)
            })
    }
}

/// The fixed channel of a one-type activity export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelOf {
    /// Every row is a touch on this channel.
    Touch(crate::model::Channel),
    /// Every row is a note or task: not a touch.
    NotATouch,
}

/// Every format detected from a header row, most specific first: the first whose
/// signature, required columns and absent columns all fit wins. The new exports come
/// after HubSpot's and Capsule's, so no file those read changes format; Pipedrive's
/// activities before its deals (an activities export carries `Deal - …` link columns),
/// Salesforce events before tasks (both link by `WhatId`). The JSON inputs (Capsule
/// entries, Pipedrive API activities) are recognised by content, not here.
pub const FORMATS: [&FormatSpec; 16] = [
    &HUBSPOT_DEALS,
    &CAPSULE_OPPORTUNITIES,
    &HUBSPOT_CALLS,
    &HUBSPOT_EMAILS,
    &HUBSPOT_MEETINGS,
    &HUBSPOT_NOTES,
    &HUBSPOT_TASKS,
    &PIPEDRIVE_ACTIVITIES,
    &PIPEDRIVE_DEALS,
    &SALESFORCE_OPPORTUNITIES,
    &SALESFORCE_REPORT,
    &SALESFORCE_EVENTS,
    &SALESFORCE_TASKS,
    &TOUCHES,
    &DEALS,
    &FOLLOWUP_LOG,
];

/// How the rows of a file are read, from the format name its ledger entry carries
/// (`hubspot-deals`, `deals (mapped)`…). Once the ledger holds a [`Format`] rather
/// than its name, callers use `format.id.spec().rows` and this goes.
pub fn rows_of(format: &str) -> RowKind {
    Format::parse(format).map_or(RowKind::Touch, |f| f.id.spec().rows)
}

/// Which input column holds each field, and (for a file read through `--map`) the
/// user's value maps.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    cols: [Option<usize>; Field::ALL.len()],
    /// Value maps of a `--map` file; `None` for detected formats.
    pub values: Option<std::sync::Arc<crate::ingest::mapping::ValueMaps>>,
}

impl ColumnMap {
    /// Maps headers to fields for a format: the format's own header names where it
    /// names the field, else the generic synonyms. Among several matching headers the
    /// one earliest in the synonym list wins, then the leftmost (duplicate headers, as
    /// HubSpot writes, are tolerated: the first is used).
    pub fn from_headers(headers: &[String], spec: &FormatSpec) -> Self {
        let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
        let mut map = ColumnMap::default();
        for f in Field::ALL {
            map.cols[f as usize] = spec.names(f).iter().find_map(|name| {
                let name = normalise_header(name);
                normalised.iter().position(|h| *h == name)
            });
        }
        map
    }

    /// A map from explicit (field, column index) pairs, as a `--map` file gives them.
    pub fn with_columns(
        cols: impl IntoIterator<Item = (Field, usize)>,
        values: Option<std::sync::Arc<crate::ingest::mapping::ValueMaps>>,
    ) -> Self {
        let mut map = ColumnMap { values, ..Default::default() };
        for (f, i) in cols {
            map.cols[f as usize] = Some(i);
        }
        map
    }

    /// Our word for a raw cell when a `--map` value map names it.
    pub fn value(&self, kind: crate::ingest::mapping::ValueKind, raw: &str) -> Option<&str> {
        self.values.as_ref().and_then(|v| v.lookup(kind, raw))
    }

    /// The column index holding `f`.
    pub fn get(&self, f: Field) -> Option<usize> {
        self.cols[f as usize]
    }

    /// True when some column holds `f`.
    pub fn has(&self, f: Field) -> bool {
        self.get(f).is_some()
    }
}

/// What detection found: the format, or how close the nearest one came.
// Made once per input file and taken apart at once: the column map's size costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Detection {
    /// A format matched.
    Found(&'static FormatSpec, ColumnMap),
    /// Nothing matched; the closest format and what it lacks.
    Mismatch {
        /// Name of the closest format.
        closest: &'static str,
        /// Its missing requirements, each as "one of: a, b".
        missing: Vec<String>,
    },
}

/// Human description of a requirement group of `spec`, with header examples: the
/// spec's own header names where it writes them as the export does, else examples of
/// the generic names.
fn describe(spec: &FormatSpec, group: &[Field]) -> String {
    let names: Vec<&str> = group
        .iter()
        .flat_map(|f| {
            let own = spec.columns.iter().find(|(g, _)| g == f).and_then(|(_, n)| n.first());
            match (own, f) {
                (Some(name), _) if normalise_header(name) != *name => vec![*name],
                (_, Field::DealId) => vec!["Deal ID"],
                (_, Field::Name) => vec!["Deal", "Prospect", "Company"],
                (_, Field::At) => vec!["Date", "Activity date"],
                (_, Field::Stage) => vec!["Stage", "Deal stage"],
                (_, Field::Status) => vec!["Status"],
                _ => vec![f.canonical()],
            }
        })
        .collect();
    names.join(" / ")
}

/// Detects the format of a header row.
pub fn detect(headers: &[String]) -> Detection {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    for spec in FORMATS {
        if !spec.signed(&normalised) {
            continue;
        }
        let map = ColumnMap::from_headers(headers, spec);
        let complete = spec.required.iter().all(|g| g.iter().any(|f| map.has(*f)));
        if complete && !spec.absent.iter().any(|f| map.has(*f)) {
            return Detection::Found(spec, map);
        }
    }
    let (spec, missing) = closest(headers, &normalised);
    Detection::Mismatch { closest: spec.name(), missing }
}

/// The format a header row comes closest to, and what it lacks. Candidates are the
/// exports whose signature the row carries, then the follow-up log, deals.csv and
/// touches.csv (formats whose absent columns the row has are left out); the one with
/// the most requirement groups satisfied wins, then the most typical columns, then
/// the earliest in that order (an export over the generic forms, the log first of
/// those). So a deals sheet without a stage is told it lacks a stage or status, not a
/// date.
fn closest(headers: &[String], normalised: &[String]) -> (&'static FormatSpec, Vec<String>) {
    let exports = FORMATS.iter().copied().filter(|s| !s.signature.is_empty() && s.signed(normalised));
    let generic = [&FOLLOWUP_LOG, &DEALS, &TOUCHES];
    let mut best: Option<((usize, usize), &'static FormatSpec, Vec<String>)> = None;
    for spec in exports.chain(generic) {
        let map = ColumnMap::from_headers(headers, spec);
        if spec.absent.iter().any(|f| map.has(*f)) {
            continue;
        }
        let (have, lack): (Vec<&&[Field]>, Vec<_>) = spec.required.iter().partition(|g| g.iter().any(|f| map.has(*f)));
        let typical = spec.typical.iter().filter(|f| map.has(**f)).count();
        let score = (have.len(), typical);
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, spec, lack.iter().map(|g| describe(spec, g)).collect()));
        }
    }
    best.map_or((&FOLLOWUP_LOG, Vec::new()), |(_, spec, missing)| (spec, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn name(d: Detection) -> &'static str {
        match d {
            Detection::Found(spec, _) => spec.name(),
            Detection::Mismatch { closest, .. } => panic!("no match, closest {closest}"),
        }
    }

    #[test]
    fn detects_each_form_from_natural_headers() {
        assert_eq!(name(detect(&h(&["Prospect", "Date", "Contact method", "Outcome", "Deal stage", "Estimated value"]))), "followup-log");
        assert_eq!(name(detect(&h(&["deal_id", "at", "channel", "direction", "outcome", "subject"]))), "touches");
        assert_eq!(name(detect(&h(&["deal_id", "name", "stage", "status", "amount", "closed_at"]))), "deals");
        assert_eq!(name(detect(&h(&["\u{feff}Deal", "Date", "Value", "Next follow-up date"]))), "followup-log");
    }

    #[test]
    fn detects_hubspot_exports_by_their_columns() {
        let deals = h(&["Record ID", "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date", "Create Date", "Deal owner", "Last Activity Date", "Number of Sales Activities", "Number of times contacted"]);
        assert_eq!(name(detect(&deals)), "hubspot-deals");
        let Detection::Found(spec, map) = detect(&deals) else { panic!("no match") };
        // "Number of times contacted" wins over "Number of Sales Activities", wherever it stands.
        assert_eq!(map.get(Field::TouchCount), Some(10));
        assert_eq!(spec.name(), "hubspot-deals");
        let internal = h(&["hs_object_id", "dealname", "dealstage", "amount", "closedate", "createdate"]);
        assert_eq!(name(detect(&internal)), "hubspot-deals");
        let calls = h(&["Record ID", "Activity date", "Call Title", "Call notes", "Call direction", "Call outcome", "Call status", "Activity assigned to", "Associated Contact", "Associated Contact IDs", "Associated Deal", "Associated Deal IDs"]);
        let Detection::Found(spec, map) = detect(&calls) else { panic!("no match") };
        assert_eq!(spec.name(), "hubspot-calls");
        assert_eq!(map.get(Field::DealId), None, "an activity's Record ID is not a deal id");
        assert_eq!(map.get(Field::DealIds), Some(11));
        assert_eq!(name(detect(&h(&["Record ID", "Activity date", "Email subject", "Email direction", "Associated Deal IDs"]))), "hubspot-emails");
        assert_eq!(name(detect(&h(&["Record ID", "Meeting name", "Meeting start time", "Meeting outcome", "Associated Deal IDs"]))), "hubspot-meetings");
        assert_eq!(name(detect(&h(&["Record ID", "Activity date", "Note body", "Associated Deal IDs"]))), "hubspot-notes");
    }

    #[test]
    fn next_follow_up_date_is_not_the_touch_date() {
        let map = ColumnMap::from_headers(&h(&["Deal", "Next follow-up date", "Date"]), &FOLLOWUP_LOG);
        assert_eq!(map.get(Field::At), Some(2));
    }

    #[test]
    fn mismatch_names_closest_and_missing() {
        match detect(&h(&["Customer", "Phone", "Notes"])) {
            Detection::Mismatch { closest, missing } => {
                assert_eq!(closest, "followup-log");
                assert_eq!(missing, vec!["Date / Activity date".to_string()]);
            }
            Detection::Found(spec, _) => panic!("matched {}", spec.name()),
        }
    }

    /// The header row of a fixture file (BOM, quotes and any encoding of its ASCII
    /// header handled as the reader does).
    fn header_of(bytes: &[u8]) -> Vec<String> {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let line = b.split(|c| *c == b'\n').next().unwrap_or(b"");
        let text = String::from_utf8_lossy(line);
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_end().as_bytes());
        rdr.records().next().and_then(|r| r.ok()).map(|r| r.iter().map(str::to_owned).collect()).unwrap_or_default()
    }

    /// Detects a fixture's header; returns the format name and a column finder.
    fn found(bytes: &[u8]) -> (FormatId, ColumnMap, Vec<String>) {
        let headers = header_of(bytes);
        match detect(&headers) {
            Detection::Found(spec, map) => (spec.id, map, headers),
            Detection::Mismatch { closest, missing } => panic!("no match for {headers:?}: closest {closest}, missing {missing:?}"),
        }
    }

    /// The header name a field was read from.
    fn col<'h>(map: &ColumnMap, headers: &'h [String], f: Field) -> Option<&'h str> {
        map.get(f).and_then(|i| headers.get(i)).map(String::as_str)
    }

    macro_rules! fixture {
        ($path:expr) => {
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures_export/", $path)).as_slice()
        };
    }

    #[test]
    fn format_ids_name_the_formats_as_before_and_parse_back() {
        for id in FormatId::ALL {
            assert_eq!(id.spec().id, id, "{id}: spec() returns its own spec");
            assert_eq!(FormatId::from_name(id.name()), Some(id));
            for mapped in [false, true] {
                let f = Format { id, mapped };
                assert_eq!(Format::parse(&f.to_string()), Some(f));
            }
        }
        assert_eq!(Format { id: FormatId::Deals, mapped: true }.to_string(), "deals (mapped)");
        assert_eq!(serde_json::to_string(&FormatId::FollowupLog).ok().as_deref(), Some("\"followup-log\""));
        assert_eq!(rows_of("hubspot-deals"), RowKind::Deal);
        assert_eq!(rows_of("deals (mapped)"), RowKind::Deal);
        assert_eq!(rows_of("pipedrive-api-activities"), RowKind::Touch);
        assert_eq!(rows_of("salesforce-report"), RowKind::Deal);
        // Every detected format is in FORMATS once; the JSON formats are not.
        for id in FormatId::ALL {
            let n = FORMATS.iter().filter(|s| s.id == id).count();
            let json = matches!(id, FormatId::CapsuleEntries | FormatId::PipedriveApiActivities);
            assert_eq!(n, usize::from(!json), "{id}");
        }
    }

    #[test]
    fn hubspot_fixture_headers_keep_their_formats() {
        for (bytes, id) in [
            (fixture!("hubspot/hubspot-crm-exports-all-deals-2026-10-31.csv"), FormatId::HubspotDeals),
            (fixture!("hubspot/hubspot-crm-exports-all-calls-2026-10-31.csv"), FormatId::HubspotCalls),
            (fixture!("hubspot/hubspot-crm-exports-all-emails-2026-10-31.csv"), FormatId::HubspotEmails),
            (fixture!("hubspot/hubspot-crm-exports-all-meetings-2026-10-31.csv"), FormatId::HubspotMeetings),
            (fixture!("hubspot_snapshots/hubspot-crm-exports-all-deals-2026-09-30.csv"), FormatId::HubspotDeals),
            (fixture!("hubspot_snapshots/hubspot-crm-exports-all-deals-2026-10-31.csv"), FormatId::HubspotDeals),
            (fixture!("hubspot_snapshots_no_lmd/hubspot-crm-exports-all-deals-2026-10-15.csv"), FormatId::HubspotDeals),
            (fixture!("hubspot_lost_stage/hubspot-crm-exports-all-deals-2026-10-31.csv"), FormatId::HubspotDeals),
        ] {
            assert_eq!(found(bytes).0, id);
        }
        let capsule = h(&["id", "name", "party", "milestone", "value", "currency", "expectedCloseOn", "closedOn", "owner"]);
        assert!(matches!(detect(&capsule), Detection::Found(s, _) if s.id == FormatId::CapsuleOpportunities));
    }

    #[test]
    fn pipedrive_exports_are_read_with_their_own_columns() {
        for bytes in [fixture!("pipedrive/deals-6119004-40.csv"), fixture!("pipedrive_api_pages/deals-6119004-40.csv")] {
            let (id, map, hs) = found(bytes);
            assert_eq!(id, FormatId::PipedriveDeals);
            let c = |f| col(&map, &hs, f);
            assert_eq!(c(Field::DealId), Some("Deal - ID"));
            assert_eq!(c(Field::Name), Some("Deal - Title"));
            assert_eq!(c(Field::Amount), Some("Deal - Value"), "not Organization - MRR");
            assert_eq!(c(Field::Currency), Some("Deal - Currency of value"));
            assert_eq!(c(Field::Status), Some("Deal - Status"));
            assert_eq!(c(Field::Stage), Some("Deal - Stage"));
            assert_eq!(c(Field::CreatedAt), Some("Deal - Deal created"));
            assert_eq!(c(Field::ClosedAt), Some("Deal - Deal closed on"), "never the expected close date");
            assert_eq!((c(Field::WonAt), c(Field::LostAt)), (Some("Deal - Won time"), Some("Deal - Lost time")));
            assert_eq!(c(Field::TouchCount), Some("Deal - Done activities"), "Total activities counts planned ones");
            assert_eq!(c(Field::Owner), Some("Deal - Owner"));
            assert_eq!(c(Field::LastModified), Some("Deal - Update time"));
            assert_eq!(c(Field::At), None, "Next activity date is not a touch");
        }
        // The first export of crm-exports.md §3.1: no owner, currency or done count.
        let plain = h(&["Deal - ID", "Deal - Value", "Organization - MRR", "Deal - Title", "Deal - Deal created", "Deal - Deal closed on", "Deal - Stage", "Deal - Status", "Deal - Total activities", "Deal - Organization", "Deal - Lost reason"]);
        let Detection::Found(spec, map) = detect(&plain) else { panic!("no match") };
        assert_eq!(spec.id, FormatId::PipedriveDeals);
        assert_eq!((map.get(Field::TouchCount), map.get(Field::Amount)), (None, Some(1)));
        // Only `Deal - Currency`: the fallback column.
        let cur = h(&["Deal - ID", "Deal - Title", "Deal - Status", "Deal - Currency", "Deal - Expected close date"]);
        let Detection::Found(spec, map) = detect(&cur) else { panic!("no match") };
        assert_eq!((spec.id, map.get(Field::Currency), map.get(Field::ClosedAt)), (FormatId::PipedriveDeals, Some(3), None));

        for bytes in [fixture!("pipedrive/activities-6119004-41.csv"), fixture!("pipedrive_api_pages/activities-6119004-41.csv")] {
            let (id, map, hs) = found(bytes);
            assert_eq!(id, FormatId::PipedriveActivities);
            let c = |f| col(&map, &hs, f);
            assert_eq!(c(Field::DealIds), Some("Deal - ID"));
            assert_eq!(c(Field::DealId), None, "an activity's own id is not a deal id");
            assert_eq!(c(Field::ActivityId), Some("Activity - ID"));
            assert_eq!((c(Field::At), c(Field::Time)), (Some("Activity - Due date"), Some("Activity - Due time")));
            assert_eq!(c(Field::Done), Some("Activity - Done"));
            assert_eq!(c(Field::Channel), Some("Activity - Type"));
            assert_eq!(c(Field::Subject), Some("Activity - Subject"));
            assert_eq!(c(Field::Owner), Some("Activity - Assigned to user"));
            assert_eq!(c(Field::CreatedAt), None, "the add time is not a deal's creation");
        }
        // The labels of crm-exports.md §3.1, with the deal's title as link column too.
        let listed = h(&["Activity - Subject", "Activity - Type", "Activity - Due date", "Activity - Due time", "Activity - Done", "Activity - Marked as done time", "Activity - Add time", "Activity - Assigned to user", "Activity - Note", "Activity - Deal", "Deal - ID", "Deal - Title", "Organization", "Contact person"]);
        assert!(matches!(detect(&listed), Detection::Found(s, _) if s.id == FormatId::PipedriveActivities));
    }

    #[test]
    fn salesforce_exports_are_read_with_their_own_columns() {
        let (id, map, hs) = found(fixture!("salesforce/Opportunity.csv"));
        assert_eq!(id, FormatId::SalesforceOpportunities);
        let c = |f| col(&map, &hs, f);
        assert_eq!((c(Field::DealId), c(Field::Name), c(Field::Stage)), (Some("Id"), Some("Name"), Some("StageName")));
        assert_eq!((c(Field::WonFlag), c(Field::ClosedFlag)), (Some("IsWon"), Some("IsClosed")));
        assert_eq!((c(Field::CreatedAt), c(Field::ClosedAt), c(Field::LastModified)), (Some("CreatedDate"), Some("CloseDate"), Some("LastModifiedDate")));
        assert_eq!((c(Field::Owner), c(Field::Amount)), (Some("OwnerId"), Some("Amount")));
        assert_eq!(c(Field::Channel), None, "Type (New Business) is not a channel");
        assert_eq!(c(Field::At), None, "LastActivityDate is not a touch");
        assert_eq!(c(Field::Probability), None);
        let multi = h(&["Id", "Name", "StageName", "Amount", "CurrencyIsoCode", "CloseDate", "IsClosed", "IsWon", "OwnerId"]);
        let Detection::Found(spec, map) = detect(&multi) else { panic!("no match") };
        assert_eq!((spec.id, map.get(Field::Currency)), (FormatId::SalesforceOpportunities, Some(4)));

        let (id, map, hs) = found(fixture!("salesforce/Task.csv"));
        assert_eq!(id, FormatId::SalesforceTasks);
        let c = |f| col(&map, &hs, f);
        assert_eq!(c(Field::DealIds), Some("WhatId"));
        assert_eq!((c(Field::DealId), c(Field::ActivityId)), (None, Some("Id")), "a task's own Id is never the deal");
        assert_eq!((c(Field::At), c(Field::Done), c(Field::Channel)), (Some("ActivityDate"), Some("Status"), Some("TaskSubtype")));
        assert_eq!((c(Field::Direction), c(Field::Outcome)), (Some("CallType"), Some("CallDisposition")));
        assert_eq!((c(Field::Status), c(Field::ClosedFlag), c(Field::CreatedAt)), (None, None, None));

        let (id, map, hs) = found(fixture!("salesforce/Event.csv"));
        assert_eq!(id, FormatId::SalesforceEvents);
        assert_eq!(SALESFORCE_EVENTS.channel, Some(ChannelOf::Touch(crate::model::Channel::Meeting)));
        assert_eq!((col(&map, &hs, Field::At), col(&map, &hs, Field::DealIds)), (Some("StartDateTime"), Some("WhatId")));
        let older = h(&["Id", "WhatId", "Subject", "ActivityDateTime", "EventSubtype"]);
        let Detection::Found(spec, map) = detect(&older) else { panic!("no match") };
        assert_eq!((spec.id, map.get(Field::At)), (FormatId::SalesforceEvents, Some(3)));

        let (id, map, hs) = found(fixture!("salesforce_report/report1793456789012.csv"));
        assert_eq!(id, FormatId::SalesforceReport);
        let c = |f| col(&map, &hs, f);
        assert_eq!((c(Field::DealId), c(Field::Name)), (None, Some("Opportunity Name")));
        assert_eq!((c(Field::ClosedAt), c(Field::ClosedFlag), c(Field::WonFlag)), (Some("Close Date"), Some("Closed"), Some("Won")));
        assert_eq!((c(Field::Owner), c(Field::CreatedAt)), (Some("Opportunity Owner"), Some("Created Date")));
    }

    #[test]
    fn a_pipeline_sheet_is_a_deals_file_and_its_engage_date_no_touch() {
        let (id, map, hs) = found(fixture!("pipeline_sheet/sales_pipeline.csv"));
        assert_eq!(id, FormatId::Deals);
        let c = |f| col(&map, &hs, f);
        assert_eq!((c(Field::DealId), c(Field::Stage)), (Some("opportunity_id"), Some("deal_stage")));
        assert_eq!((c(Field::Amount), c(Field::Owner)), (Some("close_value"), Some("sales_agent")));
        assert_eq!((c(Field::CreatedAt), c(Field::ClosedAt)), (Some("engage_date"), Some("close_date")));
        assert_eq!(c(Field::At), None);
        assert_eq!(ColumnMap::from_headers(&hs, &FOLLOWUP_LOG).get(Field::At), None);
    }

    #[test]
    fn generic_files_do_not_turn_into_crm_exports() {
        // Headers a generic file may share with an export's signature.
        assert_eq!(name(detect(&h(&["id", "name", "stage", "is_closed", "is_won", "amount"]))), "deals");
        assert_eq!(name(detect(&h(&["deal_id", "activity_type", "date", "outcome"]))), "touches");
        assert_eq!(name(detect(&h(&["Deal ID", "Deal stage", "Deal owner", "Last modified"]))), "deals");
    }

    #[test]
    fn closest_format_is_the_one_the_file_nearly_is() {
        let mismatch = |names: &[&str]| match detect(&h(names)) {
            Detection::Mismatch { closest, missing } => (closest, missing),
            Detection::Found(spec, _) => panic!("matched {}", spec.name()),
        };
        // A Salesforce opportunity export without StageName: not "needs Date".
        let (closest, missing) = mismatch(&["Id", "Name", "Amount", "CloseDate", "IsClosed", "IsWon", "OwnerId", "CreatedDate"]);
        assert_eq!((closest, missing), ("salesforce-opportunities", vec!["StageName".to_string()]));
        // A deals sheet with no stage or status column.
        let (closest, missing) = mismatch(&["opportunity_id", "sales_agent", "product", "account", "engage_date", "close_date", "close_value"]);
        assert_eq!((closest, missing), ("deals", vec!["Stage / Deal stage / Status".to_string()]));
        // A Pipedrive deals export without stage or status.
        let (closest, missing) = mismatch(&["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Deal created"]);
        assert_eq!((closest, missing), ("pipedrive-deals", vec!["Deal - Status / Deal - Stage".to_string()]));
        // A touch list without a date stays a log missing its date.
        let (closest, missing) = mismatch(&["Deal", "Contact method", "Outcome"]);
        assert_eq!((closest, missing), ("followup-log", vec!["Date / Activity date".to_string()]));
    }
}
