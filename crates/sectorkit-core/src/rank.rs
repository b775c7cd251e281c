//! Ranking and composite scoring of industries, START-toolkit style (METHODS §3).
//!
//! Each factor is ranked separately (rank 1 = best; higher values are better for every default
//! factor), ties get the average of their positions ("fractional", Excel `RANK.AVG`) by default or
//! the lowest position ("competition", Excel `RANK.EQ`) as an option. The composite score is the
//! weighted mean of the ranks, `Σ w_f rank_f / Σ w_f`; lower is better. Industries are ordered by
//! score, ties broken by code.
//!
//! **Missing values** (suppressed without estimate, no projection, …) are never zeros. By default
//! ([`MissingPolicy::Exclude`]) the industry is left out of that factor's ranking and its composite
//! is the weighted mean over the factors it has (`factors_used < factors_weighted` flags this).
//! With [`MissingPolicy::RankLast`] missing values share the bottom ranks.
//!
//! Values within a relative `1e-9` of each other count as ties, so floating noise (e.g. `2.4` vs
//! `2.4000000000000004`) cannot decide an order that the tie rule should decide.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A ranking factor (METHODS §3.1). Higher values are better for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Employment, latest period (region sum).
    Employment,
    /// Average annual pay `ΣW / ΣE`.
    AvgPay,
    /// Historical growth, percent change over the base period.
    HistGrowth,
    /// Projected growth, percent (§6).
    ProjGrowth,
    /// Employment location quotient (§2.1).
    Lq,
}

impl Factor {
    /// The five default factors, in table order.
    pub const ALL: [Factor; 5] = [
        Factor::Employment,
        Factor::AvgPay,
        Factor::HistGrowth,
        Factor::ProjGrowth,
        Factor::Lq,
    ];

    /// Machine name (accepted by `FromStr` together with short aliases).
    pub fn as_str(self) -> &'static str {
        match self {
            Factor::Employment => "employment",
            Factor::AvgPay => "avg_pay",
            Factor::HistGrowth => "hist_growth",
            Factor::ProjGrowth => "proj_growth",
            Factor::Lq => "lq",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Factor::Employment => "Employment",
            Factor::AvgPay => "Average annual pay",
            Factor::HistGrowth => "Historical growth %",
            Factor::ProjGrowth => "Projected growth %",
            Factor::Lq => "Location quotient",
        }
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Factor {
    type Err = WeightsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(
            match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
                "employment" | "emp" | "jobs" => Factor::Employment,
                "avg_pay" | "pay" | "wage" | "wages" | "avg_annual_pay" => Factor::AvgPay,
                "hist_growth" | "hist" | "growth" | "historical" | "historical_growth" => {
                    Factor::HistGrowth
                }
                "proj_growth" | "proj" | "projected" | "projection" | "projected_growth" => {
                    Factor::ProjGrowth
                }
                "lq" | "location_quotient" => Factor::Lq,
                _ => return Err(WeightsError::UnknownFactor(s.trim().to_string())),
            },
        )
    }
}

/// One value per factor.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PerFactor<T> {
    pub employment: T,
    pub avg_pay: T,
    pub hist_growth: T,
    pub proj_growth: T,
    pub lq: T,
}

impl<T> PerFactor<T> {
    /// Builds from a function of the factor.
    pub fn from_fn(mut f: impl FnMut(Factor) -> T) -> PerFactor<T> {
        PerFactor {
            employment: f(Factor::Employment),
            avg_pay: f(Factor::AvgPay),
            hist_growth: f(Factor::HistGrowth),
            proj_growth: f(Factor::ProjGrowth),
            lq: f(Factor::Lq),
        }
    }

    /// The value for `f`.
    pub fn get(&self, f: Factor) -> &T {
        match f {
            Factor::Employment => &self.employment,
            Factor::AvgPay => &self.avg_pay,
            Factor::HistGrowth => &self.hist_growth,
            Factor::ProjGrowth => &self.proj_growth,
            Factor::Lq => &self.lq,
        }
    }

