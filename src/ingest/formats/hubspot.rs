//! HubSpot's deals and activity exports (shared/formats/crm-exports.md §1).

use super::{ChannelOf, Field, FormatId, FormatSpec, RowKind};
use crate::model::Channel;

/// HubSpot deals export (view or all-properties; labels or internal names), per
/// shared/formats/crm-exports.md §1.4. Won/lost come from the "Is Closed Won" /
/// "Is closed lost" flags or the stage probability before the stage label.
pub const HUBSPOT_DEALS: FormatSpec = FormatSpec {
    id: FormatId::HubspotDeals,
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
    own_names_only: false,
    channel: None,
};

/// Columns shared by HubSpot's activity exports (§1.6): the activity's own Record ID
/// is not a deal id; the deals are in "Associated Deal IDs".
macro_rules! hubspot_activity {
    ($id:expr, $signature:expr, $channel:expr) => {
        FormatSpec {
            id: $id,
            rows: RowKind::Touch,
            required: &[&[Field::DealIds], &[Field::At]],
            typical: &[],
            absent: &[],
            signature: $signature,
            columns: &[
                (Field::DealId, &[]),
                (Field::Name, &[]),
                (Field::DealIds, &["associateddealids", "associateddealid"]),
                (
                    Field::At,
                    &["activitydate", "hstimestamp", "meetingstarttime", "hsmeetingstarttime", "duedate", "createdate"],
                ),
                (Field::Direction, &["calldirection", "hscalldirection", "emaildirection", "hsemaildirection"]),
                (
                    Field::Outcome,
                    &[
                        "calloutcome",
                        "hscalldisposition",
                        "meetingoutcome",
                        "hsmeetingoutcome",
                        "emailstatus",
                        "hsemailstatus",
                    ],
                ),
                (
                    Field::Subject,
                    &[
                        "calltitle",
                        "hscalltitle",
                        "emailsubject",
                        "hsemailsubject",
                        "meetingname",
                        "hsmeetingtitle",
                        "tasktitle",
                    ],
                ),
                (Field::Owner, &["activityassignedto", "assignedto", "hubspotownerid"]),
                // Whether the call or task happened: Queued / Not started → planned.
                (Field::Done, &["callstatus", "hscallstatus", "taskstatus", "hstaskstatus"]),
                (Field::Channel, &[]),
                (Field::Stage, &[]),
                (Field::Status, &[]),
                (Field::Amount, &[]),
                (Field::ClosedAt, &[]),
                (Field::CreatedAt, &[]),
            ],
            own_names_only: false,
            channel: Some($channel),
        }
    };
}

/// HubSpot calls export.
pub const HUBSPOT_CALLS: FormatSpec = hubspot_activity!(
    FormatId::HubspotCalls,
    &["calldirection", "calloutcome", "calltitle", "callnotes", "hscalldirection", "hscalldisposition"],
    ChannelOf::Touch(Channel::Call)
);
/// HubSpot emails export.
pub const HUBSPOT_EMAILS: FormatSpec = hubspot_activity!(
    FormatId::HubspotEmails,
    &["emaildirection", "emailsubject", "hsemaildirection", "hsemailsubject"],
    ChannelOf::Touch(Channel::Email)
);
/// HubSpot meetings export.
pub const HUBSPOT_MEETINGS: FormatSpec = hubspot_activity!(
    FormatId::HubspotMeetings,
    &["meetingoutcome", "meetingname", "meetingstarttime", "hsmeetingoutcome", "hsmeetingtitle"],
    ChannelOf::Touch(Channel::Meeting)
);
/// HubSpot notes export: read, never touches.
pub const HUBSPOT_NOTES: FormatSpec =
    hubspot_activity!(FormatId::HubspotNotes, &["notebody", "hsnotebody"], ChannelOf::NotATouch);
/// HubSpot tasks export: read, never touches.
pub const HUBSPOT_TASKS: FormatSpec = hubspot_activity!(
    FormatId::HubspotTasks,
    &["tasktitle", "taskstatus", "hstasksubject", "hstaskstatus"],
    ChannelOf::NotATouch
);
