/*
 * The legacy exception-handling proposal (docs/exceptions.md): tag types
 * and the typing of try, catch, catch_all, delegate, throw and rethrow.
 *
 *   try bt        a block; its frame's op is WOP_TRY while in the try body
 *   catch x       ends the try body or a catch body (top frame op TRY or
 *                 CATCH) and starts a catch body whose stack holds the
 *                 params of tag x; the frame's op becomes WOP_CATCH
 *   catch_all     the same with an empty stack (op WOP_CATCH_ALL, last)
 *   delegate l    ends a try body (op TRY only) like `end`; l is a label of
 *                 the frames outside the try, the function's included
 *   throw x       pops the params of tag x; the rest is unreachable
 *   rethrow l     l must be a catch or catch_all frame; unreachable after
 *
 * Catch frames record the tag's params as their params (a catch frame's
 * label carries its results, so the params are never read as label types).
 */
#include "validate_internal.h"

static bool tag_type(wcode_state *s, uint32_t tag, const wfunctype **out)
{
    if (tag >= s->m->ntags)
        return wcode_fail(s, "unknown tag %u", tag);
    *out = &s->m->types[s->m->tag_types[tag]];
    return true;
}

static bool validate_try(wcode_state *s, const winstr *in)
{
    const uint8_t *params, *results;
    uint32_t nparams, nresults;
    return wcode_block_signature(s, &in->block, &params, &nparams, &results, &nresults) &&
           wcode_pop_vals(s, params, nparams) && wcode_push_ctrl(s, WOP_TRY, params, nparams, results, nresults);
}

/* catch and catch_all: end the try body or the previous catch body. */
static bool validate_catch(wcode_state *s, const winstr *in)
{
    const wctrl *top = &s->ctrls[s->nctrls - 1];
    const wfunctype *tag = NULL;
    if (top->op != WOP_TRY && top->op != WOP_CATCH)
        return wcode_fail(s, "%s found outside of a try block", wop_info[in->op].name);
    if (in->op == WOP_CATCH && !tag_type(s, in->a, &tag))
        return false;
    wctrl c;
    if (!wcode_pop_ctrl(s, &c))
        return false;
    if (!tag)
        return wcode_push_ctrl(s, WOP_CATCH_ALL, NULL, 0, c.results, c.nresults);
    return wcode_push_ctrl(s, WOP_CATCH, tag->types, tag->nparams, c.results, c.nresults);
}

static bool validate_delegate(wcode_state *s, const winstr *in)
{
    if (s->ctrls[s->nctrls - 1].op != WOP_TRY)
        return wcode_fail(s, "delegate found outside of a try block");
    wctrl c;
    const wctrl *target;
    if (!wcode_pop_ctrl(s, &c) || !wcode_label(s, in->a, &target))
        return false;
    return wcode_push_vals(s, c.results, c.nresults);
}

static bool validate_throw(wcode_state *s, const winstr *in)
{
    const wfunctype *tag = NULL;
    if (!tag_type(s, in->a, &tag) || !wcode_pop_vals(s, tag->types, tag->nparams))
        return false;
    wcode_set_unreachable(s);
    return true;
}

static bool validate_rethrow(wcode_state *s, const winstr *in)
{
    const wctrl *target;
    if (!wcode_label(s, in->a, &target))
        return false;
    if (target->op != WOP_CATCH && target->op != WOP_CATCH_ALL)
        return wcode_fail(s, "invalid rethrow label %u: not a catch block", in->a);
    wcode_set_unreachable(s);
    return true;
}

bool wcode_eh_instr(wcode_state *s, const winstr *in, bool *handled)
{
    *handled = true;
    switch (in->op) {
    case WOP_TRY:
        return validate_try(s, in);
    case WOP_CATCH:
    case WOP_CATCH_ALL:
        return validate_catch(s, in);
    case WOP_DELEGATE:
        return validate_delegate(s, in);
    case WOP_THROW:
        return validate_throw(s, in);
    case WOP_RETHROW:
        return validate_rethrow(s, in);
    default:
        *handled = false;
        return true;
    }
}

bool wvalidate_tags(wvalidator *v)
{
    const wmodule *m = v->m;
    for (uint32_t i = 0; i < m->ntags; i++) {
        uint32_t type = m->tag_types[i];
        if (type >= m->ntypes)
            return werror_set(v->err, "tag %u: unknown type %u", i, type);
        if (m->types[type].nresults != 0)
            return werror_set(v->err, "tag %u: non-empty tag result type", i);
    }
    return true;
}
