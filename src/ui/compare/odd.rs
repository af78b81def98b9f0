//! Which cells of a column stand out: a value other than the one most cells hold, a number far
//! from the rest (a robust median distance), or a time far older or newer than the others.

use std::collections::HashMap;

/// Two times closer than this never stand out from each other, however alike the rest are:
/// devices report seconds apart, and that is not a stale value.
const MIN_TIME_GAP_SECS: f64 = 60.0;

/// What stands out in one column.
#[derive(Debug, PartialEq)]
pub struct Differences {
    /// The value most cells hold (`Some(None)`: most lack the field), when one value is more
    /// common than every other.
    pub common: Option<Option<String>>,
    /// Whether all counted cells hold the same value (two or more of them).
    pub uniform: bool,
    /// Per cell, whether it differs from most.
    pub differs: Vec<bool>,
}

/// Find the cells of a column that differ from most, among the cells `counted`; a counted
/// missing cell is a value of its own (so it stands out when most have the field).
pub fn differences(cells: &[Option<&str>], counted: &[bool]) -> Differences {
    let mut counts: HashMap<Option<&str>, usize> = HashMap::new();
    for (&cell, _) in cells.iter().zip(counted).filter(|(_, c)| **c) {
        *counts.entry(cell).or_default() += 1;
    }
    let top = counts.values().copied().max().unwrap_or(0);
    let mut leaders = counts.iter().filter(|&(_, &n)| n == top).map(|(v, _)| *v);
    let common = match (leaders.next(), leaders.next()) {
        (Some(value), None) => Some(value),
        _ => None,
    };
    let total: usize = counts.values().sum();
    let differs = match outliers(cells, counted, top, total) {
        Some(far) => far,
        None => cells
            .iter()
            .zip(counted)
            .map(|(&cell, &counted)| counted && common.is_some_and(|c| c != cell))
            .collect(),
    };
    Differences {
        common: common.map(|c| c.map(str::to_owned)),
        uniform: counts.len() == 1 && total >= 2,
        differs,
    }
}

/// Find the times of a column (seconds since the epoch) far older or newer than the others,
/// among the cells `counted`: further from the median than three scaled median absolute
/// deviations and at least a minute, so one device that stopped reporting stands out from a
/// fleet that reports. A counted cell without a time stands out when most have one. Returns
/// what stands out and the median time.
pub fn time_differences(times: &[Option<f64>], counted: &[bool]) -> (Differences, Option<f64>) {
    let present: Vec<f64> = times
        .iter()
        .zip(counted)
        .filter(|(_, c)| **c)
        .filter_map(|(time, _)| *time)
        .collect();
    let total = counted.iter().filter(|c| **c).count();
    let uniform = total >= 2 && present.len() == total && present.windows(2).all(|w| w[0] == w[1]);
    let (center, far) = match Spread::of(&present) {
        Some(spread) if present.len() >= 3 => (Some(spread.center), Some(spread.far_with(MIN_TIME_GAP_SECS))),
        Some(spread) => (Some(spread.center), None),
        None => (None, None),
    };
    let most_have_it = present.len() * 2 > total;
    let differs = times
        .iter()
        .zip(counted)
        .map(|(time, &counted)| {
            counted
                && match (time, &far) {
                    (Some(time), Some(far)) => far(*time),
                    (Some(_), None) => false,
                    (None, _) => most_have_it,
                }
        })
        .collect();
    let found = Differences {
        common: None,
        uniform,
        differs,
    };
    (found, center)
}

/// For a column of numbers where no value is held by more than half the cells (battery levels,
/// temperatures), the cells far from the rest: more than three scaled median absolute deviations
/// from the median (or, when most are equal, any other value), and counted cells that lack the
/// field. `None` when the column is not such a column.
fn outliers(cells: &[Option<&str>], counted: &[bool], top: usize, total: usize) -> Option<Vec<bool>> {
    if top * 2 > total {
        return None;
    }
    let present: Vec<f64> = cells
        .iter()
        .zip(counted)
        .filter(|(_, c)| **c)
        .filter_map(|(cell, _)| *cell)
        .map(|text| text.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
        .collect::<Option<_>>()?;
    if present.len() < 3 {
        return None;
    }
    let far = Spread::of(&present)?.far_with(0.0);
    let most_have_it = present.len() * 2 > total;
    Some(
        cells
            .iter()
            .zip(counted)
            .map(|(cell, &counted)| {
                counted
                    && match cell {
                        Some(text) => text.trim().parse::<f64>().is_ok_and(&far),
                        None => most_have_it,
                    }
            })
            .collect(),
    )
}

/// Where a column's values sit: their median, and how far they usually are from it.
struct Spread {
    center: f64,
    /// The median absolute deviation, scaled to compare with a standard deviation.
    spread: f64,
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let center = median(&mut values.to_vec());
        let spread = 1.4826 * median(&mut values.iter().map(|v| (v - center).abs()).collect::<Vec<_>>());
        Some(Self { center, spread })
    }

    /// Whether a value is far from the rest: more than three spreads and more than `at_least`
    /// from the median (any other value when there is no spread and no `at_least`).
    fn far_with(&self, at_least: f64) -> impl Fn(f64) -> bool + use<> {
        let (center, limit) = (self.center, (3.0 * self.spread).max(at_least));
        move |value| {
            if limit > 0.0 {
                (value - center).abs() > limit
            } else {
                value != center
            }
        }
    }
}

/// The median of `values`, which are sorted; `values` is not empty.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

#[cfg(test)]
mod tests;
