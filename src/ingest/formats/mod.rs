//! The registry of input formats: which header names mean which canonical column
//! (SPEC §2), and which columns each format requires. Detection matches a file's header
//! row against every spec; adding a format means adding a spec here.
//!
//! Header names are compared after [`normalise_header`]: lower case, without spaces,
//! `_`, `-`, `.`, quotes and brackets, so "Deal stage", "deal_stage" and "DealStage" are
//! the same name.

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
}

impl Field {
    /// Every field, in canonical order.
    pub const ALL: [Field; 20] = [
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
                "expectedvalue",
            ],
            Field::Currency => &["currency", "dealcurrency", "currencycode"],
            Field::CreatedAt => &["createdat", "created", "createdate", "datecreated", "createdon", "dateadded"],
            Field::ClosedAt => &["closedat", "closedate", "closed", "closedon", "dateclosed", "closingdate"],
            Field::Cadence => &["cadence", "sequence", "playbook", "cadencename", "sequencename"],
            Field::Owner => &[
                "owner", "dealowner", "rep", "salesrep", "salesperson", "assignedto", "accountmanager", "user",
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

/// A declarative input format.
#[derive(Debug)]
pub struct FormatSpec {
    /// The name shown in metrics.json and messages.
    pub name: &'static str,
    /// How rows are read.
    pub rows: RowKind,
    /// Groups of fields; each group needs at least one of its fields present.
    pub required: &'static [&'static [Field]],
    /// Fields whose presence makes this format a better match.
    pub typical: &'static [Field],
    /// Fields that must be absent for this format to match.
    pub absent: &'static [Field],
    /// Header names (normalised) of which one must be present: what tells this export
    /// from a generic file. Empty for the generic forms.
    pub signature: &'static [&'static str],
    /// Header names for fields, overriding the generic synonyms for the fields named
    /// (an empty list switches a field off, e.g. an activity's own Record ID).
    pub columns: &'static [(Field, &'static [&'static str])],
    /// The channel of every row when the export is one activity type.
    pub channel: Option<ChannelOf>,
}

/// The fixed channel of a one-type activity export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelOf {
    /// Every row is a touch on this channel.
    Touch(crate::model::Channel),
    /// Every row is a note or task: not a touch.
    NotATouch,
}

/// The follow-up log: one row per touch, deal columns repeated.
pub const FOLLOWUP_LOG: FormatSpec = FormatSpec {
    name: "followup-log",
    rows: RowKind::Touch,
    required: &[&[Field::DealId, Field::Name], &[Field::At]],
    typical: &[Field::Stage, Field::Status, Field::Amount, Field::ClosedAt, Field::Channel, Field::Outcome],
    absent: &[],
    signature: &[],
    columns: &[],
    channel: None,
};

/// touches.csv: one row per touch, no deal columns.
pub const TOUCHES: FormatSpec = FormatSpec {
    name: "touches",
    rows: RowKind::Touch,
    required: &[&[Field::DealId, Field::Name], &[Field::At]],
    typical: &[Field::Channel, Field::Direction, Field::Outcome],
    absent: &[Field::Stage, Field::Status, Field::Amount, Field::ClosedAt],
    signature: &[],
    columns: &[],
    channel: None,
};

/// deals.csv: one row per deal.
pub const DEALS: FormatSpec = FormatSpec {
    name: "deals",
    rows: RowKind::Deal,
    required: &[&[Field::DealId, Field::Name], &[Field::Stage, Field::Status]],
    typical: &[Field::Amount, Field::ClosedAt, Field::CreatedAt, Field::Owner],
    absent: &[Field::At],
    signature: &[],
    columns: &[],
    channel: None,
};

/// HubSpot deals export (view or all-properties; labels or internal names), per
/// shared/formats/crm-exports.md §1.4. Won/lost come from the "Is Closed Won" /
/// "Is closed lost" flags or the stage probability before the stage label.
pub const HUBSPOT_DEALS: FormatSpec = FormatSpec {
    name: "hubspot-deals",
    rows: RowKind::Deal,
    required: &[&[Field::DealId], &[Field::Stage, Field::WonFlag, Field::Probability]],
    typical: &[],
    absent: &[Field::At],
    signature: &["recordid", "hsobjectid"],
    columns: &[
        (Field::DealId, &["recordid", "hsobjectid"]),
        (Field::Name, &["dealname"]),
        (Field::Stage, &["dealstage"]),
        (Field::Amount, &["amount"]),
        (Field::Currency, &["currency", "dealcurrencycode"]),
        (Field::CreatedAt, &["createdate"]),
        (Field::ClosedAt, &["closedate"]),
        (Field::Owner, &["dealowner", "hubspotownerid"]),
        (Field::Cadence, &["lastsequenceenrolled", "sequence", "cadence"]),
        // "Number of Sales Activities" only when "Number of times contacted" is absent.
        (Field::TouchCount, &["numberoftimescontacted", "numcontactednotes", "numberofsalesactivities", "numnotes"]),
        (Field::WonFlag, &["isclosedwon", "hsisclosedwon"]),
        (Field::LostFlag, &["isclosedlost", "hsisclosedlost"]),
        (Field::Probability, &["dealprobability", "hsdealstageprobability"]),
        (Field::Status, &[]),
    ],
    channel: None,
};