    /// Mutable access.
    pub fn get_mut(&mut self, f: Factor) -> &mut T {
        match f {
            Factor::Employment => &mut self.employment,
            Factor::AvgPay => &mut self.avg_pay,
            Factor::HistGrowth => &mut self.hist_growth,
            Factor::ProjGrowth => &mut self.proj_growth,
            Factor::Lq => &mut self.lq,
        }
    }
}

/// Error parsing or validating user weights.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error("empty weight list: expected e.g. \"employment=0.3,pay=0.3,hist=0.1,proj=0.2,lq=0.1\"")]
    Empty,
    #[error(
        "unknown factor {0:?}: expected employment (emp), avg_pay (pay), hist_growth (hist), \
         proj_growth (proj) or lq"
    )]
    UnknownFactor(String),
    #[error("weight entry {0:?} is not of the form factor=number")]
    Syntax(String),
    #[error("weight {text:?} for {factor} is not a finite, non-negative number")]
    BadNumber { factor: Factor, text: String },
    #[error("factor {0} is weighted twice")]
    Duplicate(Factor),
    #[error("all weights are zero: at least one factor needs a positive weight")]
    AllZero,
}

/// Non-negative factor weights with at least one positive (METHODS §3.2). Need not sum to 1: the
/// composite divides by the sum of the weights it uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PerFactor<f64>", into = "PerFactor<f64>")]
pub struct Weights(PerFactor<f64>);

impl Default for Weights {
    /// Equal weights (RANK-1).
    fn default() -> Self {
        Weights(PerFactor::from_fn(|_| 1.0))
    }
}

impl TryFrom<PerFactor<f64>> for Weights {
    type Error = WeightsError;
    fn try_from(w: PerFactor<f64>) -> Result<Self, Self::Error> {
        Weights::new(w)
    }
}

impl From<Weights> for PerFactor<f64> {
    fn from(w: Weights) -> Self {
        w.0
    }
}

impl Weights {
    /// Validated weights.
    pub fn new(w: PerFactor<f64>) -> Result<Weights, WeightsError> {
        for f in Factor::ALL {
            let x = *w.get(f);
            if !x.is_finite() || x < 0.0 {
                return Err(WeightsError::BadNumber {
                    factor: f,
                    text: x.to_string(),
                });
            }
        }
        if Factor::ALL.iter().all(|&f| *w.get(f) == 0.0) {
            return Err(WeightsError::AllZero);
        }
        Ok(Weights(w))
    }

    /// The weight of `f`.
    pub fn get(&self, f: Factor) -> f64 {
        *self.0.get(f)
    }

    /// The same weights with `f`'s weight multiplied by `m` (sensitivity analysis).
    pub fn scaled(&self, f: Factor, m: f64) -> Weights {
        let mut w = self.0;
        *w.get_mut(f) *= m;
        Weights::new(w).unwrap_or(*self)
    }

    /// Number of factors with a positive weight.
    pub fn weighted_factors(&self) -> u8 {
        Factor::ALL.iter().filter(|&&f| self.get(f) > 0.0).count() as u8
    }
}

impl FromStr for Weights {
    type Err = WeightsError;
    /// Parses `factor=w,factor=w,…` (whitespace allowed; factor names or aliases, see [`Factor`]).
    /// Factors not listed get weight 0.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut w = PerFactor::from_fn(|_| None::<f64>);
        let mut any = false;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            any = true;
            let (name, num) = part
                .split_once('=')
                .ok_or_else(|| WeightsError::Syntax(part.to_string()))?;
            let f: Factor = name.parse()?;
            let x: f64 = num
                .trim()
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| WeightsError::BadNumber {
                    factor: f,
                    text: num.trim().to_string(),
                })?;
            let slot = w.get_mut(f);
            if slot.is_some() {
                return Err(WeightsError::Duplicate(f));
            }
            *slot = Some(x);
        }
        if !any {
            return Err(WeightsError::Empty);
        }
        Weights::new(PerFactor::from_fn(|f| w.get(f).unwrap_or(0.0)))
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Factor::ALL
            .iter()
            .map(|&x| format!("{}={}", x.as_str(), self.get(x)))
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// How tied values are ranked (METHODS §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankMethod {
    /// Ties get the mean of the positions they span: 1, 2.5, 2.5, 4 (Excel `RANK.AVG`).
    #[default]
    Fractional,
    /// Ties get the first position they span: 1, 2, 2, 4 (Excel `RANK.EQ`).
    Competition,
}

