/* gen_random.c - splitmix64 seeding, xoshiro256** drawing, and the integer distributions the
 * generator samples from (see gen_random.h). */
#include "gen/gen_random.h"

uint64_t gen_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t subject_hash(const char *subject)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)subject; p && *p; p++) {
        h ^= *p;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

void gen_rng_seed2(gen_rng *rng, uint64_t seed, const char *subject, uint64_t index,
                   uint64_t sub)
{
    uint64_t st = seed;
    uint64_t a = gen_splitmix64(&st);
    st = a ^ subject_hash(subject);
    uint64_t b = gen_splitmix64(&st);
    st = b ^ (index * UINT64_C(0xD1342543DE82EF95));
    uint64_t c = gen_splitmix64(&st);
    st = c ^ (sub * UINT64_C(0xAF251AF3B0F025B5)) ^ UINT64_C(0x5851F42D4C957F2D);
    for (int i = 0; i < 4; i++)
        rng->s[i] = gen_splitmix64(&st);
    if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
        rng->s[0] = 1; /* xoshiro's one forbidden state */
}

void gen_rng_seed(gen_rng *rng, uint64_t seed, const char *subject, uint64_t index)
{
    gen_rng_seed2(rng, seed, subject, index, 0);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gen_next(gen_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t gen_below(gen_rng *rng, uint32_t n)
{
    if (n <= 1)
        return 0;
    /* Lemire's multiply-and-reject */
    uint64_t m = (gen_next(rng) >> 32) * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (gen_next(rng) >> 32) * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

int64_t gen_range(gen_rng *rng, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    if (span <= UINT32_MAX)
        return lo + (int64_t)gen_below(rng, (uint32_t)span);
    return lo + (int64_t)(gen_next(rng) % span); /* spans this wide are never used for sampling */
}

bool gen_chance(gen_rng *rng, int64_t ppm)
{
    if (ppm <= 0)
        return false;
    if (ppm >= 1000000)
        return true;
    return (int64_t)gen_below(rng, 1000000) < ppm;
}

size_t gen_pick_weighted(gen_rng *rng, const uint32_t *weights, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    if (total == 0)
        return 0;
    uint64_t r = gen_next(rng) % total;
    for (size_t i = 0; i < n; i++) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return n - 1;
}

/* Standard normal quantiles at (i + 0.5) / 64, in millionths. */
static const int32_t normal_quantiles[64] = {
    -2417559, -1987428, -1761670, -1601009, -1473468, -1366204, -1272699, -1189164,
    -1113194, -1043158, -977898,  -916557,  -858484,  -803173,  -750215,  -699283,
    -650104,  -602449,  -556126,  -510966,  -466825,  -423576,  -381105,  -339312,
    -298102,  -257394,  -217107,  -177170,  -137513,  -98072,   -58783,   -19584,
    19584,    58783,    98072,    137513,   177170,   217107,   257394,   298102,
    339312,   381105,   423576,   466825,   510966,   556126,   602449,   650104,
    699283,   750215,   803173,   858484,   916557,   977898,   1043158,  1113194,
    1189164,  1272699,  1366204,  1473468,  1601009,  1761670,  1987428,  2417559,
};

int64_t gen_exp_nano(int64_t x)
{
    const int64_t one = 1000000000;
    const int64_t ln2 = 693147181; /* ln 2 in nano */
    if (x > 20 * one)
        x = 20 * one;
    if (x < -20 * one)
        x = -20 * one;
    /* x = k ln2 + r, 0 <= r < ln2 */
    int64_t k = x / ln2;
    int64_t r = x - k * ln2;
    if (r < 0) {
        r += ln2;
        k--;
    }
    /* Taylor series of exp(r) at 1e-18 precision */
    const __int128 big = (__int128)1000000000 * 1000000000;
    __int128 term = big, sum = big;
    for (int i = 1; i < 25; i++) {
        term = term * r / one / i;
        sum += term;
        if (term == 0)
            break;
    }
    __int128 v = sum / one; /* nano */
    if (k >= 0)
        v <<= k;
    else
        v >>= -k;
    if (v > INT64_MAX)
        return INT64_MAX;
    return (int64_t)v;
}

int64_t gen_lognormal_permille(gen_rng *rng, int64_t sigma_permille)
{
    uint32_t u = gen_below(rng, 64 * 1024);
    uint32_t bucket = u >> 10, frac = u & 1023;
    /* interpolate toward the next quantile so values fill the gaps between buckets */
    int64_t z = normal_quantiles[bucket];
    if (bucket + 1 < 64)
        z += (int64_t)(normal_quantiles[bucket + 1] - normal_quantiles[bucket]) * frac / 1024 / 2;
    int64_t x_nano = sigma_permille * z; /* (sigma/1000) * (z/1e6) * 1e9 */
    return gen_exp_nano(x_nano) / 1000000;
}

int64_t gen_count(gen_rng *rng, int64_t mean_milli)
{
    if (mean_milli <= 0)
        return 0;
    /* triangular on [0, 2 mean): sum of two uniforms */
    int64_t a = gen_range(rng, 0, mean_milli);
    int64_t b = gen_range(rng, 0, mean_milli);
    int64_t v = a + b; /* milli */
    int64_t whole = v / 1000, rest = v % 1000;
    if ((int64_t)gen_below(rng, 1000) < rest)
        whole++;
    return whole;
}
