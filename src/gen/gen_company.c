/* gen_company.c - the demo company's reference data: settings (fiscal year from February,
 * named by the year it ends; base currency USD), monthly exchange rates, the product
 * catalogue and the opportunity stages. */
#include <stdio.h>

#include "gen/gen_world.h"

#define USD(x) ((at_money)(x) * AT_MONEY_SCALE)

const gen_product gen_products[] = {
    {"PLT-STARTER", "Brightline Platform Starter (per seat-year)", "platform", PK_PLATFORM,
     USD(360), USD(55), true},
    {"PLT-PRO", "Brightline Platform Professional (per seat-year)", "platform", PK_PLATFORM,
     USD(720), USD(105), true},
    {"PLT-ENT", "Brightline Platform Enterprise (per seat-year)", "platform", PK_PLATFORM,
     USD(1200), USD(160), true},
    {"PLT-CLASSIC", "Brightline Classic (retired, per seat-year)", "platform", PK_PLATFORM,
     USD(480), USD(90), false},
    {"ADD-ANALYTICS", "Advanced Analytics (per seat-year)", "add-ons", PK_ADDON, USD(180),
     USD(25), true},
    {"ADD-SECURITY", "Security and Compliance Pack (per seat-year)", "add-ons", PK_ADDON,
     USD(150), USD(20), true},
    {"ADD-AI", "AI Forecasting Assistant (per seat-year)", "add-ons", PK_ADDON, USD(240),
     USD(60), true},
    {"ADD-CONNECT", "Data Connectors (per seat-year)", "add-ons", PK_ADDON, USD(90), USD(12),
     true},
    {"ADD-SANDBOX", "Sandbox Environment (per environment-year)", "add-ons", PK_ADDON,
     USD(6000), USD(900), true},
    {"USG-API", "API Calls (100k-call pack)", "add-ons", PK_USAGE, USD(40), USD(6), true},
    {"USG-STORAGE", "Data Storage (per TB-month)", "add-ons", PK_USAGE, USD(25), USD(9), true},
    {"USG-COMPUTE", "Compute Hours (10-hour pack)", "add-ons", PK_USAGE, USD(15), USD(5), true},
    {"SVC-ONBOARD", "Onboarding Package", "services", PK_SERVICE, USD(8000), USD(5200), true},
    {"SVC-TRAINING", "Training Day", "services", PK_SERVICE, USD(2500), USD(1400), true},
    {"SVC-INTEGRATION", "Custom Integration", "services", PK_SERVICE, USD(20000), USD(13000),
     true},
    {"SVC-PREMIUM", "Premium Support (per year)", "services", PK_ADDON, USD(9000), USD(4000),
     true},
};
const size_t gen_product_count = sizeof gen_products / sizeof gen_products[0];

const char *const gen_stage_ids[GEN_STAGE_COUNT] = {
    "prospecting", "qualification", "discovery", "proposal", "negotiation", "closed_won",
    "closed_lost"};

static void write_settings(gen_world *w)
{
    static const char *const rows[][2] = {
        {"company_name", "Brightline Software, Inc."},
        {"base_currency", "USD"},
        {"fiscal_year_start_month", "2"},
        {"fiscal_year_named_by", "end"},
        {"fiscal_calendar", "months"},
    };
    gen_out_open(&w->out, GF_SETTINGS);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        gen_str(&w->out, GF_SETTINGS, rows[i][0]);
        gen_str(&w->out, GF_SETTINGS, rows[i][1]);
        gen_end(&w->out, GF_SETTINGS);
    }
    gen_out_close(&w->out, GF_SETTINGS);
}

static void write_rates(gen_world *w)
{
    gen_out_open(&w->out, GF_EXCHANGE_RATES);
    for (int c = 1; c < GEN_CUR_COUNT; c++)
        for (int i = 0; i < w->fx_count; i++) {
            int ym = w->fx_first_ym + i;
            gen_str(&w->out, GF_EXCHANGE_RATES, gen_currency_codes[c]);
            gen_str(&w->out, GF_EXCHANGE_RATES, "USD");
            gen_day(&w->out, GF_EXCHANGE_RATES, at_day_from_ymd(ym / 12, ym % 12 + 1, 1));
            gen_rate(&w->out, GF_EXCHANGE_RATES, w->fx_usd[c][i]);
            gen_end(&w->out, GF_EXCHANGE_RATES);
        }
    gen_out_close(&w->out, GF_EXCHANGE_RATES);
}

static void write_products(gen_world *w)
{
    gen_out_open(&w->out, GF_PRODUCTS);
    for (size_t i = 0; i < gen_product_count; i++) {
        const gen_product *p = &gen_products[i];
        gen_str(&w->out, GF_PRODUCTS, p->id);
        gen_str(&w->out, GF_PRODUCTS, p->name);
        gen_str(&w->out, GF_PRODUCTS, p->family);
        gen_money(&w->out, GF_PRODUCTS, p->list_price);
        gen_str(&w->out, GF_PRODUCTS, "USD");
        gen_money(&w->out, GF_PRODUCTS, p->unit_cost);
        gen_bool(&w->out, GF_PRODUCTS, p->active);
        gen_end(&w->out, GF_PRODUCTS);
    }
    gen_out_close(&w->out, GF_PRODUCTS);
}

static void write_stages(gen_world *w)
{
    static const struct {
        const char *name;
        int64_t probability_percent;
        const char *outcome;
    } stages[GEN_STAGE_COUNT] = {
        {"Prospecting", 5, "open"},   {"Qualification", 10, "open"}, {"Discovery", 20, "open"},
        {"Proposal", 40, "open"},     {"Negotiation", 70, "open"},   {"Closed Won", 100, "won"},
        {"Closed Lost", 0, "lost"},
    };
    gen_out_open(&w->out, GF_STAGES);
    for (int i = 0; i < GEN_STAGE_COUNT; i++) {
        gen_str(&w->out, GF_STAGES, gen_stage_ids[i]);
        gen_str(&w->out, GF_STAGES, stages[i].name);
        gen_int(&w->out, GF_STAGES, i + 1);
        gen_rate(&w->out, GF_STAGES, stages[i].probability_percent * (AT_RATE_SCALE / 100));
        gen_str(&w->out, GF_STAGES, stages[i].outcome);
        gen_end(&w->out, GF_STAGES);
    }
    gen_out_close(&w->out, GF_STAGES);
}

at_code gen_company_write(gen_world *w)
{
    write_settings(w);
    write_rates(w);
    write_products(w);
    write_stages(w);
    return w->out.status;
}
