/* gen_world.h - the demo company while it is being generated: options and calendar, the
 * org (teams, seats, people and their stints), territories, accounts, products, customer
 * contracts and won deals. Shared by the subject files of src/gen/ (internal: not for other
 * modules). Everything held here is small (per person, per account, per won deal); the
 * high-volume rows (activities, transactions) are written as they are made. */
#ifndef ATTAIN_GEN_WORLD_H
#define ATTAIN_GEN_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"
#include "core/fiscal.h"
#include "core/money.h"
#include "gen/gen.h"
#include "gen/gen_names.h"
#include "gen/gen_out.h"
#include "gen/gen_random.h"

#define GEN_OPEN_END INT32_MAX /* a stint or assignment that has not ended */
#define GEN_LEAD_IN_MONTHS 4   /* pipeline created before the window that is still open in it */

/* ---- roles, functions -------------------------------------------------------------------- */

typedef enum gen_role {
    ROLE_REP = 0, ROLE_SDR, ROLE_MARKETING, ROLE_CSM, ROLE_MANAGER, ROLE_DIRECTOR, ROLE_VP,
    ROLE_SALES_OPS, ROLE_FINANCE, ROLE_EXECUTIVE, ROLE_ADMIN, ROLE_COUNT
} gen_role;
extern const char *const gen_role_names[ROLE_COUNT];

typedef enum gen_function {
    FN_MARKETING = 0, FN_SDR, FN_AE, FN_CSM, FN_SALES_MANAGEMENT, FN_SALES_OPS, FN_FINANCE,
    FN_EXECUTIVE, FN_COUNT
} gen_function;
extern const char *const gen_function_names[FN_COUNT];

/* What a seat does, finer than its role: decides plans, quotas and pipeline behaviour. */
typedef enum gen_seat_kind {
    SK_AE = 0, SK_OVERLAY, SK_SDR, SK_CSM, SK_MARKETING, SK_AE_MANAGER, SK_SDR_MANAGER,
    SK_CSM_MANAGER, SK_MKT_MANAGER, SK_SALES_DIRECTOR, SK_AREA_LEADER, SK_VP_SALES, SK_VP_OTHER,
    SK_EXEC, SK_SALES_OPS, SK_FINANCE, SK_ADMIN, SK_OTHER_DIRECTOR, SK_OTHER_MANAGER, SK_COUNT
} gen_seat_kind;

typedef struct gen_team {
    char id[48];
    char name[96];
    gen_function function;
    int parent; /* -1 for the top */
    int region; /* -1 when global */
    int area, segment;
} gen_team;

typedef struct gen_seat {
    gen_seat_kind kind;
    gen_role role;
    int team;
    int manager_seat; /* -1 for the CEO */
    int region, area, segment; /* -1 when not applicable */
    int territory;             /* AE: the territory owned; overlay: the area territory; -1 */
    const char *title;
    bool pinned;      /* its first occupant stays for the whole window (planted reps) */
    bool open_at_start; /* created empty: filled by the expansion class */
    int *stints;      /* indices into world.stints, in time order */
    int nstints, cap_stints;
} gen_seat;

typedef enum gen_start_kind { START_INITIAL = 0, START_HIRE, START_PROMOTION, START_TRANSFER }
    gen_start_kind;

typedef struct gen_stint {
    int person;
    int seat;
    at_day start, end; /* inclusive; end GEN_OPEN_END while ongoing */
    gen_start_kind how;
} gen_stint;

typedef enum gen_tier { TIER_TOP = 0, TIER_CORE, TIER_LOW } gen_tier;

typedef struct gen_person {
    char first[40], last[48];
    char email[128];
    char country[3];
    int city;
    int currency;
    at_day hire_date;  /* GEN_NO_DAY: employed since before the data starts */
    at_day exit_date;  /* GEN_NO_DAY while employed */
    int exit_reason;   /* index into the reasons; -1 none */
    bool exit_voluntary;
    gen_tier tier;
    int32_t skill_permille; /* productivity multiplier, 1000 = typical */
    int cohort;        /* onboarding class index (-1: hired before the window) */
    bool slow_ramp;    /* in the slow onboarding class */
    int planted;       /* PLANT_* flags */
    int *stints;
    int nstints, cap_stints;
    at_day leave_start, leave_end; /* a leave of absence, GEN_NO_DAY if none */
} gen_person;

/* ---- territories and accounts ------------------------------------------------------------ */

typedef enum gen_territory_level { TL_COMPANY = 0, TL_REGION, TL_AREA, TL_TERRITORY } gen_territory_level;