/// Columns shared by HubSpot's activity exports (§1.6): the activity's own Record ID
/// is not a deal id; the deals are in "Associated Deal IDs".
macro_rules! hubspot_activity {
    ($name:expr, $signature:expr, $channel:expr) => {
        FormatSpec {
            name: $name,
            rows: RowKind::Touch,
            required: &[&[Field::DealIds], &[Field::At]],
            typical: &[],
            absent: &[],
            signature: $signature,
            columns: &[
                (Field::DealId, &[]),
                (Field::Name, &[]),
                (Field::DealIds, &["associateddealids", "associateddealid"]),
                (Field::At, &["activitydate", "hstimestamp", "meetingstarttime", "hsmeetingstarttime", "duedate", "createdate"]),
                (Field::Direction, &["calldirection", "hscalldirection", "emaildirection", "hsemaildirection"]),
                (Field::Outcome, &["calloutcome", "hscalldisposition", "meetingoutcome", "hsmeetingoutcome", "emailstatus", "hsemailstatus"]),
                (Field::Subject, &["calltitle", "hscalltitle", "emailsubject", "hsemailsubject", "meetingname", "hsmeetingtitle", "tasktitle"]),
                (Field::Owner, &["activityassignedto", "assignedto", "hubspotownerid"]),
                (Field::Channel, &[]),
                (Field::Stage, &[]),
                (Field::Status, &[]),
                (Field::Amount, &[]),
                (Field::ClosedAt, &[]),
                (Field::CreatedAt, &[]),
            ],
            channel: Some($channel),
        }
    };
}

/// HubSpot calls export.
pub const HUBSPOT_CALLS: FormatSpec = hubspot_activity!(
    "hubspot-calls",
    &["calldirection", "calloutcome", "calltitle", "callnotes", "hscalldirection", "hscalldisposition"],
    ChannelOf::Touch(crate::model::Channel::Call)
);
/// HubSpot emails export.
pub const HUBSPOT_EMAILS: FormatSpec = hubspot_activity!(
    "hubspot-emails",
    &["emaildirection", "emailsubject", "hsemaildirection", "hsemailsubject"],
    ChannelOf::Touch(crate::model::Channel::Email)
);
/// HubSpot meetings export.
pub const HUBSPOT_MEETINGS: FormatSpec = hubspot_activity!(
    "hubspot-meetings",
    &["meetingoutcome", "meetingname", "meetingstarttime", "hsmeetingoutcome", "hsmeetingtitle"],
    ChannelOf::Touch(crate::model::Channel::Meeting)
);
/// HubSpot notes export: read, never touches.
pub const HUBSPOT_NOTES: FormatSpec =
    hubspot_activity!("hubspot-notes", &["notebody", "hsnotebody"], ChannelOf::NotATouch);
/// HubSpot tasks export: read, never touches.
pub const HUBSPOT_TASKS: FormatSpec =
    hubspot_activity!("hubspot-tasks", &["tasktitle", "taskstatus", "hstasksubject", "hstaskstatus"], ChannelOf::NotATouch);

/// Capsule CRM opportunities (the `Opportunities` CSV of the account export, or a list
/// export; CSV or XLSX), per shared/formats/crm-exports.md §2 and §5.3. The literal
/// export headers are not documented: the API v2 field names and their natural UI labels
/// are both accepted. Status from a status column (Open / Won / Lost) where present, else
/// the milestone ("Won", "Lost", "Won (Legacy)", "Lost (Legacy)"). The probability is
/// never read: in Capsule 0% can be a fresh lead. `expectedCloseOn` is never the close
/// date (an open opportunity's expected date is often in the future).
pub const CAPSULE_OPPORTUNITIES: FormatSpec = FormatSpec {
    name: "capsule-opportunities",
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
    channel: None,
};

