/* formula_eval.c - running a compiled formula: at_formula_eval for one row (a stack machine
 * that jumps over the branch not taken) and at_formula_eval_columns for many (the same
 * bytecode run one instruction at a time over blocks of FORMULA_BLOCK rows, with a mask of
 * the rows each branch applies to). Both use the same arithmetic helpers, so they give the
 * same values bit for bit; when a block meets an error, its rows are run one by one to find
 * the first that fails and report it exactly as at_formula_eval would. Every result is
 * rounded half-even to its unit's scale through 128-bit intermediates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/str.h"
#include "plan/formula_impl.h"

/* ---- arithmetic ------------------------------------------------------------------------------ */

/* n / d rounded half-even, d > 0. */
static inline int64_t div_half_even(int64_t n, int64_t d)
{
    int64_t q = n / d, r = n % d;
    if (r != 0) {
        int64_t ar = r < 0 ? -r : r;
        int64_t rest = d - ar;
        if (ar > rest || (ar == rest && (q & 1) != 0))
            q += n < 0 ? -1 : 1;
    }
    return q;
}

/* a * b / d rounded half-even (d 1 or 1e9); false when it does not fit. */
static inline bool mul_scaled(int64_t a, int64_t b, int64_t d, int64_t *out)
{
    int64_t p;
    if (!__builtin_mul_overflow(a, b, &p)) {
        *out = d == 1 ? p : div_half_even(p, d);
        return true;
    }
    if (d == 1)
        return false;
    return at_div_round_i128((__int128)a * b, d, AT_ROUND_HALF_EVEN, out, NULL) == AT_OK;
}

/* a * k / b rounded half-even (b != 0); false when it does not fit. */
static inline bool div_scaled(int64_t a, int64_t b, int64_t k, int64_t *out)
{
    int64_t n;
    if (b > 0 && !__builtin_mul_overflow(a, k, &n)) {
        *out = div_half_even(n, b);
        return true;
    }
    return at_div_round_i128((__int128)a * k, b, AT_ROUND_HALF_EVEN, out, NULL) == AT_OK;
}

static const int64_t MONEY_STEP[5] = {10000, 1000, 100, 10, 1};

/* Money rounded to decimals (0..4) half-even. */
static inline bool round_money(int64_t a, int decimals, int64_t *out)
{
    int64_t step = MONEY_STEP[decimals];
    return !__builtin_mul_overflow(div_half_even(a, step), step, out);
}

/* ---- errors ---------------------------------------------------------------------------------- */

static const char *limit_hint(at_unit u)
{
    switch (u) {
    case AT_UNIT_MONEY:
        return "money holds up to +-922,337,203,685,477.5807; check the inputs";
    case AT_UNIT_NUMBER:
        return "numbers hold up to +-9,223,372,036.854775807; check the inputs (a divisor "
               "close to 0?)";
    default:
        return "counts hold up to +-9,223,372,036,854,775,807; check the inputs";
    }
}

static at_code runtime_fail(const at_formula *f, const formula_insn *in, at_code code,
                            int64_t a, int64_t b, at_error *err)
{
    if (!err)
        return code;
    char where[AT_ERROR_WHERE_MAX], text[96], op[24], ta[48], tb[48], what[160];
    formula_where(&f->origin, f->text, in->pos, where, sizeof where);
    at_str_show(f->text, f->length, 80, text, sizeof text);
    at_str_show(f->text + in->pos, in->len, 16, op, sizeof op);
    formula_format_value(in->unit_a, a, 9, ta, sizeof ta);
    formula_format_value(in->op == OP_ROUND ? AT_UNIT_COUNT : in->unit_b, b, 9, tb, sizeof tb);
    switch (in->op) {
    case OP_NEG: snprintf(what, sizeof what, "-(%s)", ta); break;
    case OP_ABS: snprintf(what, sizeof what, "abs(%s)", ta); break;
    case OP_TO_NUMBER: snprintf(what, sizeof what, "the count %s as a number", ta); break;
    case OP_ROUND: snprintf(what, sizeof what, "round(%s, %d)", ta, in->arg); break;
    default: snprintf(what, sizeof what, "%s %s %s", ta, op, tb); break;
    }
    if (code == AT_ERR_OVERFLOW)
        return at_fail(err, code, where, limit_hint(in->unit_r),
                       "overflow in \"%s\": %s does not fit in %s", text, what,
                       at_unit_name(in->unit_r));
    char hint[AT_ERROR_HINT_MAX];
    if (in->end - in->start <= 80 && in->b_end - in->b_start <= 60)
        snprintf(hint, sizeof hint, "guard the divisor: if(%.*s != 0, %.*s, 0)",
                 (int)(in->b_end - in->b_start), f->text + in->b_start,
                 (int)(in->end - in->start), f->text + in->start);
    else
        snprintf(hint, sizeof hint, "guard the divisor: if(divisor != 0, ..., 0)");
    return at_fail(err, code, where, hint, "division by zero in \"%s\": %s", text, what);
}

