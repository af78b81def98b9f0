//! The fields of a simulated payload: each one a generator that gives the next value on
//! every message, from its own state, the time since the simulation started and a random
//! source handed in (seeded in tests).

use std::f64::consts::TAU;

/// How a timestamp is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    /// Milliseconds since 1970, UTC (`1700000000123`).
    EpochMs,
    /// RFC 3339 in UTC with milliseconds (`2023-11-14T22:13:20.123Z`).
    Rfc3339,
}

/// One field of a payload template, with what it remembers between messages.
#[derive(Clone, Debug, PartialEq)]
pub enum Generator {
    /// `counter` or `counter(START)` or `counter(START,STEP)`: START, START+STEP, …
    Counter {
        /// The next value.
        next: i64,
        /// What is added each message.
        step: i64,
    },
    /// `random(MIN,MAX)`: uniform from MIN to MAX; whole numbers unless a bound has decimals,
    /// then as many decimals as the bound with the most.
    Random {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
        /// Decimals written.
        decimals: usize,
    },
    /// `walk(START,STEP,MIN,MAX)`: moves by up to STEP either way each message, kept within
    /// MIN and MAX.
    Walk {
        /// The value now.
        value: f64,
        /// The largest move.
        step: f64,
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
        /// Decimals written.
        decimals: usize,
    },
    /// `sine(PERIOD_S,AMPLITUDE)` or `sine(PERIOD_S,AMPLITUDE,OFFSET)`: OFFSET + AMPLITUDE ×
    /// sin(2π t / PERIOD_S), t the seconds since the simulation started.
    Sine {
        /// Seconds for one full wave.
        period_secs: f64,
        /// Height of the wave above and below the offset.
        amplitude: f64,
        /// The wave's middle.
        offset: f64,
        /// Decimals written.
        decimals: usize,
    },
    /// `choice(A,B,…)`: one of the items, each as likely, written as typed.
    Choice(Vec<String>),
    /// `timestamp` (epoch milliseconds) or `timestamp(rfc3339)`.
    Timestamp(TimeFormat),
}

/// What a generator needs to make its next value.
pub struct Now<'a> {
    /// Seconds since the simulation started.
    pub elapsed_secs: f64,
    /// Milliseconds since 1970, UTC.
    pub epoch_ms: i64,
    /// The random source.
    pub rng: &'a mut fastrand::Rng,
}

impl Generator {
    /// Write the next value to `out`, moving the generator's state on.
    pub fn next_into(&mut self, out: &mut String, now: &mut Now<'_>) {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = match self {
            Self::Counter { next, step } => {
                let value = *next;
                *next = next.wrapping_add(*step);
                write!(out, "{value}")
            }
            Self::Random { min, max, decimals } => {
                let value = if *decimals == 0 {
                    now.rng.i64(*min as i64..=*max as i64) as f64
                } else {
                    *min + now.rng.f64() * (*max - *min)
                };
                write!(out, "{value:.prec$}", prec = *decimals)
            }
            Self::Walk {
                value,
                step,
                min,
                max,
                decimals,
            } => {
                let moved = *value + (now.rng.f64() * 2.0 - 1.0) * *step;
                *value = moved.clamp(*min, *max);
                write!(out, "{:.prec$}", *value, prec = *decimals)
            }
            Self::Sine {
                period_secs,
                amplitude,
                offset,
                decimals,
            } => {
                let value = *offset + *amplitude * (TAU * now.elapsed_secs / *period_secs).sin();
                write!(out, "{value:.prec$}", prec = *decimals)
            }
            Self::Choice(items) => {
                let index = now.rng.usize(..items.len().max(1));
                out.push_str(items.get(index).map_or("", String::as_str));
                Ok(())
            }
            Self::Timestamp(TimeFormat::EpochMs) => write!(out, "{}", now.epoch_ms),
            Self::Timestamp(TimeFormat::Rfc3339) => {
                out.push_str(&rfc3339(now.epoch_ms));
                Ok(())
            }
        };
    }
}

