//! A series' points made ready to draw: in time order, split into runs where
//! the topic went quiet (so a gap is not bridged by a straight line), and
//! thinned to at most a few points per pixel column when there are many more.

use std::borrow::Cow;

use egui_plot::PlotPoint;

/// A line breaks where two points are further apart than this many times the series' usual
/// step between messages…
const GAP_FACTOR: f64 = 10.0;
/// …and further apart than this, in seconds, so a fast topic's short hiccup stays one line.
const MIN_GAP_SECS: f64 = 5.0;

/// Points a run may have per pixel column before it is thinned.
const POINTS_PER_COLUMN: usize = 4;

/// `points` (seconds since 1970, value) as runs to draw: non-finite values left out, sorted
/// by time (stable, so messages of the same instant keep their order), and split where the
/// series went quiet for much longer than usual (see [`GAP_FACTOR`] and [`MIN_GAP_SECS`]).
pub fn runs(mut points: Vec<PlotPoint>) -> Vec<Vec<PlotPoint>> {
    points.retain(|p| p.x.is_finite() && p.y.is_finite());
    if !points.is_sorted_by(|a, b| a.x <= b.x) {
        points.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    let Some(limit) = gap_limit_secs(&points) else {
        return if points.is_empty() { Vec::new() } else { vec![points] };
    };
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for point in points {
        if run.last().is_some_and(|last: &PlotPoint| point.x - last.x > limit) {
            runs.push(std::mem::take(&mut run));
        }
        run.push(point);
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// How far apart two sorted points may be and still be joined: [`GAP_FACTOR`] times the median
/// step, at least [`MIN_GAP_SECS`]. `None` when there are too few steps to tell what is usual.
fn gap_limit_secs(points: &[PlotPoint]) -> Option<f64> {
    let mut steps: Vec<f64> = points.windows(2).map(|w| w[1].x - w[0].x).collect();
    if steps.len() < 2 {
        return None;
    }
    let middle = steps.len() / 2;
    let (_, median, _) = steps.select_nth_unstable_by(middle, f64::total_cmp);
    Some((*median * GAP_FACTOR).max(MIN_GAP_SECS))
}

/// The points of a sorted `run` worth drawing in a plot `columns` pixels wide showing `visible`
/// (seconds; `None`: all of it). Only the visible part is kept, with a point either side so the
/// line reaches the edges; when that is still more than a few points per column, each column
/// keeps its first, lowest, highest and last point in time order, which draws the same line.
pub fn thinned(run: &[PlotPoint], visible: Option<(f64, f64)>, columns: usize) -> Cow<'_, [PlotPoint]> {
    let shown = match visible {
        Some((from, to)) => {
            let start = run.partition_point(|p| p.x < from).saturating_sub(1);
            let end = (run.partition_point(|p| p.x <= to) + 1).min(run.len());
            run.get(start..end.max(start)).unwrap_or_default()
        }
        None => run,
    };
    let columns = columns.max(1);
    let (Some(first), Some(last)) = (shown.first(), shown.last()) else {
        return Cow::Borrowed(shown);
    };
    let span = last.x - first.x;
    if shown.len() <= columns * POINTS_PER_COLUMN || span <= 0.0 {
        return Cow::Borrowed(shown);
    }
    let column_of = |p: &PlotPoint| (((p.x - first.x) / span * columns as f64) as usize).min(columns - 1);
    let mut kept = Vec::with_capacity(columns * POINTS_PER_COLUMN);
    for column in shown.chunk_by(|a, b| column_of(a) == column_of(b)) {
        keep_extremes(column, &mut kept);
    }
    Cow::Owned(kept)
}

/// The first, lowest, highest and last of `column`'s points, each once, in time order.
fn keep_extremes(column: &[PlotPoint], kept: &mut Vec<PlotPoint>) {
    let by_value = |a: &(usize, &PlotPoint), b: &(usize, &PlotPoint)| a.1.y.total_cmp(&b.1.y);
    let lowest = column.iter().enumerate().min_by(by_value).map(|(i, _)| i);
    let highest = column.iter().enumerate().max_by(by_value).map(|(i, _)| i);
    let mut picks: Vec<usize> = [Some(0), lowest, highest, column.len().checked_sub(1)]
        .into_iter()
        .flatten()
        .collect();
    picks.sort_unstable();
    picks.dedup();
    kept.extend(picks.into_iter().filter_map(|i| column.get(i).copied()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xs(run: &[PlotPoint]) -> Vec<f64> {
        run.iter().map(|p| p.x).collect()
    }

    #[test]
    fn points_out_of_order_are_sorted_by_time() {
        let points = vec![
            PlotPoint::new(3.0, 30.0),
            PlotPoint::new(1.0, 10.0),
            PlotPoint::new(2.0, 20.0),
            PlotPoint::new(2.0, 21.0),
        ];
        let runs = runs(points);
        assert_eq!(runs.len(), 1);
        assert_eq!(xs(&runs[0]), [1.0, 2.0, 2.0, 3.0]);
        let values: Vec<f64> = runs[0].iter().map(|p| p.y).collect();
        assert_eq!(values, [10.0, 20.0, 21.0, 30.0], "the same instant keeps its order");
    }

    #[test]
    fn a_long_silence_splits_the_line_and_short_ones_do_not() {
        // Every second, then 60 s of nothing, then every second again.
        let mut points: Vec<PlotPoint> = (0..5).map(|i| PlotPoint::new(f64::from(i), 1.0)).collect();
        points.extend((0..5).map(|i| PlotPoint::new(64.0 + f64::from(i), 2.0)));
        points.push(PlotPoint::new(72.0, 3.0));
        let runs = runs(points);
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert_eq!(xs(&runs[0]), [0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(xs(&runs[1]), [64.0, 65.0, 66.0, 67.0, 68.0, 72.0], "4 s is no gap");
    }

    #[test]
    fn values_that_are_no_numbers_are_left_out() {
        let points = vec![
            PlotPoint::new(1.0, 1.0),
            PlotPoint::new(2.0, f64::NAN),
            PlotPoint::new(f64::INFINITY, 3.0),
            PlotPoint::new(3.0, 3.0),
        ];
        assert_eq!(xs(&runs(points).concat()), [1.0, 3.0]);
        assert!(runs(Vec::new()).is_empty());
    }

    #[test]
    fn a_dense_run_keeps_the_extremes_of_each_column() {
        // 1000 points over 10 columns: 100 per column, a spike in the third.
        let run: Vec<PlotPoint> = (0..1000)
            .map(|i| PlotPoint::new(f64::from(i), if i == 250 { 99.0 } else { f64::from(i % 7) }))
            .collect();
        let thin = thinned(&run, None, 10);
        assert!(thin.len() <= 40, "{} points", thin.len());
        assert!(thin.iter().any(|p| p.y == 99.0), "the spike is kept");
        assert!(thin.is_sorted_by(|a, b| a.x <= b.x));
        assert_eq!((thin[0].x, thin[thin.len() - 1].x), (0.0, 999.0));
        // Few points are drawn as they are.
        assert_eq!(thinned(&run[..30], None, 10).len(), 30);
    }

    #[test]
    fn only_the_visible_part_is_drawn_with_a_point_either_side() {
        let run: Vec<PlotPoint> = (0..100).map(|i| PlotPoint::new(f64::from(i), 0.0)).collect();
        let shown = thinned(&run, Some((10.5, 20.5)), 500);
        assert_eq!(xs(&shown), (10..=21).map(f64::from).collect::<Vec<_>>());
        assert!(thinned(&run, Some((200.0, 300.0)), 500).len() <= 1);
    }
}
