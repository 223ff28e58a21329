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
                "name",
                "deal",
                "dealname",
                "prospect",
                "prospectname",
                "company",
                "companyname",
                "opportunity",
                "opportunityname",
                "account",
                "accountname",
                "client",
                "customer",
                "lead",
            ],
            Field::Stage => &["stage", "dealstage", "milestone", "pipelinestage", "salesstage"],
            Field::Status => &["status", "dealstatus", "wonlost"],
            Field::Amount => &[
                "amount",
                "value",
                "dealvalue",
                "estimatedvalue",
                "dealamount",
                "revenue",
                "opportunityvalue",
                "expectedvalue",
                "closevalue",
            ],
            Field::Currency => &["currency", "dealcurrency", "currencycode"],
            Field::CreatedAt => &[
                "createdat",
                "created",
                "createdate",
                "datecreated",
                "createdon",
                "dateadded",
                "createddate",
                "engagedate",
            ],
            Field::ClosedAt => &["closedat", "closedate", "closed", "closedon", "dateclosed", "closingdate"],
            Field::Cadence => &["cadence", "sequence", "playbook", "cadencename", "sequencename"],
            Field::Owner => &[
                "owner",
                "dealowner",
                "rep",
                "salesrep",
                "salesperson",
                "assignedto",
                "accountmanager",
                "user",
                "salesagent",
            ],
            Field::TouchCount => &["touchcount", "numberoftimescontacted", "timescontacted", "touches"],
            Field::At => &[
                "at",
                "date",
                "touchdate",
                "activitydate",
                "contactdate",
                "datetime",
                "timestamp",
                "when",
                "followupdate",
                "touchedat",
                "datecontacted",
            ],
            Field::Channel => {
                &["channel", "contactmethod", "method", "type", "activitytype", "touchtype", "medium", "activity"]
            }
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
    pub values: Option<std::sync::Arc<crate::ingest::values::ValueMaps>>,
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
        values: Option<std::sync::Arc<crate::ingest::values::ValueMaps>>,
    ) -> Self {
        let mut map = ColumnMap { values, ..Default::default() };
        for (f, i) in cols {
            map.cols[f as usize] = Some(i);
        }
        map
    }

    /// Our word for a raw cell when a `--map` value map names it.
    pub fn value(&self, kind: crate::ingest::values::ValueKind, raw: &str) -> Option<&str> {
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
mod tests;
