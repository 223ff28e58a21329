//! `followup` reads a sales team's follow-up log or CRM exports and reports which touch
//! of their follow-up sequence gets responses, how many touches a won deal takes, how
//! many chased deals were won and how much revenue came from later follow-ups.
//!
//! The pipeline runs one way: [`ingest`] reads the files into the canonical tables of
//! [`model`] and a ledger of every row; [`metrics`] derives every SPEC §3 number into a
//! serialisable [`metrics::Metrics`] (the content of metrics.json); [`report`] renders
//! that model to files and moves the finished folder into place.
#![warn(missing_docs, clippy::unwrap_used)]
// Tests may unwrap: a panic there is a failed test with its message.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod fmt;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod output;
pub mod plan;
pub mod progress;
pub mod redact;
pub mod report;
pub mod sample;
pub mod threads;
pub mod time;
pub mod timing;
