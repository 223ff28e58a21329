//! The fixed text of the sample: email subjects, note subjects and the unique company
//! names of the deals (word lists scattered by a stride, plus a few names with accents,
//! a comma and a double quote).

/// Subjects of the k-th email of a sequence and of the answers it can get.
pub(super) struct EmailSubject {
    pub(super) sent: &'static str,
    pub(super) reply: &'static str,
}

pub(super) const fn email_subject(sent: &'static str, reply: &'static str) -> EmailSubject {
    EmailSubject { sent, reply }
}

/// Subject prefixes of automatic replies.
pub(super) const AUTO_REPLY_PREFIXES: [&str; 2] = ["Automatic reply: ", "Out of Office: "];

/// Emails of a sequence, by their rank among the cadence's emails; the cadence's last
/// touch, when it is an email, uses [`LAST_EMAIL_SUBJECT`].
pub(super) const EMAIL_SUBJECTS: [EmailSubject; 4] = [
    email_subject("Intro: quick question", "Re: Intro: quick question"),
    email_subject("Following up", "Re: Following up"),
    email_subject("Checking in", "Re: Checking in"),
    email_subject("Case study, as promised", "Re: Case study, as promised"),
];
pub(super) const LAST_EMAIL_SUBJECT: EmailSubject = email_subject("Closing the loop", "Re: Closing the loop");

pub(super) const NOTE_SUBJECTS: [&str; 5] = [
    "Researched company, decision maker is the COO",
    "Asked for the \"Standard\" price sheet",
    "Budget review in Q3",
    "Gatekeeper: call after 10am",
    "Spoke to reception, call back next week",
];

pub(super) const NAME_FIRST: [&str; 30] = [
    "Northwind",
    "Bluebird",
    "Summit",
    "Harbor",
    "Granite",
    "Maple",
    "Crescent",
    "Redwood",
    "Silverline",
    "Brightwater",
    "Oakridge",
    "Ironbridge",
    "Lakeside",
    "Pinecrest",
    "Riverstone",
    "Sunrise",
    "Evergreen",
    "Falcon",
    "Beacon",
    "Cobalt",
    "Meridian",
    "Atlas",
    "Vertex",
    "Horizon",
    "Keystone",
    "Juniper",
    "Willow",
    "Aspen",
    "Cedar",
    "Copperfield",
];
pub(super) const NAME_SECOND: [&str; 30] = [
    "Logistics",
    "Dental",
    "Bakery",
    "Consulting",
    "Design",
    "Engineering",
    "Foods",
    "Fitness",
    "Legal",
    "Media",
    "Motors",
    "Printing",
    "Roofing",
    "Software",
    "Studio",
    "Supplies",
    "Systems",
    "Travel",
    "Ventures",
    "Analytics",
    "Builders",
    "Catering",
    "Clinics",
    "Electric",
    "Events",
    "Flooring",
    "Health",
    "Interiors",
    "Labs",
    "Marine",
];
pub(super) const NAME_SUFFIX: [&str; 8] = ["Ltd", "LLC", "Inc", "& Co", "Group", "Partners", "Holdings", ""];
/// Distinct first × second × suffix combinations.
pub(super) const NAME_COMBINATIONS: usize = NAME_FIRST.len() * NAME_SECOND.len() * NAME_SUFFIX.len();
/// Coprime with [`NAME_COMBINATIONS`] (7,200): scatters consecutive deals over the lists.
pub(super) const NAME_STRIDE: usize = 7919;
/// Fixed names (by deal index) that exercise non-ASCII text and CSV quoting.
pub(super) const SPECIAL_NAMES: [(usize, &str); 6] = [
    (3, "Café Lumière"),
    (8, "Müller GmbH"),
    (14, "Smith, Jones & Partners"),
    (21, "The \"Corner\" Bakery"),
    (33, "Øresund Trading ApS"),
    (47, "Señora Pérez Imports"),
];

/// Writes the unique name of deal `index` (0-based) into `out`.
pub(super) fn deal_name(out: &mut String, index: usize) {
    use std::fmt::Write as _;
    out.clear();
    if let Some((_, name)) = SPECIAL_NAMES.iter().find(|(i, _)| *i == index) {
        out.push_str(name);
        return;
    }
    let round = index / NAME_COMBINATIONS;
    let j = (index % NAME_COMBINATIONS) * NAME_STRIDE % NAME_COMBINATIONS;
    let first = NAME_FIRST[j % NAME_FIRST.len()];
    let second = NAME_SECOND[(j / NAME_FIRST.len()) % NAME_SECOND.len()];
    let suffix = NAME_SUFFIX[j / (NAME_FIRST.len() * NAME_SECOND.len())];
    out.push_str(first);
    out.push(' ');
    out.push_str(second);
    if round > 0 {
        // Writing into a String cannot fail.
        let _ = write!(out, " {}", round + 1);
    }
    if !suffix.is_empty() {
        out.push(' ');
        out.push_str(suffix);
    }
}
