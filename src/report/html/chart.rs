//! A chart as the page shows it: the whole chart's SVG, and the panels the chart
//! declares ([`crate::report::charts::render_panels`]) with its title, subtitle and
//! legend said once above them as page text.

use super::{ChartView, LegendItem, PanelView};
use crate::metrics::Metrics;
use crate::report::RenderedChart;

/// A chart as the page shows it: the whole chart, and its panels with its title,
/// subtitle and legend said once above them (the stylesheet shows one or the other by
/// the page's width; the trend shows its panels at every width).
pub(super) fn chart_view(c: &RenderedChart, m: &Metrics) -> ChartView {
    use crate::report::charts::theme::Swatch;
    let legend = crate::report::charts::legend(c.kind, m)
        .into_iter()
        .map(|(swatch, text)| LegendItem {
            class: match swatch {
                Swatch::Rule(_) | Swatch::Dashed(_) => "sw-rule",
                Swatch::HollowDot(_) | Swatch::Hollow(_) => "sw-hollow",
                _ => "sw-line",
            },
            text,
        })
        .collect();
    ChartView {
        stem: c.kind.file_stem(),
        title: c.kind.title(m),
        svg: c.svg.clone(),
        subtitle: c.kind.subtitle(m).lines().filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        legend,
        desk_panels: c.kind.panels_on_desk() && !c.panels.is_empty(),
        panels: c.panels.iter().map(|p| PanelView { heading: p.heading.clone(), svg: p.svg.clone() }).collect(),
    }
}
