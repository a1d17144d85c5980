/* gen_names.h - the generator's word lists: regions, areas, countries and real cities (with
 * coordinates), personal names by culture, company-name parts, industries, job titles. Pure
 * data and small helpers that turn random numbers into plausible text. */
#ifndef ATTAIN_GEN_NAMES_H
#define ATTAIN_GEN_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "gen/gen_random.h"

enum { GEN_REGION_NA = 0, GEN_REGION_EMEA, GEN_REGION_APAC, GEN_REGION_COUNT };
enum { GEN_CUR_USD = 0, GEN_CUR_EUR, GEN_CUR_GBP, GEN_CUR_COUNT };
enum { GEN_SEG_SMB = 0, GEN_SEG_MM, GEN_SEG_ENT, GEN_SEG_COUNT };

typedef struct gen_region_info {
    const char *code;  /* "NA" */
    const char *name;  /* "North America" */
    int currency;      /* pay currency of most people there */
    int utc_offset_h;  /* business hours are shifted by this to UTC */
} gen_region_info;

typedef struct gen_area_info {
    const char *code;      /* "US-WEST" */
    const char *name;      /* "US West" */
    int region;
    const char *countries; /* "US" or "GB|IE" */
    const char *states;    /* "CA|WA|OR|..." or NULL */
    int weight;            /* share of the region's sellers, percent */
} gen_area_info;

typedef struct gen_city {
    const char *name;
    const char *state;   /* "" outside the US and Canada */
    const char *country; /* ISO 3166 alpha-2 */
    int area;            /* index into gen_areas */
    int32_t lat, lon;    /* micro-degrees */
    int weight;
} gen_city;

typedef struct gen_segment_info {
    const char *code; /* "SMB" */
    const char *name; /* "Small Business" */
    int64_t employees_lo, employees_hi;
} gen_segment_info;

extern const gen_region_info gen_regions[GEN_REGION_COUNT];
extern const gen_area_info gen_areas[];
extern const size_t gen_area_count;
extern const gen_city gen_cities[];
extern const size_t gen_city_count;
extern const gen_segment_info gen_segments[GEN_SEG_COUNT];
extern const char *const gen_currency_codes[GEN_CUR_COUNT];

extern const char *const gen_industries[];
extern const size_t gen_industry_count;

/* The currency of accounts in a country (GB: GBP, euro countries and the rest of Europe: EUR,
 * elsewhere USD). */
int gen_country_currency(const char *country);

/* A person's name for a country's culture: "Ana García". */
void gen_person_name(gen_rng *rng, const char *country, char *first, size_t first_size,
                     char *last, size_t last_size);
/* A company name: "Bluefin Logistics GmbH" (the suffix follows the country). */
void gen_company_name(gen_rng *rng, int industry, const char *country, char *buf, size_t size);
/* "firstname.lastname" lower-cased, ASCII only (accents folded), for e-mail addresses. */
void gen_email_local(const char *first, const char *last, char *buf, size_t size);

/* Contact seniority: 0 c_level .. 4 staff, 5 unknown */
enum { GEN_SEN_C = 0, GEN_SEN_VP, GEN_SEN_DIR, GEN_SEN_MGR, GEN_SEN_STAFF, GEN_SEN_UNKNOWN,
       GEN_SEN_COUNT };
extern const char *const gen_seniority_names[GEN_SEN_COUNT];
const char *gen_contact_title(gen_rng *rng, int seniority);

#endif