/* ---- one row --------------------------------------------------------------------------------- */

at_code at_formula_eval(const at_formula *formula, const int64_t *slots, int64_t *out,
                        at_error *err)
{
    if (!formula || !out || (formula->slot_count && !slots))
        return at_fail(err, AT_ERR_INVALID, NULL, "this is a bug in attain: please report it",
                       "at_formula_eval needs a formula, its slot values and a place for the "
                       "result");
    const at_formula *f = formula;
    int64_t st[FORMULA_STACK_MAX];
    size_t sp = 0;
    for (size_t pc = 0; pc < f->code_len; pc++) {
        const formula_insn *in = &f->code[pc];
        int64_t a = sp >= 2 ? st[sp - 2] : 0, b = sp >= 1 ? st[sp - 1] : 0, r;
        switch ((formula_op)in->op) {
        case OP_CONST: st[sp++] = in->imm; continue;
        case OP_SLOT: st[sp++] = slots[in->arg]; continue;
        case OP_NEG:
            if (b == INT64_MIN)
                return runtime_fail(f, in, AT_ERR_OVERFLOW, b, 0, err);
            st[sp - 1] = -b;
            continue;
        case OP_ABS:
            if (b == INT64_MIN)
                return runtime_fail(f, in, AT_ERR_OVERFLOW, b, 0, err);
            st[sp - 1] = b < 0 ? -b : b;
            continue;
        case OP_TO_NUMBER:
            if (__builtin_mul_overflow(b, AT_RATE_SCALE, &r))
                return runtime_fail(f, in, AT_ERR_OVERFLOW, b, 0, err);
            st[sp - 1] = r;
            continue;
        case OP_ROUND:
            if (!round_money(b, in->arg, &r))
                return runtime_fail(f, in, AT_ERR_OVERFLOW, b, in->arg, err);
            st[sp - 1] = r;
            continue;
        case OP_NOT: st[sp - 1] = !b; continue;
        case OP_ADD:
            if (__builtin_add_overflow(a, b, &r))
                return runtime_fail(f, in, AT_ERR_OVERFLOW, a, b, err);
            break;
        case OP_SUB:
            if (__builtin_sub_overflow(a, b, &r))
                return runtime_fail(f, in, AT_ERR_OVERFLOW, a, b, err);
            break;
        case OP_MUL:
            if (!mul_scaled(a, b, in->imm, &r))
                return runtime_fail(f, in, AT_ERR_OVERFLOW, a, b, err);
            break;
        case OP_DIV:
            if (b == 0)
                return runtime_fail(f, in, AT_ERR_INVALID, a, b, err);
            if (!div_scaled(a, b, in->imm, &r))
                return runtime_fail(f, in, AT_ERR_OVERFLOW, a, b, err);
            break;
        case OP_MIN: r = a < b ? a : b; break;
        case OP_MAX: r = a > b ? a : b; break;
        case OP_LT: r = a < b; break;
        case OP_LE: r = a <= b; break;
        case OP_GT: r = a > b; break;
        case OP_GE: r = a >= b; break;
        case OP_EQ: r = a == b; break;
        case OP_NE: r = a != b; break;
        case OP_IF:
            sp--;
            if (!b)
                pc = (size_t)in->arg; /* on to the else branch */
            continue;
        case OP_ELSE: pc = (size_t)in->arg; continue; /* past the END */
        case OP_END: continue;
        default:
            return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "unknown formula instruction %d",
                           in->op);
        }
        st[sp - 2] = r;
        sp--;
    }
    if (sp != 1)
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "formula left %zu values", sp);
    *out = st[0];
    return AT_OK;
}

/* ---- columns --------------------------------------------------------------------------------- */

typedef struct col_frame {
    const uint8_t *parent;        /* the rows active around the if (NULL: all) */
    uint8_t cond[FORMULA_BLOCK];  /* the condition per row */
    uint8_t active[FORMULA_BLOCK];
} col_frame;

typedef struct col_vm {
    const at_formula *f;
    const int64_t *const *columns;
    int64_t *buf;                 /* max_stack columns of FORMULA_BLOCK values */
    const int64_t **st;           /* what each stack place holds: its buffer or a slot column */
    col_frame *frames;
} col_vm;

