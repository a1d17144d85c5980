/* checks.h - the rules that need more than one row: spans of time that must not overlap,
 * hierarchies that must not loop, values that must be unique, and a row's value checked against
 * another row (an opportunity's status against its stage, an answer against its question, a
 * cancellation against what it cancels).
 *
 * The model does not know where the other rows are (the file being imported, the database, or
 * both), so the importer passes lookups as callbacks with a context pointer of its own. A
 * lookup that finds nothing returns false; a check then passes, because an unknown reference
 * is reported by reference resolution, once. Checks never allocate unless they say so.
 *
 * Codes: AT_ERR_CONFLICT when rows collide (overlap, loop, duplicate), AT_ERR_INVALID when a
 * row's value does not fit another row. where is left for the caller (file:line) except where
 * a function says otherwise; messages name the columns and values involved. */
#ifndef ATTAIN_MODEL_CHECKS_H
#define ATTAIN_MODEL_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "core/str.h"
#include "model/entity.h"

/* ---- spans that must not overlap ----------------------------------------------------------
 * reporting_lines (per person_id), territory_accounts (per account_id). */

typedef struct at_span {
    at_str owner;      /* whose spans must not overlap: the person's or account's id */
    at_day start;      /* first day, inclusive (AT_DAY_MIN: since the beginning) */
    at_day end;        /* last day, inclusive (AT_DAY_MAX: still in force) */
    const char *where; /* where the row is, for messages ("reporting_lines.csv:12" or
                          "the database"); becomes err->where of a reported overlap */
} at_span;

/* The span of a row: owner, start and end read from the given fields (an empty start is
 * AT_DAY_MIN, an empty end AT_DAY_MAX). */
at_span at_span_of_row(const at_row *row, int owner_field, int start_field, int end_field,
                       const char *where);

/* Sorts spans by owner and start (in place) and adds one AT_ERR_CONFLICT to problems for every
 * span that overlaps an earlier one of the same owner, e.g.
 *   "reporting lines of person_id P-7 overlap: 2024-01-01..2024-12-31 (reporting_lines.csv:3)
 *    and 2024-06-01..(open) (reporting_lines.csv:9)".
 * what names the rows ("reporting lines"), owner_column the owner ("person_id"). *found gets
 * the number of overlaps. Fails only with AT_ERR_NOMEM (the list could not grow). */
at_code at_check_spans_disjoint(at_span *spans, size_t n, const char *what,
                                const char *owner_column, at_error_list *problems,
                                size_t *found);

/* ---- hierarchies that must not loop -------------------------------------------------------
 * teams, territories and accounts (parent_id); reporting lines (manager_id, on every day). */

/* Sets *parent to node's parent and returns true, or returns false when it has none. */
typedef bool (*at_parent_fn)(void *ctx, at_str node, at_str *parent);

/* Follows parents up from start. AT_ERR_CONFLICT when the chain comes back on itself, naming
 * the loop ("teams loop: T-1 -> T-2 -> T-3 -> T-1"); what names the rows ("teams"). Loops
 * that start finds are reported whether or not start is on them. Stops at 1,000,000 steps
 * (AT_ERR_CONFLICT: the hierarchy is implausibly deep). */
at_code at_check_no_cycle(at_str start, at_parent_fn parent, void *ctx, const char *what,
                          at_error *err);

/* Sets *manager to the manager of person on day and returns true, or false. */
typedef bool (*at_manager_on_fn)(void *ctx, at_str person, at_day day, at_str *manager);

/* Reporting lines: a loop on some day must include a line that starts that day (the graph
 * only gains edges at start days), so calling this for every line, with the line's person
 * and start_date, finds every loop. The message names the day. */
at_code at_check_reporting_cycle(at_str person, at_day day, at_manager_on_fn manager_on,
                                 void *ctx, at_error *err);

/* ---- unique values ------------------------------------------------------------------------
 * people.email (compare ignoring case: the lookup decides), stages.position; any field with
 * unique = true. */

/* Sets *row_id to the id of the row that holds value already and returns true, or false. */
typedef bool (*at_holder_fn)(void *ctx, at_str value, at_str *row_id);

/* AT_ERR_CONFLICT when another row (not row_id) holds value in the entity's field; where is
 * "column NAME". value is the field's text as written. */
at_code at_check_unique(const at_entity *entity, int field, at_str value, at_str row_id,
                        at_holder_fn holder, void *ctx, at_error *err);

/* ---- a row against another row ------------------------------------------------------------ */

/* Sets *outcome to the stage's outcome ("open", "won", "lost") and returns true, or false. */
typedef bool (*at_stage_outcome_fn)(void *ctx, at_str stage_id, at_str *outcome);

/* opportunities: status agrees with the outcome of stage_id. */
at_code at_check_opportunity_stage(const at_row *opportunity, at_stage_outcome_fn outcome,
                                   void *ctx, at_error *err);

/* Returns true when a row with this id exists. */
typedef bool (*at_exists_fn)(void *ctx, at_str id);

/* leads: opportunity_id, when given, names an opportunity (call after opportunities are
 * imported). AT_ERR_NOT_FOUND otherwise. */
at_code at_check_lead_opportunity(const at_row *lead, at_exists_fn opportunity_exists,
                                  void *ctx, at_error *err);

/* A scorecard point, as the response checks need it (text views valid during the call). */
typedef struct at_point_info {
    at_str type;       /* yes_no, choice, number, date, text */
    at_str choices;    /* "low|medium|high" for choice points */
    at_str applies_to; /* the template's: lead or opportunity */
} at_point_info;

typedef bool (*at_point_fn)(void *ctx, at_str point_id, at_point_info *out);

/* An answer against its point's type: yes_no takes yes/no (true/false, 1/0, any case),
 * choice one of the choices exactly, number a decimal number (optional sign, digits, optional
 * decimals), date YYYY-MM-DD, text anything. AT_ERR_INVALID with where "column value". */
at_code at_check_response_value(at_str type, at_str choices, at_str value, at_error *err);

/* scorecard_responses: the value fits the point (above), and lead_id or opportunity_id
 * matches what the point's template applies to. */
at_code at_check_scorecard_response(const at_row *response, at_point_fn point, void *ctx,
                                    at_error *err);

/* A transaction, as the cancellation check needs it. */
typedef struct at_transaction_info {
    at_str type;     /* booking, invoice, payment, cancellation */
    at_money amount;
    at_str currency;
} at_transaction_info;

typedef bool (*at_transaction_fn)(void *ctx, at_str transaction_id, at_transaction_info *out);

/* transactions: a cancellation's original is not a cancellation, has the same currency, and
 * a positive amount at least as large as the amount cancelled. Several partial cancellations
 * of one original are the importer's to add up (pass the sum in cancelled_before, 0 if none:
 * the money already cancelled, as a negative amount). */
at_code at_check_cancellation(const at_row *cancellation, at_money cancelled_before,
                              at_transaction_fn original, void *ctx, at_error *err);

/* transaction_people: the split shares of one transaction (role split only; overlays are
 * credit on top and take nothing from the owner) add up to at most 1, the owner keeping the
 * rest. AT_ERR_INVALID naming the transaction and the total. */
at_code at_check_split_shares(at_str transaction_id, const at_rate *shares, size_t n,
                              at_error *err);

#endif
