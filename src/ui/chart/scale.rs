//! Series of different scales on one plot: each normalised to its own range
//! (0 at its lowest value, 1 at its highest), the real values given back for
//! the axes and the legend, and the rule that turns normalising on by itself
//! when the ranges differ a lot.

/// A series shorter than this share of the range all series share is hard to read…
const CRAMPED_SHARE: f64 = 0.2;
/// …when that range is at least this share of the largest value: series of different sizes (a
/// plug's power and its voltage), not nearby values of one kind (two rooms' temperatures),
/// which read best on one axis.
const APART_SHARE: f64 = 0.5;

/// A series' range as shown normalised: `lo` at the bottom (0), `hi` at the top (1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// The value at 0.
    pub lo: f64,
    /// The value at 1.
    pub hi: f64,
}

impl Scale {
    /// The range from `min` to `max`; around the value when there is only one (a tenth of it
    /// either side, or 1 around zero), so a series that does not change sits in the middle.
    pub fn around(min: f64, max: f64) -> Self {
        let (min, max) = if min <= max { (min, max) } else { (max, min) };
        if !(min.is_finite() && max.is_finite()) {
            return Scale { lo: 0.0, hi: 1.0 };
        }
        if max - min > f64::EPSILON * max.abs().max(1.0) {
            return Scale { lo: min, hi: max };
        }
        let half = if min == 0.0 { 1.0 } else { min.abs() / 10.0 };
        Scale {
            lo: min - half,
            hi: min + half,
        }
    }

    /// `value` between 0 (at `lo`) and 1 (at `hi`).
    pub fn normalise(self, value: f64) -> f64 {
        (value - self.lo) / (self.hi - self.lo)
    }

    /// The value a normalised `position` stands for.
    pub fn value(self, position: f64) -> f64 {
        self.lo + position * (self.hi - self.lo)
    }

    /// The real value of a grid mark at normalised `position`, `step` (normalised) from the
    /// next: with enough decimals to tell marks apart, no trailing zeros.
    pub fn mark_label(self, position: f64, step: f64) -> String {
        let real_step = (step * (self.hi - self.lo)).abs();
        let decimals = if real_step > 0.0 {
            ((-real_step.log10()).ceil() + 1.0).clamp(0.0, 6.0) as usize
        } else {
            2
        };
        trimmed(&format!("{:.*}", decimals, self.value(position)))
    }
}

/// Whether series with these ranges (their lowest and highest values) are better normalised: a
/// series that changes would use less than a fifth of the height the ranges share, and they lie
/// far apart for their size (see [`APART_SHARE`]).
pub fn cramped(ranges: &[(f64, f64)]) -> bool {
    if ranges.len() < 2 {
        return false;
    }
    let lowest = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let highest = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
    let shared = highest - lowest;
    let largest = lowest.abs().max(highest.abs());
    shared > 0.0
        && shared >= largest * APART_SHARE
        && ranges
            .iter()
            .map(|(min, max)| max - min)
            .any(|span| span > 0.0 && span < shared * CRAMPED_SHARE)
}

/// A value as the legend and the axes show it: as many decimals as it has, at most six.
pub fn format_value(value: f64) -> String {
    trimmed(&format!("{value:.6}"))
}

/// A number's text without trailing zeros after its point (`21.500` reads `21.5`, `-0.0` reads `0`).
fn trimmed(text: &str) -> String {
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    };
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_is_scaled_to_its_own_range() {
        assert_eq!(Scale::around(12.0, 15.0), Scale { lo: 12.0, hi: 15.0 });
        assert_eq!(Scale::around(231.0, 230.0), Scale { lo: 230.0, hi: 231.0 });
        assert_eq!(Scale::around(f64::NAN, 1.0), Scale { lo: 0.0, hi: 1.0 });
    }

    #[test]
    fn one_value_sits_in_the_middle_of_a_range_around_it() {
        assert_eq!(Scale::around(230.0, 230.0), Scale { lo: 207.0, hi: 253.0 });
        assert_eq!(Scale::around(0.0, 0.0), Scale { lo: -1.0, hi: 1.0 });
    }

    #[test]
    fn axis_marks_read_as_real_values() {
        let scale = Scale::around(230.0, 231.0);
        assert_eq!(scale.mark_label(0.0, 0.2), "230");
        assert_eq!(scale.mark_label(0.4, 0.2), "230.4");
        let temperature = Scale::around(19.37, 21.83);
        assert_eq!(temperature.mark_label(0.2, 0.2), "19.86");
    }

    #[test]
    fn normalised_values_map_back_to_the_real_ones() {
        let scale = Scale::around(230.0, 231.0);
        assert_eq!(scale.normalise(230.0), 0.0);
        assert_eq!(scale.normalise(231.0), 1.0);
        assert!((scale.value(scale.normalise(230.6)) - 230.6).abs() < 1e-9);
    }

    #[test]
    fn different_scales_are_normalised_and_similar_ones_are_not() {
        // Power and voltage of a plug.
        assert!(cramped(&[(12.0, 15.0), (230.0, 231.0)]));
        // Two rooms' temperatures, even when one changes little.
        assert!(!cramped(&[(19.3, 19.9), (20.1, 21.0)]));
        assert!(!cramped(&[(20.5, 21.5), (18.0, 18.5)]));
        // A temperature and a humidity.
        assert!(cramped(&[(19.3, 19.9), (30.0, 60.0)]));
        // Series that do not change read as flat lines on one axis…
        assert!(!cramped(&[(20.0, 20.0), (100.0, 100.0)]));
        // …but one that does is squeezed by a far one that does not.
        assert!(cramped(&[(19.3, 21.0), (100.0, 100.0)]));
        assert!(!cramped(&[(1.0, 2.0)]));
    }

    #[test]
    fn values_show_with_the_decimals_they_have() {
        assert_eq!(format_value(21.5), "21.5");
        assert_eq!(format_value(230.0), "230");
        assert_eq!(format_value(0.1 + 0.2), "0.3");
        assert_eq!(format_value(-0.0000001), "0");
    }
}