typedef struct gen_territory {
    char id[48];
    char name[96];
    int parent;
    gen_territory_level level;
    int region, area, segment;
    int seat;          /* owning AE seat for leaf territories, else -1 */
    int split_kind;    /* 0 whole cell, 1 industry group, 2 account range */
    uint32_t industry_mask;
    int64_t first_account, last_account; /* account index range (leaf, range splits) */
    at_money potential; /* USD */
    int64_t accounts;
    int planted;       /* PLANT_TERRITORY_* */
    int named_rule_first; /* moved accounts ("account in" exception rules) */
} gen_territory;

typedef struct gen_account {
    int territory;     /* at the start of the window */
    int territory2;    /* after move_day, or -1 */
    at_day move_day;
    int area, region, segment, industry, city;
    int currency;
    int64_t employees;
    at_money potential;     /* in the account's currency */
    at_money annual_revenue;
    int csm_seat;
    int contract;           /* index into contracts, -1 when never a customer */
    at_day customer_since;  /* first contract start, GEN_NO_DAY when not a customer yet */
    at_day busy_until;      /* an open new-business deal runs until this day */
    int parent;             /* parent account index or -1 */
} gen_account;

/* ---- products ---------------------------------------------------------------------------- */

typedef enum gen_product_kind { PK_PLATFORM = 0, PK_ADDON, PK_USAGE, PK_SERVICE } gen_product_kind;

typedef struct gen_product {
    const char *id;
    const char *name;
    const char *family;
    gen_product_kind kind;
    at_money list_price; /* USD per unit (per seat-year, per pack, per engagement) */
    at_money unit_cost;
    bool active;
} gen_product;

extern const gen_product gen_products[];
extern const size_t gen_product_count;

/* ---- customers --------------------------------------------------------------------------- */

typedef enum gen_billing { BILL_MONTHLY = 0, BILL_QUARTERLY, BILL_ANNUAL } gen_billing;

typedef struct gen_line {
    int product;
    int32_t quantity;
    at_money annual;  /* price a year, account currency */
    at_day start, end; /* end inclusive, GEN_OPEN_END when running */
    int64_t opp;      /* won deal that sold it, -1 for the base installed before the window */
    int next;         /* next line of the same contract, -1 */
} gen_line;

typedef struct gen_contract {
    int account;
    at_day start;       /* first day; renewals fall on its anniversaries */
    at_day end;         /* churn or cancellation: last day; GEN_OPEN_END while active */
    gen_billing billing;
    int first_line;
    int32_t usage_permille; /* how much metered usage this customer has */
} gen_contract;

/* ---- won deals (what transactions are made from) ----------------------------------------- */

typedef enum gen_deal_kind { DEAL_NEW = 0, DEAL_EXPANSION, DEAL_RENEWAL } gen_deal_kind;

typedef struct gen_deal_line {
    int product;
    int32_t quantity;
    at_money unit_price; /* account currency, per unit */
    int32_t discount_permille;
    at_money amount;     /* quantity x price x (1 - discount), cents */
} gen_deal_line;

#define GEN_MAX_DEAL_LINES 6

typedef struct gen_won {
    int64_t opp;          /* opportunity number */
    int account;
    int owner;            /* person */
    int split_person, overlay_person, sdr_person; /* -1 when none */
    int32_t split_permille;
    at_day closed_on;
    at_day cancel_day;    /* GEN_NO_DAY when it stands */
    gen_deal_kind kind;
    int currency;
    int nlines;
    gen_deal_line lines[GEN_MAX_DEAL_LINES];
    int64_t first_tx;     /* transaction number of its first booking line (set while writing) */
} gen_won;

/* ---- planted structure ------------------------------------------------------------------- */

enum {
    PLANT_MANY_CALLS = 1,     /* many calls, few meaningful conversations with senior buyers */
    PLANT_EARLY_ADVANCER = 2, /* advances early stages well, closes poorly */
    PLANT_TERRITORY_OVER = 4, /* territory potential far above one rep's capacity */
    PLANT_TERRITORY_UNDER = 8,/* territory potential far below */
};

/* ---- compensation plans (gen_quota.c assigns them, gen_plans.c writes their documents) ---- */

typedef enum gen_plan_kind {
    GEN_PLAN_AE = 0, GEN_PLAN_SPECIALIST, GEN_PLAN_SDR, GEN_PLAN_CSM, GEN_PLAN_SALES_MANAGER,
    GEN_PLAN_SDR_MANAGER, GEN_PLAN_CSM_MANAGER, GEN_PLAN_DIRECTOR, GEN_PLAN_VP,
    GEN_PLAN_CRO,   /* the Chief Revenue Officer: company bookings */
    GEN_PLAN_CS_VP, /* the VP of Customer Success: the customer success organisation's bookings */
    GEN_PLAN_COUNT
} gen_plan_kind;
/* "AE", "Solutions Specialist", ...: a plan's name is this and the fiscal year, "AE 2026". */
extern const char *const gen_plan_names[GEN_PLAN_COUNT];
#define GEN_PLAN_MAX_YEARS 16 /* fiscal years a window touches: 120 months touch 11 */

