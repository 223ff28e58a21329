//! The rows of the page's tables and its per-dimension sections: named fields of
//! pre-formatted text, printed by the template in column order (no positional arrays, so
//! a column cannot be shown under the wrong heading).

/// One row of the response-by-touch table.
#[derive(Debug, Clone)]
pub struct TouchRow {
    /// Touch number k.
    pub touch: String,
    /// Deals that received touch k and had not answered before.
    pub sent: String,
    /// Deals whose first response is credited to touch k.
    pub responded: String,
    /// responded / sent.
    pub rate: String,
    /// Wilson 95% interval of the rate, "low – high".
    pub interval: String,
    /// Plain cumulative over touch 1.
    pub cumulative: String,
    /// Kaplan–Meier cumulative with its 95% band, "km (low – high)".
    pub km: String,
}

/// One row of the touches-to-close table.
#[derive(Debug, Clone)]
pub struct CloseRow {
    /// Outbound touches n.
    pub touches: String,
    /// Won deals with that n.
    pub won: String,
    /// Lost deals with that n.
    pub lost: String,
}

/// One currency of revenue recovered.
#[derive(Debug, Clone)]
pub struct RevenueRow {
    /// ISO code.
    pub currency: String,
    /// Recovered won revenue.
    pub recovered: String,
    /// All won revenue in scope.
    pub won: String,
    /// Won deals with an amount in this currency (the share's n), "–" when unknown.
    pub won_deals: String,
    /// recovered / won.
    pub share: String,
}

/// One give-up bucket.
#[derive(Debug, Clone)]
pub struct GiveUpRow {
    /// "1", "2", "3-4" or "5+".
    pub bucket: String,
    /// Deals in it.
    pub deals: String,
    /// Share of all give-up deals.
    pub share: String,
}

/// One deal contacted after opting out.
#[derive(Debug, Clone)]
pub struct OptOutRow {
    /// Deal id.
    pub deal_id: String,
    /// Deal name.
    pub name: String,
    /// When it opted out.
    pub opted_out_at: String,
    /// Outbound touches after that.
    pub touches_after: String,
}

/// One input file of the data-quality table.
#[derive(Debug, Clone)]
pub struct InputRow {
    /// Path as given.
    pub file: String,
    /// Recognised format.
    pub format: String,
    /// "encoding, delimiter".
    pub encoding: String,
    /// Rows read.
    pub rows: String,
    /// Rows used.
    pub used: String,
    /// Rows rejected.
    pub rejected: String,
    /// Duplicate rows.
    pub duplicates: String,
}

/// One deal of the due list.
#[derive(Debug, Clone)]
pub struct DueRow {
    /// Deal id.
    pub deal_id: String,
    /// Deal name.
    pub name: String,
    /// Owner, "–" when unknown.
    pub owner: String,
    /// "day (N days ago)".
    pub last_touch: String,
    /// "touch k after N days".
    pub next: String,
    /// The team's response rate at the next touch.
    pub next_rate: String,
    /// Amount with currency, "–" when unknown.
    pub amount: String,
}

/// One cohort: the month of touch 1 and its figures.
#[derive(Debug, Clone)]
pub struct CohortRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Deals in the cohort.
    pub deals: String,
    /// Deals sent touch 1 (the response columns' n); grey when too few.
    pub sent: Cell,
    /// Response by touch 1…6 (Kaplan–Meier), "–" past the last touch reached.
    pub response_km: Vec<Cell>,
    /// Won within 30/60/90 days "rate (eligible)", "–" when none is old enough.
    pub won_within: Vec<Cell>,
}

/// A table cell that may rest on too few deals to read: shown grey, like the trend's
/// hollow points, with a note under the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// Rests on fewer than `metrics::SMALL_N` deals (decided by metrics).
    pub few: bool,
}

impl Cell {
    /// A cell of enough deals (or of none).
    pub fn plain(text: String) -> Self {
        Cell { text, few: false }
    }
}

/// One cadence of the plan-adherence table.
#[derive(Debug, Clone)]
pub struct PlanRow {
    /// The cadence, as the plan names it.
    pub cadence: String,
    /// The cadence's deals (the n of its conversion and response).
    pub deals: String,
    /// "sent of due (share)".
    pub sent: String,
    /// Median days late, signed.
    pub median_late: String,
    /// Share on the planned channel.
    pub on_channel: String,
    /// The cadence's conversion after follow-up.
    pub conversion: String,
    /// "km by touch k", "–" when no touch was reached.
    pub response: String,
}

/// One group of a `--by` comparison table.
#[derive(Debug, Clone)]
pub struct GroupRow {
    /// The group.
    pub group: String,
    /// Deals, "–" for channel.
    pub deals: String,
    /// Touch-1 response rate "rate (n = sent)".
    pub touch_1: String,
    /// "km by touch k".
    pub km: String,
    /// "rate (won of closed)".
    pub conversion: String,
    /// Mean touches to close "mean (n = tracked won deals)".
    pub touches_to_close: String,
}

/// The comparison of one `--by` dimension.
#[derive(Debug, Clone)]
pub struct GroupSection {
    /// "cadence", "owner", …
    pub dimension: String,
    /// The file stem of its comparison chart (`groups_cadence`), inlined above the table.
    pub chart: &'static str,
    /// One row per group.
    pub rows: Vec<GroupRow>,
    /// Verdicts on conversion, then the response comparisons that are meaningful.
    pub verdicts: Vec<String>,
    /// How many comparisons were made and how.
    pub note: String,
}

/// One inline chart.
#[derive(Debug, Clone)]
pub struct ChartView {
    /// File stem, e.g. `response_by_touch`.
    pub stem: &'static str,
    /// The chart's finding, for the caption and alt text.
    pub title: String,
    /// SVG markup.
    pub svg: String,
    /// The lines under the title (the n and context), printed above the panels when the
    /// chart is shown panel by panel.
    pub subtitle: Vec<String>,
    /// A multi-panel chart's legend, said once above its panels.
    pub legend: Vec<LegendItem>,
    /// The chart's panels, one SVG each (our own SVG), shown instead of `svg` on a
    /// narrow page and laid out by its width; empty: the page shows `svg` at every width.
    pub panels: Vec<PanelView>,
    /// The page shows the panels at every width, never `svg` (the trend).
    pub desk_panels: bool,
}

/// One panel of a multi-panel chart.
#[derive(Debug, Clone)]
pub struct PanelView {
    /// Its heading, for the alt text.
    pub heading: String,
    /// SVG markup.
    pub svg: String,
}

/// One legend entry of a chart shown panel by panel: a swatch drawn by the stylesheet
/// (`class`, one of ours) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendItem {
    /// The swatch's CSS class: `sw-rule` (a dashed grey line), `sw-hollow` (a hollow
    /// dot), `sw-line` (a line with a dot).
    pub class: &'static str,
    /// What it marks.
    pub text: String,
}
