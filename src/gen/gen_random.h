/* gen_random.h - the generator's own random numbers: splitmix64 to seed, xoshiro256** to draw.
 *
 * Every subject (people, accounts, one opportunity, one account's month of usage ...) gets its
 * own stream, seeded from (seed, subject name, index), so that changing how many numbers one
 * part draws never shifts another part. Integer math only: probabilities are in parts per
 * million, spreads come from a table of normal quantiles and a fixed-point exp. Nothing here
 * depends on the platform, the clock or the C library's rand(). */
#ifndef ATTAIN_GEN_RANDOM_H
#define ATTAIN_GEN_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

/* splitmix64: one step of the seeding mixer (also a good 64-bit hash finaliser). */
uint64_t gen_splitmix64(uint64_t *state);
/* A stream for (seed, subject, index). */
void gen_rng_seed(gen_rng *rng, uint64_t seed, const char *subject, uint64_t index);
/* A stream for (seed, subject, index, sub): e.g. one subscription line in one month. */
void gen_rng_seed2(gen_rng *rng, uint64_t seed, const char *subject, uint64_t index,
                   uint64_t sub);

uint64_t gen_next(gen_rng *rng);
/* Uniform in [0, n) without bias (n > 0). */
uint32_t gen_below(gen_rng *rng, uint32_t n);
/* Uniform in [lo, hi], both included (lo <= hi). */
int64_t gen_range(gen_rng *rng, int64_t lo, int64_t hi);
/* True with probability ppm / 1,000,000 (ppm >= 1,000,000 is always true, <= 0 never). */
bool gen_chance(gen_rng *rng, int64_t ppm);
/* An index drawn with the given weights (non-negative, not all zero). */
size_t gen_pick_weighted(gen_rng *rng, const uint32_t *weights, size_t n);
/* A log-normal multiplier in per-mille: exp(sigma * z) * 1000 with z standard normal (64
 * quantile buckets, uniform within), sigma in per-mille (500 = 0.5). Median 1000. */
int64_t gen_lognormal_permille(gen_rng *rng, int64_t sigma_permille);
/* A count with mean mean_milli / 1000 (triangular spread from 0 to twice the mean). */
int64_t gen_count(gen_rng *rng, int64_t mean_milli);
/* exp(x / 1e9) * 1e9 for |x| <= 20e9, fixed point (exposed for tests). */
int64_t gen_exp_nano(int64_t x_nano);

#endif