/* ---- the world --------------------------------------------------------------------------- */

typedef struct gen_size_params {
    int32_t scale_permille;      /* headcount relative to S */
    int32_t usage_per_customer_milli; /* metered usage orders a month per customer (mean) */
    int32_t base_customer_permille;   /* accounts that are customers when the window opens */
} gen_size_params;

typedef struct gen_world {
    at_gen_options opt;
    gen_size_params p;
    uint64_t seed;
    at_day start, end;        /* the window: first day of the first month, last day of the last */
    at_day pipe_start;        /* lead-in start for the pipeline */
    int months;
    int start_year, start_month;
    at_fiscal_calendar cal;
    at_fiscal_table fiscal;
    gen_out out;

    /* fx: units of USD per 1 unit of currency, per month of [pipe_start - 12, end] */
    int fx_first_ym;         /* year*12 + month-1 of fx_rates[0] */
    int fx_count;
    at_rate *fx_usd[GEN_CUR_COUNT];

    gen_team *teams;
    int nteams, cap_teams;
    gen_seat *seats;
    int nseats, cap_seats;
    gen_person *people;
    int npeople, cap_people;
    gen_stint *stints;
    int nstints, cap_stints;
    int ceo_seat;
    int cro_seat, cs_vp_seat; /* the executives on a plan: Chief Revenue Officer, VP Customer
                                 Success (the CEO and the other executives are not) */
    int cohorts;             /* onboarding classes in the window */
    at_day *cohort_day;      /* first day of each class */
    int slow_cohort;         /* index of the slow-ramping class, -1 if the window is too short */
    int expansion_seats;     /* seats opened empty at the start and filled by the slow class */

    gen_territory *territories;
    int nterritories, cap_territories;
    int region_territory[GEN_REGION_COUNT];
    int *area_territory;     /* per area */
    gen_account *accounts;
    int64_t naccounts;
    int64_t nrules_named;    /* accounts moved at a fiscal year start */

    gen_contract *contracts;
    int64_t ncontracts, cap_contracts;
    gen_line *lines;
    int64_t nlines, cap_lines;

    gen_won *won;
    int64_t nwon, cap_won;
    int64_t nopps;

    /* planted people and territories */
    int plant_many_calls;     /* person index */
    int plant_early_advancer; /* person index */
    int plant_territory_over, plant_territory_under; /* territory index */
    int *sdr_seats_by_region[GEN_REGION_COUNT];
    int nsdr_seats[GEN_REGION_COUNT];
    int *mkt_seats;
    int nmkt_seats;

    /* counters for ids */
    int64_t next_activity, next_response, next_stage_change, next_tx, next_lead, next_handoff;

    /* plans assigned: bit (fiscal year - plan_fy_first) of plan_years[kind] (gen_quota.c) */
    int plan_fy_first;
    uint32_t plan_years[GEN_PLAN_COUNT];
    /* the sourced-bookings quotas of the SDRs under each seat, USD, per window month:
       [seat * months + month] (gen_quota.c; read by gen_plans.c for the team metric) */
    at_money *sdr_team_quota;
} gen_world;

/* ---- shared helpers (gen.c) --------------------------------------------------------------- */

/* Grows an array to hold n + 1 items; false when memory ran out. */
bool gen_grow(void **items, int64_t *cap, int64_t n, size_t item_size);
bool gen_grow_int(void **items, int *cap, int n, size_t item_size);
/* Records an out-of-memory failure in the world's output and returns false. */
bool gen_oom(gen_world *w);
bool gen_ok(const gen_world *w);

/* The person who sits in a seat on a day, or -1. */
int gen_occupant(const gen_world *w, int seat, at_day day);
/* The stint of a seat on a day, or -1. */
int gen_stint_at(const gen_world *w, int seat, at_day day);
/* Who answers for a seat's work on a day: its occupant, else the nearest occupied manager seat. */
int gen_responsible(const gen_world *w, int seat, at_day day);
/* Months (whole, >= 0) between a person's hire and a day; large when hired before the window. */
int gen_tenure_months(const gen_world *w, int person, at_day day);
/* Productivity 0..1000 of a new hire after tenure months: the onboarding ramp. */
int32_t gen_ramp_permille(const gen_world *w, int person, at_day day);
/* Converts an amount between currencies at the month's rate (half-even, to cents). */
at_money gen_convert(const gen_world *w, at_money amount, int from, int to, at_day day);
/* USD price in another currency at the planning rate (the window's first month). */
at_money gen_price_in(const gen_world *w, at_money usd, int currency);
/* The fiscal quarter label ("2026-Q1") of a day. */
void gen_quarter_label(const gen_world *w, at_day day, char *buf, size_t size);
/* Seasonality of closing in a month, per-mille of an average month. */
int32_t gen_season_permille(const gen_world *w, at_day day);
/* A moment in business hours of a region on a day. */
at_time gen_business_time(gen_rng *rng, int region, at_day day);
/* The person id text ("P0000123"). */
void gen_person_id(const gen_world *w, int person, char *buf, size_t size);
/* The first day of month (year, month) shifted by n months. */
at_day gen_month_start(int year, int month, int n);
/* Days in [a, b] inclusive overlap of two ranges, 0 when none. */
int64_t gen_overlap_days(at_day a1, at_day b1, at_day a2, at_day b2);
at_money gen_round_cents(at_money v);
at_money gen_mul_permille(at_money v, int64_t permille);