/* Computes every row: fits is an expression that sets int64_t t from row i and is true when
 * the value fits. Rows outside mask (NULL: none) are computed too, without branching on the
 * mask, but their failures do not count (their values are never used). The result goes
 * through t because r may be the same buffer as a (and gcc's overflow builtins may read an
 * operand again after writing through their result pointer). */
#define EACH_ROW(fits)                                                                         \
    do {                                                                                       \
        if (!mask) {                                                                           \
            for (size_t i = 0; i < n; i++) {                                                   \
                int64_t t = 0;                                                                 \
                int fit = (fits) != 0;                                                         \
                bad |= fit ^ 1;                                                                \
                r[i] = t;                                                                      \
            }                                                                                  \
        } else {                                                                               \
            for (size_t i = 0; i < n; i++) {                                                   \
                int64_t t = 0;                                                                 \
                int fit = (fits) != 0;                                                         \
                bad |= (fit ^ 1) & mask[i];                                                    \
                r[i] = t;                                                                      \
            }                                                                                  \
        }                                                                                      \
    } while (0)

/* One block of n rows from row base; false when an active row failed. */
static bool run_block(col_vm *vm, size_t base, size_t n)
{
    const at_formula *f = vm->f;
    const uint8_t *mask = NULL;
    size_t sp = 0, nf = 0;
    int bad = 0;
    for (size_t pc = 0; pc < f->code_len; pc++) {
        const formula_insn *in = &f->code[pc];
        int64_t *r;
        const int64_t *a, *b;
        switch ((formula_op)in->op) {
        case OP_CONST:
            r = vm->buf + sp * FORMULA_BLOCK;
            for (size_t i = 0; i < n; i++)
                r[i] = in->imm;
            vm->st[sp++] = r;
            continue;
        case OP_SLOT:
            vm->st[sp++] = vm->columns[in->arg] + base;
            continue;
        case OP_IF: {
            a = vm->st[--sp];
            col_frame *fr = &vm->frames[nf++];
            fr->parent = mask;
            size_t count = 0;
            for (size_t i = 0; i < n; i++) {
                fr->cond[i] = a[i] != 0;
                fr->active[i] = (uint8_t)((mask ? mask[i] : 1) & fr->cond[i]);
                count += fr->active[i];
            }
            if (count == 0) { /* no row takes the then branch: a placeholder, then else */
                r = vm->buf + sp * FORMULA_BLOCK;
                memset(r, 0, n * sizeof *r);
                vm->st[sp++] = r;
                pc = (size_t)in->arg - 1;
            } else {
                mask = count == n ? NULL : fr->active;
            }
            continue;
        }
        case OP_ELSE: {
            col_frame *fr = &vm->frames[nf - 1];
            size_t count = 0;
            for (size_t i = 0; i < n; i++) {
                fr->active[i] = (uint8_t)((fr->parent ? fr->parent[i] : 1) & !fr->cond[i]);
                count += fr->active[i];
            }
            if (count == 0) { /* no row takes the else branch */
                r = vm->buf + sp * FORMULA_BLOCK;
                memset(r, 0, n * sizeof *r);
                vm->st[sp++] = r;
                pc = (size_t)in->arg - 1;
            } else {
                mask = count == n ? NULL : fr->active;
            }
            continue;
        }
        case OP_END: {
            col_frame *fr = &vm->frames[--nf];
            b = vm->st[--sp];
            a = vm->st[--sp];
            r = vm->buf + sp * FORMULA_BLOCK;
            for (size_t i = 0; i < n; i++)
                r[i] = fr->cond[i] ? a[i] : b[i];
            vm->st[sp++] = r;
            mask = fr->parent;
            continue;
        }
        default:
            break;
        }
        if (in->op == OP_NEG || in->op == OP_ABS || in->op == OP_TO_NUMBER ||
            in->op == OP_ROUND || in->op == OP_NOT) {
            a = vm->st[sp - 1];
            r = vm->buf + (sp - 1) * FORMULA_BLOCK;
            switch ((formula_op)in->op) {
            case OP_NEG: EACH_ROW((t = a[i] == INT64_MIN ? 0 : -a[i], a[i] != INT64_MIN)); break;
            case OP_ABS:
                EACH_ROW((t = a[i] == INT64_MIN ? 0 : (a[i] < 0 ? -a[i] : a[i]),
                          a[i] != INT64_MIN));
                break;
            case OP_TO_NUMBER: EACH_ROW(!__builtin_mul_overflow(a[i], AT_RATE_SCALE, &t)); break;
            case OP_ROUND: {
                int d = in->arg;
                EACH_ROW(round_money(a[i], d, &t));
                break;
            }
            default: /* OP_NOT */
                EACH_ROW((t = !a[i], 1));
                break;
            }
            vm->st[sp - 1] = r;
            if (bad)
                return false;
            continue;
        }
        /* binary */
        a = vm->st[sp - 2];
        b = vm->st[sp - 1];
        r = vm->buf + (sp - 2) * FORMULA_BLOCK;
        switch ((formula_op)in->op) {
        case OP_ADD: EACH_ROW(!__builtin_add_overflow(a[i], b[i], &t)); break;
        case OP_SUB: EACH_ROW(!__builtin_sub_overflow(a[i], b[i], &t)); break;
        case OP_MUL:
            if (in->imm == 1)
                EACH_ROW(!__builtin_mul_overflow(a[i], b[i], &t));
            else
                EACH_ROW(mul_scaled(a[i], b[i], AT_RATE_SCALE, &t));
            break;
        case OP_DIV: {
            int64_t k = in->imm;
            EACH_ROW(b[i] != 0 && div_scaled(a[i], b[i], k, &t));
            break;
        }
        case OP_MIN: EACH_ROW((t = a[i] < b[i] ? a[i] : b[i], 1)); break;
        case OP_MAX: EACH_ROW((t = a[i] > b[i] ? a[i] : b[i], 1)); break;
        case OP_LT: EACH_ROW((t = a[i] < b[i], 1)); break;
        case OP_LE: EACH_ROW((t = a[i] <= b[i], 1)); break;
        case OP_GT: EACH_ROW((t = a[i] > b[i], 1)); break;
        case OP_GE: EACH_ROW((t = a[i] >= b[i], 1)); break;
        case OP_EQ: EACH_ROW((t = a[i] == b[i], 1)); break;
        case OP_NE: EACH_ROW((t = a[i] != b[i], 1)); break;
        default: return false; /* unknown: the row-by-row run reports it */
        }
        vm->st[sp - 2] = r;
        sp--;
        if (bad)
            return false;
    }
    return sp == 1;
}

