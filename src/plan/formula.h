/* formula.h - the plan formula language: small expressions for what the building blocks of a
 * plan do not cover, parsed once to bytecode and run over columns of int64 values.
 *
 *   if(bookings.attainment >= 100%, 0.02 * bookings, 0)       min(commission, 5000)
 *   amount - 0.5 * margin                                      metric.avg_margin >= 35%
 *
 * Units are checked when a formula is compiled, never at run time:
 *   money   amounts, at 1e-4 (AT_MONEY_SCALE)
 *   number  dimensionless values: rates, percentages, attainment, ratios, at 1e-9
 *           (AT_RATE_SCALE): 5% = 0.05 = 50,000,000
 *   count   whole numbers of things (deals, units, activities), at 1
 *   bool    the result of a comparison, 0 or 1
 * Rules: + and - take the same unit on both sides (a count meets a number as a number);
 * money x number = money, money x count = money, count x number = number, count x count = count;
 * money / money = number, money / number = money, money / count = money, count / count = number;
 * money x money, and anything / money other than money, are errors; money + count is an error.
 * A bare literal (1500, 0.5) is a number, and also stands for money where money is required
 * (amount - 1500, min(commission, 5000), if(c, 0.02 * bookings, 0)); 5% is the number 0.05.
 * So does a literal times or over a number or count where money is required (100 * deals
 * pays 100 per deal, 5000 * attainment; 1500 / bookings is money / money); 5% never does.
 * Comparisons (< <= > >= == !=) take two values of one unit and give bool; `and`, `or`, `not`
 * take bools. Functions: min(a, b, ...), max(a, b, ...) (one unit), if(bool, a, b) (a and b
 * one unit), abs(x), round(money, decimals 0..4) (half-even).
 * Precedence, loosest first: or, and, not, == !=, < <= > >=, + -, * /, unary -; `not`
 * binds looser than comparisons (not bookings > quota is not (bookings > quota)). if(),
 * `and` and `or` evaluate only what they need: if(quota > 0, bookings / quota, 0) never
 * divides by zero. Nesting ( ), calls and signs deeper than 64 levels is an error.
 * Every operation rounds its result to its unit's scale half-even, with 128-bit
 * intermediates; an overflow or a division by zero stops the evaluation with an error naming
 * the formula, the position of the operator and the values.
 *
 * Names: the compiler asks the caller's resolver what a name is (a measure, `bookings.quota`,
 * `metric.avg_margin`, an earlier component, a credit's `amount`); the resolver returns its
 * unit and a slot number. At run time slot i holds the value (or, for column evaluation, the
 * column) the engine supplies. No loops, no side effects, no assignment: a formula always
 * ends, in time proportional to its length. */
#ifndef ATTAIN_PLAN_FORMULA_H
#define ATTAIN_PLAN_FORMULA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/str.h"

typedef enum at_unit {
    AT_UNIT_MONEY = 0,
    AT_UNIT_NUMBER,
    AT_UNIT_COUNT,
    AT_UNIT_BOOL,
    AT_UNIT_ANY, /* as the wanted unit of at_formula_compile: accept any result */
} at_unit;
/* "money", "number", "count", "bool", "any". */
const char *at_unit_name(at_unit unit);

/* Longest formula text accepted, and most slots a formula may refer to. */
#define AT_FORMULA_TEXT_MAX 4096
#define AT_FORMULA_SLOTS_MAX 256

typedef struct at_formula at_formula;

/* Resolves a name (a plain or dotted identifier: `bookings`, `bookings.attainment`,
 * `metric.avg_margin`) to its unit and slot (0..AT_FORMULA_SLOTS_MAX-1). Returns AT_OK, or
 * AT_ERR_NOT_FOUND with a hint listing what could be meant (the compiler adds the position). */
typedef at_code (*at_formula_resolve_fn)(void *ctx, at_str name, at_unit *unit, int *slot,
                                         at_error *err);

/* Where a formula's text sits in its document, so that errors point inside it: the position
 * of the formula's first character. file may be NULL. */
typedef struct at_formula_origin {
    const char *file;
    int line;
    int column;
} at_formula_origin;

/* Compiles text to bytecode. want is the unit the result must have (AT_UNIT_ANY: any; a
 * bare literal result is accepted where money is wanted). Syntax and unit errors are
 * AT_ERR_INVALID with where = file:line:column of the offending token (column counted from
 * origin.column on the formula's first line), a message quoting the token and a hint saying
 * what would be accepted ("money x money has no meaning; multiply by a rate such as 5%").
 * The formula lives in arena. */
at_code at_formula_compile(const char *text, size_t length, at_formula_origin origin,
                           at_formula_resolve_fn resolve, void *resolve_ctx, at_unit want,
                           at_arena *arena, at_formula **out, at_error *err);

/* The unit of the result (never AT_UNIT_ANY). A bare literal's unit is number, or money when
 * it was compiled with want = AT_UNIT_MONEY (a count compiled with want = AT_UNIT_NUMBER
 * is a number). */
at_unit at_formula_unit(const at_formula *formula);
/* The source text as written (NUL-terminated, in the arena). */
const char *at_formula_text(const at_formula *formula);
/* The slots the formula reads, in increasing order, without repeats (-1 past the end). */
size_t at_formula_slot_count(const at_formula *formula);
int at_formula_slot_at(const at_formula *formula, size_t index);

/* Evaluates with one value per slot: slots[i] is slot i's value in its unit's scale (only the
 * slots the formula reads are looked at; the array must be at least as long as the highest
 * one + 1). *out is the result in its unit's scale. Errors: AT_ERR_OVERFLOW, AT_ERR_INVALID
 * (division by zero), with where pointing at the operator. */
at_code at_formula_eval(const at_formula *formula, const int64_t *slots, int64_t *out,
                        at_error *err);

/* Evaluates over rows at once: columns[i] is slot i's column (rows values), NULL for slots
 * the formula does not read; out receives rows results. Runs the bytecode once per
 * instruction over blocks of rows (not once per row), so that it costs about as much as a
 * hand-written loop. On error, *failed_row (may be NULL) is the first row that failed. */
at_code at_formula_eval_columns(const at_formula *formula, const int64_t *const *columns,
                                size_t rows, int64_t *out, size_t *failed_row, at_error *err);

/* Writes the formula with the values put in, for statements:
 *   "min(commission, 5000)" with commission = 6125.5 ->
 *   "min(commission 6,125.50, 5,000.00) = 5,000.00"
 * Money is written with thousands separators and 2 decimals (more when not zero), numbers as
 * percentages when the formula wrote them so or as decimals, counts as integers. slots as
 * for at_formula_eval; names are written as in the formula's text. Returns the length like
 * snprintf (the text is cut to fit size). */
size_t at_formula_explain(const at_formula *formula, const int64_t *slots, char *buf,
                          size_t size);

#endif