/* The text of a person's exit reason (gen_org.c). */
const char *gen_exit_reason_text(int reason, bool voluntary);

/* ---- the subjects, in the order gen.c runs them -------------------------------------------- */

at_code gen_company_write(gen_world *w);    /* settings, exchange rates, products, stages */
at_code gen_org_build(gen_world *w);        /* teams, seats, people, stints (in memory) */
at_code gen_territory_build(gen_world *w);  /* territories, accounts (in memory) */
at_code gen_org_write(gen_world *w);        /* teams, people, reporting lines */
at_code gen_territory_write(gen_world *w);  /* territories, rules, accounts, assignments */
at_code gen_customers_build(gen_world *w);  /* the installed base when the window opens */
at_code gen_scorecard_write_templates(gen_world *w);
at_code gen_pipeline_write(gen_world *w);   /* leads ... activities, scorecard responses */
at_code gen_transactions_write(gen_world *w);
at_code gen_quota_write(gen_world *w);      /* quotas, plan assignments */
at_code gen_plans_write(gen_world *w);      /* plans/<name>.yaml for every plan assigned */
at_code gen_metrics_write(gen_world *w);    /* metrics.csv: what the plans' MBOs read */
at_code gen_experience_write(gen_world *w); /* employment events, survey responses */

/* Pipeline helpers shared with activities and scorecards (gen_pipeline.c). */
typedef struct gen_opp_story gen_opp_story;
void gen_activities_for_lead(gen_world *w, gen_rng *rng, int64_t lead, int sdr, int account,
                             at_day from, at_day to, int region, bool qualified);
void gen_activities_for_opp(gen_world *w, gen_rng *rng, const gen_opp_story *s);
void gen_scorecard_for_opp(gen_world *w, gen_rng *rng, const gen_opp_story *s);
void gen_scorecard_for_lead(gen_world *w, gen_rng *rng, int64_t lead, int sdr, at_time when,
                            int seniority, int64_t employees);

/* The opportunity as the pipeline decided it, for the writers of its activities/scorecards. */
#define GEN_STAGE_COUNT 7
enum { ST_PROSPECTING = 0, ST_QUALIFICATION, ST_DISCOVERY, ST_PROPOSAL, ST_NEGOTIATION,
       ST_WON, ST_LOST };
extern const char *const gen_stage_ids[GEN_STAGE_COUNT];

/* Scorecard answers that drive the outcome (decided before the stages are walked). */
typedef struct gen_drivers {
    bool champion, compelling_event, decision_process, economic_buyer;
} gen_drivers;

struct gen_opp_story {
    int64_t opp;
    int account;
    int owner_seat;
    int region;
    gen_deal_kind kind;
    int nstages;                  /* stages entered, in order */
    int stage[8];
    at_time entered[8];           /* when each was entered */
    int people[8];                /* who owned the deal at each entry */
    at_day end_day;               /* closed_on, or the window's end for open deals */
    bool won, lost, open;
    gen_drivers drivers;
    int64_t employees;
};

#endif

/* ---- customers (gen_customers.c) ---------------------------------------------------------- */
#ifndef ATTAIN_GEN_WORLD_CUSTOMERS
#define ATTAIN_GEN_WORLD_CUSTOMERS
int gen_contract_new(gen_world *w, int account, at_day start, gen_rng *rng);
int64_t gen_line_add(gen_world *w, int contract, int product, int32_t quantity, at_money annual,
                     at_day start, int64_t opp);
/* True when the account has a running contract on day. */
bool gen_is_customer(const gen_world *w, int account, at_day day);
/* The product index of an id ("PLT-PRO"), -1 when absent. */
int gen_product_find(const char *id);
/* Fills lines for a first purchase by an account (new business), in account currency. */
int gen_compose_new(gen_world *w, gen_rng *rng, int account, gen_deal_line *lines, bool outlier,
                    bool include_services);
/* The account's name ("Bluefin Logistics GmbH"), from its own random stream. */
void gen_account_name(const gen_world *w, int64_t account, char *buf, size_t size);
#endif