/// What a missing factor value does (METHODS §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Left out of that factor's ranking; the composite averages the available factors.
    #[default]
    Exclude,
    /// Ranked after every present value, tied among themselves.
    RankLast,
}

/// Ranking options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RankOptions {
    pub method: RankMethod,
    pub missing: MissingPolicy,
    pub weights: Weights,
    /// N of the "top N" highlight and of the sensitivity report (default 10).
    pub top_n: usize,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            method: RankMethod::Fractional,
            missing: MissingPolicy::Exclude,
            weights: Weights::default(),
            top_n: 10,
        }
    }
}

fn approx_eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Ranks one factor's values, best (highest) = 1 (METHODS §3.2). Output is aligned with the input;
/// missing values get `None` under [`MissingPolicy::Exclude`] or share the bottom ranks under
/// [`MissingPolicy::RankLast`].
pub fn rank_values(
    values: &[Option<f64>],
    method: RankMethod,
    missing: MissingPolicy,
) -> Vec<Option<f64>> {
    let mut present: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|x| !x.is_nan()).map(|x| (i, x)))
        .collect();
    present.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out = vec![None; values.len()];
    let mut i = 0;
    while i < present.len() {
        let mut j = i + 1;
        while j < present.len() && approx_eq(present[j].1, present[i].1) {
            j += 1;
        }
        // Positions i+1 ..= j share one rank.
        let r = match method {
            RankMethod::Fractional => (i + 1 + j) as f64 / 2.0,
            RankMethod::Competition => (i + 1) as f64,
        };
        for p in &present[i..j] {
            out[p.0] = Some(r);
        }
        i = j;
    }
    if missing == MissingPolicy::RankLast {
        let (p, n) = (present.len(), values.len());
        let r = match method {
            RankMethod::Fractional => (p + 1 + n) as f64 / 2.0,
            RankMethod::Competition => (p + 1) as f64,
        };
        for o in out.iter_mut().filter(|o| o.is_none()) {
            *o = Some(r);
        }
    }
    out
}

/// Weighted composite `Σ w_f rank_f / Σ w_f` over the factors that have a rank and a positive
/// weight; `None` if there are none. Returns the composite and the number of factors used.
pub fn composite(ranks: &PerFactor<Option<f64>>, weights: &Weights) -> (Option<f64>, u8) {
    let (mut num, mut den, mut used) = (0.0, 0.0, 0u8);
    for f in Factor::ALL {
        let w = weights.get(f);
        if let (Some(r), true) = (*ranks.get(f), w > 0.0) {
            num += w * r;
            den += w;
            used += 1;
        }
    }
    ((den > 0.0).then(|| num / den), used)
}

/// An industry to rank: its key (code) and factor values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate<K> {
    pub key: K,
    pub values: PerFactor<Option<f64>>,
}

/// The ranking of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked<K> {
    pub key: K,
    /// Rank per factor (`None` = missing and excluded).
    pub ranks: PerFactor<Option<f64>>,
    /// Factors with a value and a positive weight that entered the composite.
    pub factors_used: u8,
    /// Factors with a positive weight; `factors_used < factors_weighted` flags missing values.
    pub factors_weighted: u8,
    /// Composite score (lower = better).
    pub score: Option<f64>,
    /// 1-based place by score, ties broken by key; `None` without score.
    pub position: Option<usize>,
    /// Within the top N by position (§3.3).
    pub top_n: bool,
    /// Value strictly above the median of the present values, per factor (§3.3).
    pub above_median: PerFactor<bool>,
    /// Rank ≤ ceil(n/3) among the n present values, per factor (§3.3).
    pub top_third: PerFactor<bool>,
}

