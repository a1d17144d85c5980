/* gen_planted.h - the structure planted in the demo company on purpose, for later features
 * (scorecards, funnels, predictions, territory design, coaching) to find. Every effect is
 * named here with its size, picked by structure (not by the seed) so that the same seats,
 * people and territories carry it for every seed, and described in docs/demo-data.md. */
#ifndef ATTAIN_GEN_PLANTED_H
#define ATTAIN_GEN_PLANTED_H

#include "gen/gen_world.h"

/* The seats of the planted reps: the second account executive of these teams. */
#define PLANT_MANY_CALLS_TEAM "AE-US-WEST-MM-1"
#define PLANT_EARLY_ADVANCER_TEAM "AE-US-EAST-MM-1"
/* The unbalanced territories: the first territory of these cells (area-segment). */
#define PLANT_OVER_CELL "AE-US-CENTRAL-SMB"
#define PLANT_UNDER_CELL "AE-UKI-MM"
#define PLANT_OVER_ACCOUNTS_PERMILLE 4000  /* 4x the accounts of its peers */
#define PLANT_UNDER_ACCOUNTS_PERMILLE 250  /* a quarter */

/* The many-calls rep: 3x the calls of a typical rep; of their calls and conversations only
 * 6% are meaningful (others about 30%), and their contacts are senior (director and up) 8%
 * of the time (others about 40%). */
#define PLANT_CALLS_PERMILLE 3000
#define PLANT_CALLS_MEANINGFUL_PPM 60000
#define PLANT_CALLS_SENIOR_PPM 80000

/* The early-stage advancer: early advances (prospecting to proposal) x1.3, late ones
 * (proposal to negotiation, negotiation to won) x0.4. */
#define PLANT_EARLY_PERMILLE 1300
#define PLANT_LATE_PERMILLE 400

/* Scorecard points that drive winning: an answer "yes" multiplies each later advance
 * (proposal -> negotiation -> won) by yes_permille, "no" by no_permille. */
#define PLANT_CHAMPION_YES 1300
#define PLANT_CHAMPION_NO 780
#define PLANT_EVENT_YES 1250
#define PLANT_EVENT_NO 800
#define PLANT_PROCESS_YES 1250
#define PLANT_PROCESS_NO 800
#define PLANT_BUYER_YES 1100 /* a weaker driver */
#define PLANT_BUYER_NO 920

/* Outlier deals: won new-business deals, 10x the seats. */
#define PLANT_OUTLIER_PPM 8000
#define PLANT_OUTLIER_PERMILLE 10000

/* Cancellations: this share of won new-business and expansion deals is cancelled; half of
 * those after 75 to 150 days, when invoices have been paid (clawback material). */
#define PLANT_CANCEL_PPM 30000
#define PLANT_CANCEL_LATE_PPM 500000

/* Picks the seats of the planted reps and the expansion seats (gen_org_build). */
void gen_planted_pick_seats(gen_world *w);
/* Marks the people sitting in planted seats when the window opens. */
void gen_planted_mark_people(gen_world *w);
/* Finds a team by id, -1 when absent. */
int gen_team_find(const gen_world *w, const char *id);

#endif