/* Runs rows [base, base + n) one by one; the first failure is the error. */
static at_code run_rows(const at_formula *f, const int64_t *const *columns, size_t base,
                        size_t n, int64_t *out, size_t *failed_row, at_error *err)
{
    int64_t slots[AT_FORMULA_SLOTS_MAX];
    for (size_t row = base; row < base + n; row++) {
        for (size_t s = 0; s < f->slot_count; s++)
            slots[f->slots[s]] = columns[f->slots[s]][row];
        at_code rc = at_formula_eval(f, slots, &out[row], err);
        if (rc != AT_OK) {
            if (failed_row)
                *failed_row = row;
            return rc;
        }
    }
    if (failed_row)
        *failed_row = base;
    return at_fail(err, AT_ERR_INTERNAL, NULL, "this is a bug in attain: please report it",
                   "formula \"%s\" failed over rows %zu..%zu but in none of them alone",
                   f->text, base, base + n - 1);
}

at_code at_formula_eval_columns(const at_formula *formula, const int64_t *const *columns,
                                size_t rows, int64_t *out, size_t *failed_row, at_error *err)
{
    if (failed_row)
        *failed_row = 0;
    if (!formula || (rows && !out) || (rows && formula->slot_count && !columns))
        return at_fail(err, AT_ERR_INVALID, NULL, "this is a bug in attain: please report it",
                       "at_formula_eval_columns needs a formula, its columns and a place for "
                       "the results");
    if (rows == 0)
        return AT_OK;
    const at_formula *f = formula;
    for (size_t s = 0; s < f->slot_count; s++)
        if (!columns[f->slots[s]])
            return at_fail(err, AT_ERR_INVALID, NULL,
                           "this is a bug in attain: please report it",
                           "formula \"%s\" reads slot %d, but its column is missing", f->text,
                           f->slots[s]);
    size_t depth = f->max_stack ? f->max_stack : 1;
    col_vm vm = {
        .f = f,
        .columns = columns,
        .buf = malloc(depth * FORMULA_BLOCK * sizeof(int64_t)),
        .st = malloc(depth * sizeof(const int64_t *)),
        .frames = f->max_ifs ? malloc(f->max_ifs * sizeof(col_frame)) : NULL,
    };
    at_code rc = AT_OK;
    if (!vm.buf || !vm.st || (f->max_ifs && !vm.frames))
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory evaluating a formula");
    for (size_t base = 0; rc == AT_OK && base < rows; base += FORMULA_BLOCK) {
        size_t n = rows - base < FORMULA_BLOCK ? rows - base : FORMULA_BLOCK;
        if (run_block(&vm, base, n))
            memcpy(out + base, vm.st[0], n * sizeof *out);
        else
            rc = run_rows(f, columns, base, n, out, failed_row, err);
    }
    free(vm.buf);
    free((void *)vm.st);
    free(vm.frames);
    return rc;
}