/// Orders candidate indices by score (ascending), ties (within `1e-9`) broken by key; candidates
/// without score are left out.
fn order_by_score<K: Ord>(keys: &[&K], scores: &[Option<f64>]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).filter(|&i| scores[i].is_some()).collect();
    idx.sort_by(|&a, &b| {
        scores[a]
            .unwrap_or(f64::INFINITY)
            .total_cmp(&scores[b].unwrap_or(f64::INFINITY))
            .then_with(|| keys[a].cmp(keys[b]))
    });
    // Re-sort each run of near-equal scores by key.
    let mut i = 0;
    while i < idx.len() {
        let s0 = scores[idx[i]].unwrap_or(f64::INFINITY);
        let mut j = i + 1;
        while j < idx.len() && approx_eq(scores[idx[j]].unwrap_or(f64::INFINITY), s0) {
            j += 1;
        }
        idx[i..j].sort_by(|&a, &b| keys[a].cmp(keys[b]));
        i = j;
    }
    idx
}

/// Ranks candidates on every factor, combines the ranks and applies the highlight rules
/// (METHODS §3.2–§3.3). Output is aligned with the input; [`Ranked::position`] gives the order.
pub fn rank<K: Ord + Clone>(candidates: &[Candidate<K>], opts: &RankOptions) -> Vec<Ranked<K>> {
    let per_factor: PerFactor<Vec<Option<f64>>> = PerFactor::from_fn(|f| {
        let vals: Vec<Option<f64>> = candidates.iter().map(|c| *c.values.get(f)).collect();
        rank_values(&vals, opts.method, opts.missing)
    });
    let medians: PerFactor<Vec<bool>> = PerFactor::from_fn(|f| {
        let vals: Vec<Option<f64>> = candidates.iter().map(|c| *c.values.get(f)).collect();
        above_median(&vals)
    });
    let thirds: PerFactor<Vec<bool>> = PerFactor::from_fn(|f| {
        let vals: Vec<Option<f64>> = candidates.iter().map(|c| *c.values.get(f)).collect();
        top_third(&vals, opts.method)
    });
    let weighted = opts.weights.weighted_factors();
    let mut out: Vec<Ranked<K>> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ranks = PerFactor::from_fn(|f| per_factor.get(f)[i]);
            let (score, used) = composite(&ranks, &opts.weights);
            // With RankLast a missing value has a rank but is not a value: count real values.
            let used = match opts.missing {
                MissingPolicy::Exclude => used,
                MissingPolicy::RankLast => Factor::ALL
                    .iter()
                    .filter(|&&f| opts.weights.get(f) > 0.0 && c.values.get(f).is_some())
                    .count() as u8,
            };
            Ranked {
                key: c.key.clone(),
                ranks,
                factors_used: used,
                factors_weighted: weighted,
                score,
                position: None,
                top_n: false,
                above_median: PerFactor::from_fn(|f| medians.get(f)[i]),
                top_third: PerFactor::from_fn(|f| thirds.get(f)[i]),
            }
        })
        .collect();
    let keys: Vec<&K> = candidates.iter().map(|c| &c.key).collect();
    let scores: Vec<Option<f64>> = out.iter().map(|r| r.score).collect();
    for (pos, &i) in order_by_score(&keys, &scores).iter().enumerate() {
        out[i].position = Some(pos + 1);
        out[i].top_n = pos < opts.top_n;
    }
    out
}

/// Keys in ranked order (by position), for display and tests.
pub fn ordered_keys<K: Clone>(ranked: &[Ranked<K>]) -> Vec<K> {
    let mut v: Vec<&Ranked<K>> = ranked.iter().filter(|r| r.position.is_some()).collect();
    v.sort_by_key(|r| r.position);
    v.into_iter().map(|r| r.key.clone()).collect()
}

