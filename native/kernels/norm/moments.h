// Count, mean and sum of squared deviations (m2) of a set of values, in
// double, and how the moments of two sets combine (the pairwise update of
// Chan, Golub and LeVeque), so statistics of blocks of data merge without the
// cancellation of Σx² − (Σx)²/n. Header functions have internal linkage: this
// file is also compiled with AVX flags, and those copies must never replace
// the portable ones at link time.
#pragma once

namespace dendrite {

struct Moments {
  double count = 0.0, mean = 0.0, m2 = 0.0;
};

// The moments of the union of the two sets.
static inline Moments merge_moments(const Moments& a, const Moments& b) {
  if (b.count == 0.0) return a;
  if (a.count == 0.0) return b;
  const double count = a.count + b.count, delta = b.mean - a.mean;
  return {count, a.mean + delta * (b.count / count), a.m2 + b.m2 + delta * delta * (a.count / count * b.count)};
}

// The moments of `count` values from sums taken about `shift`: Σ(x − shift)
// and Σ(x − shift)². Shifting by a value of the set keeps both sums small, so
// their difference loses nothing when the mean is large against the spread.
static inline Moments moments_from_shifted_sums(double count, double shift, double sum, double sum_squares) {
  if (count == 0.0) return {};
  const double m2 = sum_squares - sum * (sum / count);
  return {count, shift + sum / count, m2 > 0.0 ? m2 : 0.0};
}

// Population variance m2 / count (0 for an empty set).
static inline double biased_variance(const Moments& m) { return m.count > 0.0 ? m.m2 / m.count : 0.0; }

}  // namespace dendrite
