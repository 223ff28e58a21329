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
}

impl Field {
    /// Every field, in canonical order.
    pub const ALL: [Field; 16] = [
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
        }
    }

    /// Header names (normalised) that hold this field.
    fn synonyms(self) -> &'static [&'static str] {
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
}

/// The follow-up log: one row per touch, deal columns repeated.
pub const FOLLOWUP_LOG: FormatSpec = FormatSpec {
    name: "followup-log",
    rows: RowKind::Touch,
    required: &[&[Field::DealId, Field::Name], &[Field::At]],
    typical: &[Field::Stage, Field::Status, Field::Amount, Field::ClosedAt, Field::Channel, Field::Outcome],
    absent: &[],
};

/// touches.csv: one row per touch, no deal columns.
pub const TOUCHES: FormatSpec = FormatSpec {
    name: "touches",
    rows: RowKind::Touch,
    required: &[&[Field::DealId, Field::Name], &[Field::At]],
    typical: &[Field::Channel, Field::Direction, Field::Outcome],
    absent: &[Field::Stage, Field::Status, Field::Amount, Field::ClosedAt],
};

/// deals.csv: one row per deal.
pub const DEALS: FormatSpec = FormatSpec {
    name: "deals",
    rows: RowKind::Deal,
    required: &[&[Field::DealId, Field::Name], &[Field::Stage, Field::Status]],
    typical: &[Field::Amount, Field::ClosedAt, Field::CreatedAt, Field::Owner],
    absent: &[Field::At],
};

/// Every known format, most specific first.
pub const FORMATS: [&FormatSpec; 3] = [&TOUCHES, &DEALS, &FOLLOWUP_LOG];

/// Which input column holds each field.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    cols: [Option<usize>; Field::ALL.len()],
}

impl ColumnMap {
    /// Maps headers to fields; the first header naming a field wins.
    pub fn from_headers(headers: &[String]) -> Self {
        let mut map = ColumnMap::default();
        for (i, h) in headers.iter().enumerate() {
            let n = normalise_header(h);
            if let Some(f) = Field::ALL.iter().find(|f| f.synonyms().contains(&n.as_str())) {
                let slot = &mut map.cols[*f as usize];
                if slot.is_none() {
                    *slot = Some(i);
                }
            }
        }
        map
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
    let map = ColumnMap::from_headers(headers);
    for spec in FORMATS {
        let complete = spec.required.iter().all(|g| g.iter().any(|f| map.has(*f)));
        if complete && !spec.absent.iter().any(|f| map.has(*f)) {
            return Detection::Found(spec, map);
        }
    }
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
    fn next_follow_up_date_is_not_the_touch_date() {
        let map = ColumnMap::from_headers(&h(&["Deal", "Next follow-up date", "Date"]));
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