/// Capsule CRM history entries (`GET /api/v2/entries` saved as JSON, one page or a list
/// of pages). Never detected from a CSV header: `ingest::capsule` recognises the JSON by
/// its content, applies the rules of shared/formats/crm-exports.md §5.4, and hands the
/// entries on as rows with these columns (one row per entry, in file order).
pub const CAPSULE_ENTRIES: FormatSpec = FormatSpec {
    name: "capsule-entries",
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

/// Every known format, most specific first: the first whose signature, required
/// columns and absent columns all fit wins.
pub const FORMATS: [&FormatSpec; 10] = [
    &HUBSPOT_DEALS,
    &CAPSULE_OPPORTUNITIES,
    &HUBSPOT_CALLS,
    &HUBSPOT_EMAILS,
    &HUBSPOT_MEETINGS,
    &HUBSPOT_NOTES,
    &HUBSPOT_TASKS,
    &TOUCHES,
    &DEALS,
    &FOLLOWUP_LOG,
];

/// How the rows of a file are read, from the format name its ledger entry carries
/// (`hubspot-deals`, `deals (mapped)`…); formats outside [`FORMATS`] (Capsule entries)
/// read touch rows.
pub fn rows_of(format: &str) -> RowKind {
    let base = format.trim_end_matches(" (mapped)");
    FORMATS.iter().find(|s| s.name == base).map_or(RowKind::Touch, |s| s.rows)
}

/// Which input column holds each field, and (for a file read through `--map`) the
/// user's value maps.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    cols: [Option<usize>; Field::ALL.len()],
    /// Value maps of a `--map` file; `None` for detected formats.
    pub values: Option<std::sync::Arc<super::mapping::ValueMaps>>,
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
            let names = spec.columns.iter().find(|(g, _)| *g == f).map_or(f.synonyms(), |(_, n)| *n);
            map.cols[f as usize] = names.iter().find_map(|name| normalised.iter().position(|h| h == name));
        }
        map
    }

    /// A map from explicit (field, column index) pairs, as a `--map` file gives them.
    pub fn with_columns(
        cols: impl IntoIterator<Item = (Field, usize)>,
        values: Option<std::sync::Arc<super::mapping::ValueMaps>>,
    ) -> Self {
        let mut map = ColumnMap { values, ..Default::default() };
        for (f, i) in cols {
            map.cols[f as usize] = Some(i);
        }
        map
    }

    /// Our word for a raw cell when a `--map` value map names it.
    pub fn value(&self, kind: super::mapping::ValueKind, raw: &str) -> Option<&str> {
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

/// Human description of a requirement group, with header examples.
fn describe(group: &[Field]) -> String {
    let names: Vec<&str> = group
        .iter()
        .flat_map(|f| match f {
            Field::DealId => vec!["Deal ID"],
            Field::Name => vec!["Deal", "Prospect", "Company"],
            Field::At => vec!["Date", "Activity date"],
            Field::Stage => vec!["Stage", "Deal stage"],
            Field::Status => vec!["Status"],
            _ => vec![f.canonical()],
        })
        .collect();
    names.join(" / ")
}

/// Detects the format of a header row.
pub fn detect(headers: &[String]) -> Detection {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    for spec in FORMATS {
        if !spec.signature.is_empty() && !spec.signature.iter().any(|s| normalised.iter().any(|h| h == s)) {
            continue;
        }
        let map = ColumnMap::from_headers(headers, spec);
        let complete = spec.required.iter().all(|g| g.iter().any(|f| map.has(*f)));
        if complete && !spec.absent.iter().any(|f| map.has(*f)) {
            return Detection::Found(spec, map);
        }
    }
    let map = ColumnMap::from_headers(headers, &FOLLOWUP_LOG);
    // No match: the closest format is the one missing the fewest requirements; ties go
    // to the most general form (the follow-up log).
    let mut best: Option<(i64, &'static FormatSpec, Vec<String>)> = None;
    for spec in [&FOLLOWUP_LOG, &DEALS] {
        let missing: Vec<String> = spec
            .required
            .iter()
            .filter(|g| !g.iter().any(|f| map.has(*f)))
            .map(|g| describe(g))
            .collect();
        let score = missing.len() as i64 * 10 - spec.typical.iter().filter(|f| map.has(**f)).count() as i64;
        if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
            best = Some((score, spec, missing));
        }
    }
    let (_, spec, missing) = best.unwrap_or((0, &FOLLOWUP_LOG, vec![]));
    Detection::Mismatch { closest: spec.name, missing }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn name(d: Detection) -> &'static str {
        match d {
            Detection::Found(spec, _) => spec.name,
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
        assert_eq!(spec.name, "hubspot-deals");
        let internal = h(&["hs_object_id", "dealname", "dealstage", "amount", "closedate", "createdate"]);
        assert_eq!(name(detect(&internal)), "hubspot-deals");
        let calls = h(&["Record ID", "Activity date", "Call Title", "Call notes", "Call direction", "Call outcome", "Call status", "Activity assigned to", "Associated Contact", "Associated Contact IDs", "Associated Deal", "Associated Deal IDs"]);
        let Detection::Found(spec, map) = detect(&calls) else { panic!("no match") };
        assert_eq!(spec.name, "hubspot-calls");
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
            Detection::Found(spec, _) => panic!("matched {}", spec.name),
        }
    }
}