/// `epoch_ms` as RFC 3339 in UTC with milliseconds.
pub fn rfc3339(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let ms = epoch_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(generator: &mut Generator, count: usize, secs_per_message: f64) -> Vec<f64> {
        let mut rng = fastrand::Rng::with_seed(7);
        (0..count)
            .map(|i| {
                let mut out = String::new();
                let mut now = Now {
                    elapsed_secs: i as f64 * secs_per_message,
                    epoch_ms: 0,
                    rng: &mut rng,
                };
                generator.next_into(&mut out, &mut now);
                out.parse().unwrap_or(f64::NAN)
            })
            .collect()
    }

    #[test]
    fn a_counter_counts_by_its_step() {
        let mut counter = Generator::Counter { next: 5, step: 2 };
        assert_eq!(values(&mut counter, 4, 1.0), [5.0, 7.0, 9.0, 11.0]);
    }

    #[test]
    fn a_random_value_stays_in_its_range_with_its_decimals() {
        let mut random = Generator::Random {
            min: -2.5,
            max: 3.0,
            decimals: 1,
        };
        let all = values(&mut random, 5000, 1.0);
        assert!(all.iter().all(|v| (-2.5..=3.0).contains(v)), "{all:?}");
        assert!(all.iter().any(|v| v.fract() != 0.0));
        let mut whole = Generator::Random {
            min: 1.0,
            max: 6.0,
            decimals: 0,
        };
        let all = values(&mut whole, 5000, 1.0);
        assert!(all.iter().all(|v| (1.0..=6.0).contains(v) && v.fract() == 0.0));
        assert!(all.contains(&1.0) && all.contains(&6.0), "both ends are reached");
    }

    #[test]
    fn a_random_walk_keeps_to_its_bounds_and_its_step() {
        let mut walk = Generator::Walk {
            value: 20.0,
            step: 0.5,
            min: 18.0,
            max: 22.0,
            decimals: 3,
        };
        let all = values(&mut walk, 10_000, 1.0);
        assert!(all.iter().all(|v| (18.0..=22.0).contains(v)));
        assert!(all.windows(2).all(|w| (w[1] - w[0]).abs() <= 0.5 + 1e-3));
        assert!(
            all.iter().any(|v| *v < 19.0) && all.iter().any(|v| *v > 21.0),
            "it walks"
        );
    }

    #[test]
    fn a_sine_repeats_after_its_period_within_its_amplitude() {
        let mut sine = Generator::Sine {
            period_secs: 60.0,
            amplitude: 10.0,
            offset: 50.0,
            decimals: 6,
        };
        // One value a second for two periods.
        let all = values(&mut sine, 121, 1.0);
        assert!(all.iter().all(|v| (40.0 - 1e-6..=60.0 + 1e-6).contains(v)));
        assert!((all[0] - 50.0).abs() < 1e-6);
        assert!((all[15] - 60.0).abs() < 1e-6, "a quarter period is the top");
        assert!((all[45] - 40.0).abs() < 1e-6, "three quarters the bottom");
        for i in 0..60 {
            assert!(
                (all[i] - all[i + 60]).abs() < 1e-6,
                "value {i} comes back a period later"
            );
        }
    }

    #[test]
    fn a_choice_gives_only_its_items() {
        let mut choice = Generator::Choice(vec!["ON".into(), "OFF".into()]);
        let mut rng = fastrand::Rng::with_seed(1);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..200 {
            let mut out = String::new();
            let mut now = Now {
                elapsed_secs: 0.0,
                epoch_ms: 0,
                rng: &mut rng,
            };
            choice.next_into(&mut out, &mut now);
            seen.insert(out);
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["OFF", "ON"]);
    }

    #[test]
    fn timestamps_are_written_as_epoch_ms_or_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
        let mut out = String::new();
        let mut rng = fastrand::Rng::with_seed(1);
        let mut now = Now {
            elapsed_secs: 0.0,
            epoch_ms: 1_700_000_000_123,
            rng: &mut rng,
        };
        Generator::Timestamp(TimeFormat::EpochMs).next_into(&mut out, &mut now);
        assert_eq!(out, "1700000000123");
    }
}
