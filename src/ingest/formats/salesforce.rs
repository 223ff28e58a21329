//! Salesforce's data export (Data Loader / weekly export: API field names) of
//! Opportunity, Task and Event, and an opportunity report exported with its labels
//! (shared/formats/crm-exports.md §3.2). Ids are 18 characters whose first three give
//! the object (`006` Opportunity, `001` Account, `00T` Task, `00U` Event).

use super::{ChannelOf, Field, FormatId, FormatSpec, RowKind};
use crate::model::Channel;

/// Opportunity (data export). Won / lost from `IsWon` / `IsClosed` (`1` or empty, or
/// true / false) before the stage label: closed and not won is lost. `CloseDate` is
/// the expected date while the opportunity is open. `Type` (New Business…) is not a
/// channel and `LastActivityDate` not a touch: neither is read.
pub const SALESFORCE_OPPORTUNITIES: FormatSpec = FormatSpec {
    id: FormatId::SalesforceOpportunities,
    rows: RowKind::Deal,
    required: &[&[Field::DealId], &[Field::Stage], &[Field::WonFlag, Field::ClosedFlag]],
    typical: &[Field::Name, Field::Amount, Field::ClosedAt, Field::CreatedAt, Field::Owner],
    absent: &[],
    signature: &["StageName", "IsClosed", "ForecastCategory", "ForecastCategoryName"],
    columns: &[
        (Field::DealId, &["Id"]),
        (Field::Name, &["Name"]),
        (Field::Stage, &["StageName"]),
        (Field::Amount, &["Amount"]),
        (Field::Currency, &["CurrencyIsoCode"]),
        (Field::CreatedAt, &["CreatedDate"]),
        (Field::ClosedAt, &["CloseDate"]),
        (Field::WonFlag, &["IsWon"]),
        (Field::ClosedFlag, &["IsClosed"]),
        (Field::Owner, &["OwnerId"]),
        (Field::LastModified, &["LastModifiedDate"]),
        (Field::AccountId, &["AccountId"]),
    ],
    own_names_only: true,
    channel: None,
};

/// An opportunity report exported as CSV (labels, not API names). There is no id: the
/// opportunity name is the key. `Won` / `Closed` are flags (`1` / `0`); `Close Date` is
/// the expected date while open, like `CloseDate`.
pub const SALESFORCE_REPORT: FormatSpec = FormatSpec {
    id: FormatId::SalesforceReport,
    rows: RowKind::Deal,
    required: &[&[Field::Name], &[Field::Stage], &[Field::WonFlag, Field::ClosedFlag]],
    typical: &[Field::Amount, Field::ClosedAt, Field::CreatedAt, Field::Owner],
    absent: &[],
    signature: &["Opportunity Name", "Opportunity Owner", "Opportunity ID"],
    columns: &[
        (Field::DealId, &["Opportunity ID"]),
        (Field::Name, &["Opportunity Name"]),
        (Field::Stage, &["Stage"]),
        (Field::Amount, &["Amount"]),
        (Field::Currency, &["Opportunity Currency", "Amount Currency"]),
        (Field::CreatedAt, &["Created Date"]),
        (Field::ClosedAt, &["Close Date"]),
        (Field::WonFlag, &["Won"]),
        (Field::ClosedFlag, &["Closed"]),
        (Field::Owner, &["Opportunity Owner"]),
        (Field::LastModified, &["Last Modified Date"]),
    ],
    own_names_only: true,
    channel: None,
};

/// Event (data export): a meeting. `WhatId` is the deal when it is an opportunity id
/// (else an account's); the event's own `Id` is never the deal. The time is
/// `StartDateTime`, else `ActivityDateTime`, else the all-day `ActivityDate`.
pub const SALESFORCE_EVENTS: FormatSpec = FormatSpec {
    id: FormatId::SalesforceEvents,
    rows: RowKind::Touch,
    required: &[&[Field::DealIds], &[Field::At]],
    typical: &[Field::Subject, Field::Owner],
    absent: &[],
    signature: &["StartDateTime", "ActivityDateTime", "EventSubtype", "IsAllDayEvent", "DurationInMinutes"],
    columns: &[
        (Field::ActivityId, &["Id"]),
        (Field::DealIds, &["WhatId"]),
        (Field::At, &["StartDateTime", "ActivityDateTime", "ActivityDate"]),
        (Field::Subject, &["Subject"]),
        (Field::Owner, &["OwnerId"]),
    ],
    own_names_only: true,
    channel: Some(ChannelOf::Touch(Channel::Meeting)),
};

/// Task (data export). `WhatId` is the deal (an opportunity id; an account's id needs
/// linking); the task's own `Id` is never the deal. `ActivityDate` is the date,
/// `Status` whether it happened (only `Completed` did), `TaskSubtype` the channel
/// (Email, Call, LinkedIn…; `Task` is a to-do, not a touch) else the older `Type`,
/// `CallType` the direction, `CallDisposition` the outcome.
pub const SALESFORCE_TASKS: FormatSpec = FormatSpec {
    id: FormatId::SalesforceTasks,
    rows: RowKind::Touch,
    required: &[&[Field::DealIds], &[Field::At]],
    typical: &[Field::Done, Field::Channel, Field::Subject, Field::Owner],
    absent: &[],
    signature: &["WhatId"],
    columns: &[
        (Field::ActivityId, &["Id"]),
        (Field::DealIds, &["WhatId"]),
        (Field::At, &["ActivityDate"]),
        (Field::Done, &["Status"]),
        (Field::Channel, &["TaskSubtype", "Type"]),
        (Field::Direction, &["CallType"]),
        (Field::Outcome, &["CallDisposition"]),
        (Field::Subject, &["Subject"]),
        (Field::Owner, &["OwnerId"]),
    ],
    own_names_only: true,
    channel: None,
};
