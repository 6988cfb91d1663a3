/* pv.c: the paravirtual devices the syscalls see: the virtual clock and
 * MARS's random generators (the guest's files are fsys.c's). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "machine/vm_internal.h"

int bh_pv_init(struct bh_pv *pv, uint64_t seed, const char *fs_root, char *err, size_t errlen)
{
    memset(pv, 0, sizeof *pv);
    pv->seed = seed;
    pv->root_fd = -1;
    for (int i = 0; i < BH_PV_FILES_MAX; i++)
        pv->files[i].host_fd = -1;
    if (fs_root) {
        pv->root_fd = open(fs_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pv->root_fd < 0)
            return bh_errf(err, errlen, "--fs-root %s: %s", fs_root, strerror(errno));
    }
    return 0;
}

void bh_pv_free(struct bh_pv *pv)
{
    for (int i = 0; i < BH_PV_FILES_MAX; i++)
        if (pv->files[i].host_fd >= 0)
            close(pv->files[i].host_fd);
    if (pv->root_fd >= 0)
        close(pv->root_fd);
    pv->root_fd = -1;
}

uint64_t bh_pv_time_ms(const struct bh_pv *pv, uint64_t icount)
{
    return BH_PV_EPOCH_MS + icount * BH_PV_NS_PER_INSN / 1000000u + pv->sleep_ms;
}

uint64_t bh_pv_time_ns(const struct bh_pv *pv, uint64_t icount)
{
    return (BH_PV_EPOCH_MS + pv->sleep_ms) * 1000000u + icount * BH_PV_NS_PER_INSN;
}

#define JR_MULT 0x5DEECE66Dull
#define JR_MASK ((1ull << 48) - 1)

static struct bh_pv_rng *rng_slot(struct bh_pv *pv, int32_t id)
{
    for (uint32_t i = 0; i < pv->nrng; i++)
        if (pv->rng[i].id == id)
            return &pv->rng[i];
    /* A generator nobody seeded: seeded from the VM's --seed and its id, so
     * runs are reproducible (MARS would use the wall clock).  When the
     * table is full the slot id % max is reused. */
    struct bh_pv_rng *r =
        pv->nrng < BH_PV_RNG_MAX ? &pv->rng[pv->nrng++] : &pv->rng[(uint32_t)id % BH_PV_RNG_MAX];
    r->id = id;
    r->state = ((pv->seed + (uint64_t)(uint32_t)id * 0x9E3779B97F4A7C15ull) ^ JR_MULT) & JR_MASK;
    return r;
}

void bh_pv_rng_seed(struct bh_pv *pv, int32_t id, uint64_t seed)
{
    struct bh_pv_rng *r = rng_slot(pv, id);
    r->state = (seed ^ JR_MULT) & JR_MASK; /* java.util.Random.setSeed */
}

static int32_t jr_next(struct bh_pv_rng *r, int bits)
{
    r->state = (r->state * JR_MULT + 0xB) & JR_MASK;
    return (int32_t)(uint32_t)(r->state >> (48 - bits));
}

int32_t bh_pv_rng_int(struct bh_pv *pv, int32_t id)
{
    return jr_next(rng_slot(pv, id), 32);
}

/* java.util.Random.nextFloat and nextDouble (MARS's syscalls 43, 44). */
float bh_pv_rng_float(struct bh_pv *pv, int32_t id)
{
    return (float)jr_next(rng_slot(pv, id), 24) / (float)(1 << 24);
}

double bh_pv_rng_double(struct bh_pv *pv, int32_t id)
{
    struct bh_pv_rng *r = rng_slot(pv, id);
    int64_t hi = jr_next(r, 26);
    int64_t lo = jr_next(r, 27);
    return (double)((hi << 27) + lo) * 0x1.0p-53;
}

int32_t bh_pv_rng_below(struct bh_pv *pv, int32_t id, int32_t bound)
{
    struct bh_pv_rng *r = rng_slot(pv, id);
    if ((bound & -bound) == bound) /* power of two: the high bits */
        return (int32_t)(((int64_t)bound * jr_next(r, 31)) >> 31);
    int32_t bits, val;
    do { /* reject the uneven top of the range, as Java does */
        bits = jr_next(r, 31);
        val = bits % bound;
    } while ((int64_t)bits - val + (bound - 1) > INT32_MAX);
    return val;
}