/// Median of the present values (mean of the middle two for an even count; METHODS §3.3).
pub fn median(values: &[Option<f64>]) -> Option<f64> {
    let mut v: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|x| !x.is_nan())
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// "Above median" highlight (METHODS §3.3): value strictly greater than the median of the present
/// values. Missing values are never highlighted.
pub fn above_median(values: &[Option<f64>]) -> Vec<bool> {
    let m = median(values);
    values
        .iter()
        .map(|v| matches!((v, m), (Some(x), Some(m)) if *x > m && !approx_eq(*x, m)))
        .collect()
}

/// The "top third" cut-off `ceil(n / 3)` for `n` present values (METHODS §3.3).
pub fn top_third_cutoff(n: usize) -> usize {
    n.div_ceil(3)
}

/// "Top third" highlight (METHODS §3.3): rank ≤ ceil(n/3) among the n present values, ranked with
/// `method`. Missing values are never highlighted.
pub fn top_third(values: &[Option<f64>], method: RankMethod) -> Vec<bool> {
    let n = values
        .iter()
        .filter(|v| v.is_some_and(|x| !x.is_nan()))
        .count();
    let cut = top_third_cutoff(n) as f64;
    rank_values(values, method, MissingPolicy::Exclude)
        .into_iter()
        .map(|r| r.is_some_and(|r| r <= cut))
        .collect()
}

/// One re-weighting of the sensitivity report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityCase<K> {
    pub factor: Factor,
    /// 0.5 or 1.5.
    pub multiplier: f64,
    /// The top N under the re-weighting, in order.
    pub top: Vec<K>,
    /// How many members of the baseline top N are not in this top N.
    pub changed: usize,
}

/// How stable the top N is when each factor's weight is halved or increased by half.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity<K> {
    pub top_n: usize,
    pub baseline: Vec<K>,
    pub cases: Vec<SensitivityCase<K>>,
}

impl<K> Sensitivity<K> {
    /// The largest number of changed members over all cases.
    pub fn max_changed(&self) -> usize {
        self.cases.iter().map(|c| c.changed).max().unwrap_or(0)
    }
}

/// Sensitivity report: for each factor and multiplier ×0.5 and ×1.5, re-computes the composite
/// with that factor's weight scaled and counts how many of the baseline top N drop out. Per-factor
/// ranks do not depend on weights, so they are computed once.
pub fn sensitivity<K: Ord + Clone>(
    candidates: &[Candidate<K>],
    opts: &RankOptions,
) -> Sensitivity<K> {
    sensitivity_of_ranked(&rank(candidates, opts), opts)
}

