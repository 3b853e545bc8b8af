//! A figure as an inline SVG bar chart: one dark fill, each bar labelled with its number, so
//! it reads the same in colour, in greyscale and on paper.

use std::fmt::Write as _;

use super::super::Figure;
use super::escape;

const WIDTH: f64 = 640.0;
const LABEL: f64 = 220.0;
const ROW: f64 = 26.0;
const TOP: f64 = 30.0;

/// The chart, titled, with the unit under it.
pub(super) fn bar_chart(figure: &Figure) -> String {
    let largest = figure
        .bars
        .iter()
        .map(|(_, value)| *value)
        .fold(0.0_f64, f64::max);
    // Room on the right for the number after the longest bar.
    let scale = if largest > 0.0 {
        (WIDTH - LABEL - 60.0) / largest
    } else {
        0.0
    };
    let height = TOP + ROW * rows(figure.bars.len()) + 24.0;
    let title = escape(&figure.title);
    let mut svg = format!(
        "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" font-family=\"sans-serif\" font-size=\"13\">\
         <title>{title}</title>\
         <text x=\"0\" y=\"18\" font-weight=\"bold\">{title}</text>"
    );
    for (index, (label, value)) in figure.bars.iter().enumerate() {
        let y = TOP + ROW * rows(index);
        let length = (value * scale).max(0.0);
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{text_y}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{length:.1}\" height=\"{bar}\" fill=\"#333\"/>\
             <text x=\"{value_x:.1}\" y=\"{text_y}\">{value}</text>",
            x = LABEL - 8.0,
            text_y = y + 15.0,
            label = escape(label),
            bar = ROW - 8.0,
            value_x = LABEL + length + 6.0,
            value = number(*value),
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{LABEL}\" y=\"{}\" fill=\"#333\">{}</text></svg></figure>",
        height - 6.0,
        escape(&figure.unit)
    );
    svg
}

/// A count of rows as a length; a chart has a handful.
fn rows(count: usize) -> f64 {
    f64::from(u32::try_from(count).unwrap_or(u32::MAX))
}

/// `12`, or `87.5` when the value has a fraction.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bar_has_its_label_and_number_and_text_is_escaped() {
        let chart = bar_chart(&Figure {
            after_heading: "Trend".to_string(),
            title: "Findings <by> quarter".to_string(),
            unit: "findings".to_string(),
            bars: vec![("Q1".to_string(), 4.0), ("Q2 & Q3".to_string(), 12.5)],
        });
        assert!(chart.contains("<title>Findings &lt;by&gt; quarter</title>"));
        assert!(chart.contains(">Q2 &amp; Q3</text>"));
        assert!(chart.contains(">4</text>") && chart.contains(">12.5</text>"));
        assert_eq!(chart.matches("<rect").count(), 2);
    }
}
