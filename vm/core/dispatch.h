/* dispatch.h: how the core goes from one instruction to the next, written
 * once for two builds (as Lua's ljumptab.h and CPython's ceval_macros.h).
 *
 * Handlers in cpu.c are written as
 *     VM_TARGET(ISA_ADDU) { ...; VM_NEXT(); }
 * between VM_LOOP_BEGIN and VM_LOOP_END.
 *
 * Default: direct threading with computed goto.  The loader stored the op
 * number in each decoded instruction; the first run replaces it with the
 * address of the handler's label (VM_LABEL), so dispatch is one indirect
 * jump from each handler's own tail: the branch predictor sees one jump
 * site per handler instead of one shared site.
 *
 * -DBH_DISPATCH_SWITCH (make DISPATCH=switch): a plain switch over the op
 * number, kept so the two can be measured against each other.
 */
#ifndef BH_DISPATCH_H
#define BH_DISPATCH_H

#ifdef BH_DISPATCH_SWITCH

#define VM_THREADED 0
#define VM_DISPATCH() goto vm_dispatch_top
/* Run the handler of another op for the instruction at ip. */
#define VM_DISPATCH_TO(u_)                                                                         \
    do {                                                                                           \
        vm_op = (u_).op;                                                                           \
        goto vm_switch;                                                                            \
    } while (0)
#define VM_TARGET(op) case op:
/* Run the handler of op (a constant) for the instruction at ip. */
#define VM_GOTO(op_)                                                                               \
    do {                                                                                           \
        vm_op = (op_);                                                                             \
        goto vm_switch;                                                                            \
    } while (0)
#define VM_LOOP_BEGIN                                                                              \
    vm_dispatch_top:                                                                               \
    vm_op = ip->u.op;                                                                              \
    vm_switch:                                                                                     \
    switch ((unsigned)vm_op) {
/* Every op value the switch does not name is a reserved instruction. */
#define VM_LOOP_END                                                                                \
    default:                                                                                       \
        goto vm_reserved;                                                                          \
        }

#else

#define VM_THREADED 1
#define VM_DISPATCH() goto *ip->u.handler
#define VM_DISPATCH_TO(u_) goto *(u_).handler
#define VM_TARGET(op) L_##op:
#define VM_GOTO(op) goto L_##op
#define VM_LABEL(op) &&L_##op
#define VM_LOOP_BEGIN VM_DISPATCH();
#define VM_LOOP_END

#endif

/* Go on with the next instruction of the straight-line run. */
#define VM_NEXT()                                                                                  \
    do {                                                                                           \
        ip++;                                                                                      \
        VM_DISPATCH();                                                                             \
    } while (0)

#define VM_LIKELY(x) __builtin_expect(!!(x), 1)
#define VM_UNLIKELY(x) __builtin_expect(!!(x), 0)

#endif