/// [`sensitivity`] from an existing [`rank`] result (avoids ranking twice).
pub fn sensitivity_of_ranked<K: Ord + Clone>(
    ranked: &[Ranked<K>],
    opts: &RankOptions,
) -> Sensitivity<K> {
    let keys: Vec<&K> = ranked.iter().map(|r| &r.key).collect();
    let top_of = |w: &Weights| -> Vec<usize> {
        let scores: Vec<Option<f64>> = ranked.iter().map(|r| composite(&r.ranks, w).0).collect();
        let mut o = order_by_score(&keys, &scores);
        o.truncate(opts.top_n);
        o
    };
    let base = top_of(&opts.weights);
    let mut cases = Vec::new();
    for f in Factor::ALL {
        for m in [0.5, 1.5] {
            let top = top_of(&opts.weights.scaled(f, m));
            let changed = base.iter().filter(|i| !top.contains(i)).count();
            cases.push(SensitivityCase {
                factor: f,
                multiplier: m,
                top: top.iter().map(|&i| ranked[i].key.clone()).collect(),
                changed,
            });
        }
    }
    Sensitivity {
        top_n: opts.top_n,
        baseline: base.iter().map(|&i| ranked[i].key.clone()).collect(),
        cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The METHODS §3.2 example table.
    fn example() -> Vec<Candidate<&'static str>> {
        let row = |key, e: f64, p: f64, h: f64, pr: f64, lq: f64| Candidate {
            key,
            values: PerFactor {
                employment: Some(e),
                avg_pay: Some(p),
                hist_growth: Some(h),
                proj_growth: Some(pr),
                lq: Some(lq),
            },
        };
        vec![
            row("A", 5_000.0, 40_000.0, 5.0, 8.0, 1.2),
            row("B", 3_000.0, 60_000.0, 10.0, 4.0, 0.8),
            row("C", 3_000.0, 50_000.0, -2.0, 6.0, 2.5),
            row("D", 1_000.0, 80_000.0, 10.0, 12.0, 0.5),
        ]
    }

    fn scores(r: &[Ranked<&str>]) -> Vec<f64> {
        r.iter()
            .map(|x| (x.score.unwrap() * 1e6).round() / 1e6)
            .collect()
    }

    #[test]
    fn fractional_ranks_of_the_example() {
        let r = rank(&example(), &RankOptions::default());
        let f = |g: fn(&PerFactor<Option<f64>>) -> Option<f64>| -> Vec<f64> {
            r.iter().map(|x| g(&x.ranks).unwrap()).collect()
        };
        assert_eq!(f(|p| p.employment), [1.0, 2.5, 2.5, 4.0]);
        assert_eq!(f(|p| p.avg_pay), [4.0, 2.0, 3.0, 1.0]);
        assert_eq!(f(|p| p.hist_growth), [3.0, 1.5, 4.0, 1.5]);
        assert_eq!(f(|p| p.proj_growth), [2.0, 4.0, 3.0, 1.0]);
        assert_eq!(f(|p| p.lq), [2.0, 3.0, 1.0, 4.0]);
    }

    #[test]
    #[allow(non_snake_case)]
    fn RANK_1() {
        let r = rank(&example(), &RankOptions::default());
        assert_eq!(scores(&r), [2.4, 2.6, 2.7, 2.3]);
        assert_eq!(ordered_keys(&r), ["D", "A", "B", "C"]);
        assert!(
            r.iter()
                .all(|x| x.factors_used == 5 && x.factors_weighted == 5)
        );
    }

    #[test]
    #[allow(non_snake_case)]
    fn RANK_2() {
        let opts = RankOptions {
            method: RankMethod::Competition,
            ..RankOptions::default()
        };
        let r = rank(&example(), &opts);
        assert_eq!(scores(&r), [2.4, 2.4, 2.6, 2.2]);
        // A and B tie on score; the tie is broken by code.
        assert_eq!(ordered_keys(&r), ["D", "A", "B", "C"]);
        assert_eq!(r[0].score, r[1].score);
    }

    #[test]
    #[allow(non_snake_case)]
    fn RANK_3() {
        let weights: Weights = "emp=.3, pay=.3, hist=.1, proj=.2, lq=.1".parse().unwrap();
        let opts = RankOptions {
            weights,
            ..RankOptions::default()
        };
        let r = rank(&example(), &opts);
        assert_eq!(scores(&r), [2.4, 2.6, 2.75, 2.25]);
        assert_eq!(ordered_keys(&r), ["D", "A", "B", "C"]);
    }

    #[test]
    fn top_n_highlight() {
        let opts = RankOptions {
            top_n: 2,
            ..RankOptions::default()
        };
        let r = rank(&example(), &opts);
        let top: Vec<&str> = r.iter().filter(|x| x.top_n).map(|x| x.key).collect();
        assert_eq!(top, ["A", "D"]);
    }

    #[test]
    #[allow(non_snake_case)]
    fn HILITE_1() {
        let emp = [Some(5_000.0), Some(3_000.0), Some(3_000.0), Some(1_000.0)];
        assert_eq!(median(&emp), Some(3_000.0));
        assert_eq!(above_median(&emp), [true, false, false, false]);
        let r = rank(&example(), &RankOptions::default());
        let hi: Vec<&str> = r
            .iter()
            .filter(|x| x.above_median.employment)
            .map(|x| x.key)
            .collect();
        assert_eq!(hi, ["A"]);
    }

    #[test]
    #[allow(non_snake_case)]
    fn HILITE_2() {
        assert_eq!(top_third_cutoff(4), 2);
        let r = rank(&example(), &RankOptions::default());
        let pay: Vec<&str> = r
            .iter()
            .filter(|x| x.top_third.avg_pay)
            .map(|x| x.key)
            .collect();
        assert_eq!(pay, ["B", "D"]);
        // Ties: fractional employment ranks 1, 2.5, 2.5, 4 → only A is ≤ 2.
        let emp = [Some(5_000.0), Some(3_000.0), Some(3_000.0), Some(1_000.0)];
        assert_eq!(
            top_third(&emp, RankMethod::Fractional),
            [true, false, false, false]
        );
        assert_eq!(
            top_third(&emp, RankMethod::Competition),
            [true, true, true, false]
        );
    }

    #[test]
    fn missing_values_are_excluded_not_zero() {
        let mut c = example();
        c[3].values.proj_growth = None; // D has no projection
        let r = rank(&c, &RankOptions::default());
        assert_eq!(r[3].ranks.proj_growth, None);
        assert_eq!(r[3].factors_used, 4);
        // Remaining projections A 8, B 4, C 6 → A 1, C 2, B 3.
        assert_eq!(r[0].ranks.proj_growth, Some(1.0));
        // D's composite = mean of its 4 ranks (4 + 1 + 1.5 + 4) / 4.
        assert_eq!(r[3].score, Some(2.625));
        assert!(!r[3].top_third.proj_growth && !r[3].above_median.proj_growth);

        let last = RankOptions {
            missing: MissingPolicy::RankLast,
            ..RankOptions::default()
        };
        let r = rank(&c, &last);
        assert_eq!(r[3].ranks.proj_growth, Some(4.0));
        assert_eq!(r[3].factors_used, 4);
    }

    #[test]
    fn weights_parse_and_errors() {
        let w: Weights = "lq=2".parse().unwrap();
        assert_eq!(w.get(Factor::Lq), 2.0);
        assert_eq!(w.get(Factor::Employment), 0.0);
        assert_eq!(w.weighted_factors(), 1);
        assert_eq!("".parse::<Weights>().unwrap_err(), WeightsError::Empty);
        assert!(matches!(
            "size=1".parse::<Weights>(),
            Err(WeightsError::UnknownFactor(s)) if s == "size"
        ));
        assert!(matches!(
            "lq=-1".parse::<Weights>(),
            Err(WeightsError::BadNumber { .. })
        ));
        assert!(matches!(
            "lq=1,lq=2".parse::<Weights>(),
            Err(WeightsError::Duplicate(Factor::Lq))
        ));
        assert_eq!(
            "lq=0".parse::<Weights>().unwrap_err(),
            WeightsError::AllZero
        );
        assert!(matches!(
            "lq".parse::<Weights>(),
            Err(WeightsError::Syntax(_))
        ));
        let round: Weights = Weights::default().to_string().parse().unwrap();
        assert_eq!(round, Weights::default());
    }

    #[test]
    fn sensitivity_report() {
        let opts = RankOptions {
            top_n: 2,
            ..RankOptions::default()
        };
        let s = sensitivity(&example(), &opts);
        assert_eq!(s.baseline, ["D", "A"]);
        assert_eq!(s.cases.len(), 10);
        // Every case keeps N members.
        for c in &s.cases {
            assert_eq!(c.top.len(), 2);
            assert!(c.changed <= 2);
        }
        // Halving employment: A 2.556, B 2.611, C 2.722, D 2.111 → D, A unchanged.
        let half_emp = s
            .cases
            .iter()
            .find(|c| c.factor == Factor::Employment && c.multiplier == 0.5)
            .unwrap();
        assert_eq!(half_emp.top, ["D", "A"]);
        assert_eq!(half_emp.changed, 0);
        // Raising pay ×1.5: A 2.545, B 2.545, C 2.727, D 2.182 → D, then A/B tie by code → A.
        let pay = s
            .cases
            .iter()
            .find(|c| c.factor == Factor::AvgPay && c.multiplier == 1.5)
            .unwrap();
        assert_eq!(pay.top, ["D", "A"]);
        assert_eq!(
            s.max_changed(),
            s.cases.iter().map(|c| c.changed).max().unwrap()
        );
    }

    proptest! {
        #[test]
        fn fractional_ranks_sum_to_triangular_number(
            vals in proptest::collection::vec(proptest::option::of(0i32..20), 0..40),
        ) {
            let v: Vec<Option<f64>> = vals.iter().map(|x| x.map(f64::from)).collect();
            let r = rank_values(&v, RankMethod::Fractional, MissingPolicy::Exclude);
            let n = v.iter().flatten().count() as f64;
            let sum: f64 = r.iter().flatten().sum();
            prop_assert!((sum - n * (n + 1.0) / 2.0).abs() < 1e-9);
            // Missing values stay unranked.
            for (a, b) in v.iter().zip(&r) {
                prop_assert_eq!(a.is_some(), b.is_some());
            }
            // RankLast ranks everyone and still sums to n(n+1)/2.
            let all = rank_values(&v, RankMethod::Fractional, MissingPolicy::RankLast);
            let m = v.len() as f64;
            let sum: f64 = all.iter().flatten().sum();
            prop_assert!((sum - m * (m + 1.0) / 2.0).abs() < 1e-9);
        }

        #[test]
        fn ranks_respect_value_order(vals in proptest::collection::vec(-1e3f64..1e3, 1..30)) {
            let v: Vec<Option<f64>> = vals.iter().copied().map(Some).collect();
            for method in [RankMethod::Fractional, RankMethod::Competition] {
                let r = rank_values(&v, method, MissingPolicy::Exclude);
                for i in 0..v.len() {
                    for j in 0..v.len() {
                        if vals[i] > vals[j] {
                            prop_assert!(r[i].unwrap() < r[j].unwrap());
                        }
                        if vals[i] == vals[j] {
                            prop_assert_eq!(r[i], r[j]);
                        }
                    }
                }
                let c = rank_values(&v, RankMethod::Competition, MissingPolicy::Exclude);
                let f = rank_values(&v, RankMethod::Fractional, MissingPolicy::Exclude);
                for (a, b) in c.iter().zip(&f) {
                    prop_assert!(a.unwrap() <= b.unwrap());
                }
            }
        }

        #[test]
        fn positions_are_a_permutation(
            vals in proptest::collection::vec((0i32..10, 0i32..10), 1..25),
        ) {
            let cands: Vec<Candidate<usize>> = vals.iter().enumerate().map(|(i, &(a, b))| Candidate {
                key: i,
                values: PerFactor {
                    employment: Some(f64::from(a)), avg_pay: Some(f64::from(b)),
                    hist_growth: None, proj_growth: None, lq: None,
                },
            }).collect();
            let r = rank(&cands, &RankOptions::default());
            let mut pos: Vec<usize> = r.iter().map(|x| x.position.unwrap()).collect();
            pos.sort_unstable();
            prop_assert_eq!(pos, (1..=cands.len()).collect::<Vec<_>>());
            // Ordered by score, ties by key.
            let keys = ordered_keys(&r);
            for w in keys.windows(2) {
                let (a, b) = (&r[w[0]], &r[w[1]]);
                let (sa, sb) = (a.score.unwrap(), b.score.unwrap());
                prop_assert!(sa < sb + 1e-9);
                if (sa - sb).abs() < 1e-9 { prop_assert!(a.key < b.key); }
            }
        }
    }
}
