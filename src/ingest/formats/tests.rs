//! Tests of the parent module.

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
    assert_eq!(
        name(detect(&h(&["Prospect", "Date", "Contact method", "Outcome", "Deal stage", "Estimated value"]))),
        "followup-log"
    );
    assert_eq!(name(detect(&h(&["deal_id", "at", "channel", "direction", "outcome", "subject"]))), "touches");
    assert_eq!(name(detect(&h(&["deal_id", "name", "stage", "status", "amount", "closed_at"]))), "deals");
    assert_eq!(name(detect(&h(&["\u{feff}Deal", "Date", "Value", "Next follow-up date"]))), "followup-log");
}

#[test]
fn detects_hubspot_exports_by_their_columns() {
    let deals = h(&[
        "Record ID",
        "Deal Name",
        "Pipeline",
        "Deal Stage",
        "Amount",
        "Close Date",
        "Create Date",
        "Deal owner",
        "Last Activity Date",
        "Number of Sales Activities",
        "Number of times contacted",
    ]);
    assert_eq!(name(detect(&deals)), "hubspot-deals");
    let Detection::Found(spec, map) = detect(&deals) else { panic!("no match") };
    // "Number of times contacted" wins over "Number of Sales Activities", wherever it stands.
    assert_eq!(map.get(Field::TouchCount), Some(10));
    assert_eq!(spec.name(), "hubspot-deals");
    let internal = h(&["hs_object_id", "dealname", "dealstage", "amount", "closedate", "createdate"]);
    assert_eq!(name(detect(&internal)), "hubspot-deals");
    let calls = h(&[
        "Record ID",
        "Activity date",
        "Call Title",
        "Call notes",
        "Call direction",
        "Call outcome",
        "Call status",
        "Activity assigned to",
        "Associated Contact",
        "Associated Contact IDs",
        "Associated Deal",
        "Associated Deal IDs",
    ]);
    let Detection::Found(spec, map) = detect(&calls) else { panic!("no match") };
    assert_eq!(spec.name(), "hubspot-calls");
    assert_eq!(map.get(Field::DealId), None, "an activity's Record ID is not a deal id");
    assert_eq!(map.get(Field::DealIds), Some(11));
    assert_eq!(
        name(detect(&h(&["Record ID", "Activity date", "Email subject", "Email direction", "Associated Deal IDs"]))),
        "hubspot-emails"
    );
    assert_eq!(
        name(detect(&h(&[
            "Record ID",
            "Meeting name",
            "Meeting start time",
            "Meeting outcome",
            "Associated Deal IDs"
        ]))),
        "hubspot-meetings"
    );
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
        Detection::Mismatch { closest, missing } => {
            panic!("no match for {headers:?}: closest {closest}, missing {missing:?}")
        }
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
    let plain = h(&[
        "Deal - ID",
        "Deal - Value",
        "Organization - MRR",
        "Deal - Title",
        "Deal - Deal created",
        "Deal - Deal closed on",
        "Deal - Stage",
        "Deal - Status",
        "Deal - Total activities",
        "Deal - Organization",
        "Deal - Lost reason",
    ]);
    let Detection::Found(spec, map) = detect(&plain) else { panic!("no match") };
    assert_eq!(spec.id, FormatId::PipedriveDeals);
    assert_eq!((map.get(Field::TouchCount), map.get(Field::Amount)), (None, Some(1)));
    // Only `Deal - Currency`: the fallback column.
    let cur = h(&["Deal - ID", "Deal - Title", "Deal - Status", "Deal - Currency", "Deal - Expected close date"]);
    let Detection::Found(spec, map) = detect(&cur) else { panic!("no match") };
    assert_eq!(
        (spec.id, map.get(Field::Currency), map.get(Field::ClosedAt)),
        (FormatId::PipedriveDeals, Some(3), None)
    );

    for bytes in
        [fixture!("pipedrive/activities-6119004-41.csv"), fixture!("pipedrive_api_pages/activities-6119004-41.csv")]
    {
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
    let listed = h(&[
        "Activity - Subject",
        "Activity - Type",
        "Activity - Due date",
        "Activity - Due time",
        "Activity - Done",
        "Activity - Marked as done time",
        "Activity - Add time",
        "Activity - Assigned to user",
        "Activity - Note",
        "Activity - Deal",
        "Deal - ID",
        "Deal - Title",
        "Organization",
        "Contact person",
    ]);
    assert!(matches!(detect(&listed), Detection::Found(s, _) if s.id == FormatId::PipedriveActivities));
}

#[test]
fn salesforce_exports_are_read_with_their_own_columns() {
    let (id, map, hs) = found(fixture!("salesforce/Opportunity.csv"));
    assert_eq!(id, FormatId::SalesforceOpportunities);
    let c = |f| col(&map, &hs, f);
    assert_eq!((c(Field::DealId), c(Field::Name), c(Field::Stage)), (Some("Id"), Some("Name"), Some("StageName")));
    assert_eq!((c(Field::WonFlag), c(Field::ClosedFlag)), (Some("IsWon"), Some("IsClosed")));
    assert_eq!(
        (c(Field::CreatedAt), c(Field::ClosedAt), c(Field::LastModified)),
        (Some("CreatedDate"), Some("CloseDate"), Some("LastModifiedDate"))
    );
    assert_eq!((c(Field::Owner), c(Field::Amount)), (Some("OwnerId"), Some("Amount")));
    assert_eq!(c(Field::Channel), None, "Type (New Business) is not a channel");
    assert_eq!(c(Field::At), None, "LastActivityDate is not a touch");
    assert_eq!(c(Field::Probability), None);
    let multi =
        h(&["Id", "Name", "StageName", "Amount", "CurrencyIsoCode", "CloseDate", "IsClosed", "IsWon", "OwnerId"]);
    let Detection::Found(spec, map) = detect(&multi) else { panic!("no match") };
    assert_eq!((spec.id, map.get(Field::Currency)), (FormatId::SalesforceOpportunities, Some(4)));

    let (id, map, hs) = found(fixture!("salesforce/Task.csv"));
    assert_eq!(id, FormatId::SalesforceTasks);
    let c = |f| col(&map, &hs, f);
    assert_eq!(c(Field::DealIds), Some("WhatId"));
    assert_eq!((c(Field::DealId), c(Field::ActivityId)), (None, Some("Id")), "a task's own Id is never the deal");
    assert_eq!(
        (c(Field::At), c(Field::Done), c(Field::Channel)),
        (Some("ActivityDate"), Some("Status"), Some("TaskSubtype"))
    );
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
    assert_eq!(
        (c(Field::ClosedAt), c(Field::ClosedFlag), c(Field::WonFlag)),
        (Some("Close Date"), Some("Closed"), Some("Won"))
    );
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
    let (closest, missing) =
        mismatch(&["Id", "Name", "Amount", "CloseDate", "IsClosed", "IsWon", "OwnerId", "CreatedDate"]);
    assert_eq!((closest, missing), ("salesforce-opportunities", vec!["StageName".to_string()]));
    // A deals sheet with no stage or status column.
    let (closest, missing) =
        mismatch(&["opportunity_id", "sales_agent", "product", "account", "engage_date", "close_date", "close_value"]);
    assert_eq!((closest, missing), ("deals", vec!["Stage / Deal stage / Status".to_string()]));
    // A Pipedrive deals export without stage or status.
    let (closest, missing) = mismatch(&["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Deal created"]);
    assert_eq!((closest, missing), ("pipedrive-deals", vec!["Deal - Status / Deal - Stage".to_string()]));
    // A touch list without a date stays a log missing its date.
    let (closest, missing) = mismatch(&["Deal", "Contact method", "Outcome"]);
    assert_eq!((closest, missing), ("followup-log", vec!["Date / Activity date".to_string()]));
}
