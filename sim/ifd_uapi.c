// SPDX-License-Identifier: MIT
/*
 * ifd_uapi.c - the iommufd ioctls as verbs: the row's arguments fill its
 * uapi struct (model/iommufd/uapi.h) at their fields' offsets (sim/uapi.c
 * uapi_fill(), from the .off/.width the row declares: a field the
 * scenario does not give is 0, as in a zeroed struct), the verb calls the
 * model's one dispatcher, iommufd_ioctl(), as a process would, and the
 * out fields are read back (uapi_outs(): an in/out field as out_<name>).
 * size= sets the struct's size field (the dispatcher's size rules), tail=
 * puts a non-zero byte just past the struct (E2BIG). Arrays behind user
 * pointers (allowed_iovas, data_uptr, data) are host buffers here, as the
 * model's process reads them: a command's prep points them, its post
 * reads them back. The struct and those arrays are the caller's memory
 * for the call, charged to the memory budget (user_buffer()): a size=,
 * num_iovas= or data_len= past it fails the step with ENOMEM before the
 * call.
 */
#include <string.h>

#include "runner.h"
#include "model/iommufd/iommufd.h"
#include "model/iommufd/iommufd_test.h"

/* A call's host buffers behind the struct's user pointers, and their
 * sizes (what the kernel may have written into). */
struct uscratch {
	void *p[2];
	uint64_t n[2];
};

struct ucmd_desc {
	unsigned int cmd;
	/* points the struct's user pointers at scratch buffers: 0 or
	 * -ENOMEM (user_buffer()) */
	int (*prep)(struct runner *r, const struct statement *st, void *cmd,
		    struct uscratch *sc);
	/* reads what the kernel wrote behind them */
	void (*post)(struct runner *r, void *cmd, struct uscratch *sc);
};

static int ucall(struct runner *r, const struct statement *st,
		 const struct ucmd_desc *d)
{
	const struct op *op = op_find(st->verb);
	int err = 0;
	/* a closed ctx's handle is its number, as the guest agent's */
	bool stale = handle_closed(r, st, "ictx");
	struct iommufd_ctx *ictx = stale ? NULL : ifd_ctx_arg(r, st, &err);
	uint32_t size = (uint32_t)arg_num(st, "size", op->uapi_size);
	size_t len = MAX((size_t)size, op->uapi_size) + 8;
	g_autofree char *filled = NULL;
	char *cmd;
	struct uscratch sc = { { NULL, NULL }, { 0, 0 } };
	size_t copied = 0;

	if (err)
		return err;
	cmd = user_buffer(r, len, "struct (size=)", &err);
	if (!cmd)
		return err;
	filled = uapi_fill(r, op, st);
	memcpy(cmd, filled, op->uapi_size);
	memcpy(cmd, &size, sizeof(size));
	if (arg_has(st, "tail") && size > op->uapi_size)
		cmd[op->uapi_size] = (char)arg_num(st, "tail", 1);
	if (d->prep)
		err = d->prep(r, st, cmd, &sc);
	if (err)
		goto out;
	err = stale ? run_fd_ioctl(r, (int)handle_num(r, st, "ictx"), d->cmd,
				   cmd, len, &copied)
		    : iommufd_ioctl_copied(ictx, ifd_task(r), d->cmd, cmd, len,
					   &copied);
	/* a failed call's struct is readable when the kernel copied it
	 * back before failing (IOVA_RANGES' EMSGSIZE, INVALIDATE) */
	if (!err || copied) {
		r->outs_after_error = err != 0;
		uapi_outs(r, op, cmd);
		if (d->post)
			d->post(r, cmd, &sc);
	}
out:
	user_buffer_free(r, sc.p[0], sc.n[0]);
	user_buffer_free(r, sc.p[1], sc.n[1]);
	user_buffer_free(r, cmd, len);
	return err;
}

/* A zeroed buffer of @n bytes behind the u64 user pointer at @off (NULL,
 * the kernel's EFAULT, for none): 0, or -ENOMEM past the budget */
static int scratch_ptr(struct runner *r, void *cmd, size_t off, uint64_t n,
		       struct uscratch *sc, int slot)
{
	uint64_t p = 0;
	int err = 0;

	if (n) {
		sc->p[slot] =
			user_buffer(r, n, "array behind a user pointer", &err);
		if (!sc->p[slot])
			return err;
		sc->n[slot] = n;
		p = (uintptr_t)sc->p[slot];
	}
	memcpy((char *)cmd + off, &p, sizeof(p));
	return 0;
}

/* ---- the commands ---- */

#define UAPI_VERB(fn, desc)                                                    \
	int fn(struct runner *r, const struct statement *st)                   \
	{                                                                      \
		return ucall(r, st, &desc);                                    \
	}

static const struct ucmd_desc d_destroy = { .cmd = IOMMU_DESTROY };
UAPI_VERB(op_iommu_destroy, d_destroy)

static const struct ucmd_desc d_fault_alloc = {
	.cmd = IOMMU_FAULT_QUEUE_ALLOC
};
UAPI_VERB(op_fault_queue_alloc, d_fault_alloc)

static const struct ucmd_desc d_ioas_alloc = { .cmd = IOMMU_IOAS_ALLOC };
UAPI_VERB(op_ioas_alloc, d_ioas_alloc)

static const struct ucmd_desc d_ioas_map = { .cmd = IOMMU_IOAS_MAP };
UAPI_VERB(op_ioas_map, d_ioas_map)

static const struct ucmd_desc d_ioas_map_file = { .cmd = IOMMU_IOAS_MAP_FILE };
UAPI_VERB(op_ioas_map_file, d_ioas_map_file)

static const struct ucmd_desc d_ioas_unmap = { .cmd = IOMMU_IOAS_UNMAP };
UAPI_VERB(op_ioas_unmap, d_ioas_unmap)

static const struct ucmd_desc d_ioas_copy = { .cmd = IOMMU_IOAS_COPY };
UAPI_VERB(op_ioas_copy, d_ioas_copy)

/* IOVA_RANGES: num_iovas in (the array's capacity, default 8) and out;
 * the first four ranges read back as out_start0/out_last0, ... */
#define T_RANGES struct iommu_ioas_iova_ranges
#define MAX_RANGES 4

static int ranges_prep(struct runner *r, const struct statement *st, void *cmd,
		       struct uscratch *sc)
{
	T_RANGES *c = cmd;

	if (!arg_has(st, "num_iovas"))
		c->num_iovas = 8;
	return scratch_ptr(r, cmd, offsetof(T_RANGES, allowed_iovas),
			   c->num_iovas * sizeof(struct iommu_iova_range), sc,
			   0);
}

static void ranges_post(struct runner *r, void *cmd, struct uscratch *sc)
{
	static const char *const start[MAX_RANGES] = {
		"out_start0", "out_start1", "out_start2", "out_start3"
	};
	static const char *const last[MAX_RANGES] = { "out_last0", "out_last1",
						      "out_last2",
						      "out_last3" };
	const T_RANGES *c = cmd;
	const struct iommu_iova_range *rg = sc->p[0];
	/* after EMSGSIZE num_iovas is the count needed, more than the
	 * array holds: the kernel wrote only what fits */
	uint64_t n = MIN(c->num_iovas, sc->n[0] / sizeof(*rg));

	for (uint32_t i = 0; rg && i < n && i < MAX_RANGES; i++) {
		op_out(r, start[i], NULL, rg[i].start);
		op_out(r, last[i], NULL, rg[i].last);
	}
}

static const struct ucmd_desc d_iova_ranges = { .cmd = IOMMU_IOAS_IOVA_RANGES,
						.prep = ranges_prep,
						.post = ranges_post };
UAPI_VERB(op_ioas_iova_ranges, d_iova_ranges)

/* ALLOW_IOVAS: allowed_iovas=START,LAST,... pairs; num_iovas from them
 * unless given */
#define T_ALLOW struct iommu_ioas_allow_iovas

static int allow_prep(struct runner *r, const struct statement *st, void *cmd,
		      struct uscratch *sc)
{
	g_autoptr(GArray) v = arg_numlist(st, "allowed_iovas");
	T_ALLOW *c = cmd;
	struct iommu_iova_range *rg;
	int err;

	if (!arg_has(st, "num_iovas"))
		c->num_iovas = v->len / 2;
	err = scratch_ptr(r, cmd, offsetof(T_ALLOW, allowed_iovas),
			  (v->len / 2 + 1) * sizeof(*rg), sc, 0);
	rg = sc->p[0];
	for (guint i = 0; !err && i + 1 < v->len; i += 2) {
		rg[i / 2].start = g_array_index(v, uint64_t, i);
		rg[i / 2].last = g_array_index(v, uint64_t, i + 1);
	}
	return err;
}

static const struct ucmd_desc d_allow_iovas = { .cmd = IOMMU_IOAS_ALLOW_IOVAS,
						.prep = allow_prep };
UAPI_VERB(op_ioas_allow_iovas, d_allow_iovas)

static const struct ucmd_desc d_option = { .cmd = IOMMU_OPTION };
UAPI_VERB(op_iommu_option, d_option)

static const struct ucmd_desc d_vfio_ioas = { .cmd = IOMMU_VFIO_IOAS };
UAPI_VERB(op_vfio_ioas, d_vfio_ioas)

/* data=W,W,...: u32 words into the buffer behind a data_uptr, as far as
 * it goes (the rest stays zero) */
static void scratch_words(const struct statement *st, struct uscratch *sc,
			  int slot)
{
	g_autoptr(GArray) v = arg_numlist(st, "data");

	for (guint i = 0; sc->p[slot] && i < v->len &&
			  (i + 1) * sizeof(uint32_t) <= sc->n[slot];
	     i++)
		((uint32_t *)sc->p[slot])[i] =
			(uint32_t)g_array_index(v, uint64_t, i);
}

/* HWPT_ALLOC: data_len > 0 points data_uptr at that many bytes, data= */
#define T_HWPT struct iommu_hwpt_alloc

static int hwpt_prep(struct runner *r, const struct statement *st, void *cmd,
		     struct uscratch *sc)
{
	int err = scratch_ptr(r, cmd, offsetof(T_HWPT, data_uptr),
			      ((T_HWPT *)cmd)->data_len, sc, 0);

	scratch_words(st, sc, 0);
	return err;
}

static const struct ucmd_desc d_hwpt_alloc = { .cmd = IOMMU_HWPT_ALLOC,
					       .prep = hwpt_prep };
UAPI_VERB(op_hwpt_alloc, d_hwpt_alloc)

#define T_INFO struct iommu_hw_info

static int info_prep(struct runner *r, const struct statement *st, void *cmd,
		     struct uscratch *sc)
{
	return scratch_ptr(r, cmd, offsetof(T_INFO, data_uptr),
			   ((T_INFO *)cmd)->data_len, sc, 0);
}

static const struct ucmd_desc d_hw_info = { .cmd = IOMMU_GET_HW_INFO,
					    .prep = info_prep };
UAPI_VERB(op_get_hw_info, d_hw_info)

static const struct ucmd_desc d_set_dirty = {
	.cmd = IOMMU_HWPT_SET_DIRTY_TRACKING
};
UAPI_VERB(op_hwpt_set_dirty_tracking, d_set_dirty)

/* GET_DIRTY_BITMAP: data points at a bitmap big enough for the range */
#define T_BITMAP struct iommu_hwpt_get_dirty_bitmap

static int bitmap_prep(struct runner *r, const struct statement *st, void *cmd,
		       struct uscratch *sc)
{
	const T_BITMAP *c = cmd;
	uint64_t bits = c->page_size ? c->length / c->page_size : 0;

	return scratch_ptr(r, cmd, offsetof(T_BITMAP, data), bits / 8 + 8, sc,
			   0);
}

static const struct ucmd_desc d_get_dirty = {
	.cmd = IOMMU_HWPT_GET_DIRTY_BITMAP, .prep = bitmap_prep
};
UAPI_VERB(op_hwpt_get_dirty_bitmap, d_get_dirty)

#define T_INV struct iommu_hwpt_invalidate

static int inv_prep(struct runner *r, const struct statement *st, void *cmd,
		    struct uscratch *sc)
{
	const T_INV *c = cmd;

	int err = scratch_ptr(r, cmd, offsetof(T_INV, data_uptr),
			      (uint64_t)c->entry_len * c->entry_num, sc, 0);

	scratch_words(st, sc, 0);
	return err;
}

static const struct ucmd_desc d_invalidate = { .cmd = IOMMU_HWPT_INVALIDATE,
					       .prep = inv_prep };
UAPI_VERB(op_hwpt_invalidate, d_invalidate)

#define T_VIOMMU struct iommu_viommu_alloc

static int viommu_prep(struct runner *r, const struct statement *st, void *cmd,
		       struct uscratch *sc)
{
	return scratch_ptr(r, cmd, offsetof(T_VIOMMU, data_uptr),
			   ((T_VIOMMU *)cmd)->data_len, sc, 0);
}

static const struct ucmd_desc d_viommu = { .cmd = IOMMU_VIOMMU_ALLOC,
					   .prep = viommu_prep };
UAPI_VERB(op_viommu_alloc, d_viommu)

static const struct ucmd_desc d_vdevice = { .cmd = IOMMU_VDEVICE_ALLOC };
UAPI_VERB(op_vdevice_alloc, d_vdevice)

static const struct ucmd_desc d_get_pa = { .cmd = IOMMU_IOAS_NOIOMMU_GET_PA };
UAPI_VERB(op_ioas_noiommu_get_pa, d_get_pa)

/* VEVENTQ_ALLOC, HW_QUEUE_ALLOC: on the selftest mock's vIOMMU (the one
 * driver that makes one, model/iommufd/selftest_viommu.c) */
static const struct ucmd_desc d_veventq = { .cmd = IOMMU_VEVENTQ_ALLOC };
UAPI_VERB(op_veventq_alloc, d_veventq)

static const struct ucmd_desc d_hw_queue = { .cmd = IOMMU_HW_QUEUE_ALLOC };
UAPI_VERB(op_hw_queue_alloc, d_hw_queue)

/* CHANGE_PROCESS: the caller is ifd_task(), the child after a fork */
static const struct ucmd_desc d_change_process = {
	.cmd = IOMMU_IOAS_CHANGE_PROCESS
};
UAPI_VERB(op_ioas_change_process, d_change_process)

/*
 * IOMMU_TEST_CMD (CONFIG_IOMMUFD_TEST): op= picks the union member, whose
 * fields the statement names (iommufd_test.h IOMMU_TEST_CMD_FIELDS);
 * the validator refuses a field of another op before the run (its row:
 * .selector, .takes; iommu_test_cmd_takes()).
 */
static const struct iommu_test_field test_fields[] = { IOMMU_TEST_CMD_FIELDS(
	IOMMU_TEST_FIELD_ROW) };

static const struct iommu_test_field *test_field(uint32_t op, const char *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(test_fields); i++) {
		const struct iommu_test_field *f = &test_fields[i];
		bool out =
			f->dir == IOMMU_TEST_INOUT && !strncmp(key, "out_", 4);

		if (f->op == op && !strcmp(f->key, out ? key + 4 : key))
			return f;
	}
	return NULL;
}

static int test_prep(struct runner *r, const struct statement *st, void *cmd,
		     struct uscratch *sc)
{
	const struct iommu_test_cmd *c = cmd;

	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct iommu_test_field *f = test_field(c->op, a->key);
		uint64_t v;

		if (!f || f->dir == IOMMU_TEST_OUT ||
		    !strncmp(a->key, "out_", 4))
			continue;
		v = op_arg(op_find(st->verb), a->key)->type == T_FLAGS
			    ? arg_flags(st, a->key)
			    : handle_num(r, st, a->key);
		memcpy((char *)cmd + f->off, &v, f->width); /* little endian */
	}
	return 0;
}

static void test_post(struct runner *r, void *cmd, struct uscratch *sc)
{
	const struct iommu_test_cmd *c = cmd;

	for (size_t i = 0; i < G_N_ELEMENTS(test_fields); i++) {
		const struct iommu_test_field *f = &test_fields[i];
		uint64_t v = 0;
		g_autofree char *back = NULL;

		if (f->op != c->op || f->dir == IOMMU_TEST_IN)
			continue;
		back = g_strconcat("out_", f->key, NULL);

		memcpy(&v, (const char *)cmd + f->off, f->width);
		op_out(r,
		       f->dir != IOMMU_TEST_INOUT ? f->key
						  : g_intern_string(back),
		       NULL, v);
	}
}

static const struct ucmd_desc d_test = { .cmd = IOMMU_TEST_CMD,
					 .prep = test_prep,
					 .post = test_post };
UAPI_VERB(op_iommu_test_cmd, d_test)

/* Whether @key goes with op=@op: the head's fields, or a field of the
 * union member it names (its row: .selector, .takes) */
bool iommu_test_cmd_takes(uint64_t op, const char *key)
{
	static const char *const common[] = { "ictx", "size", "tail",
					      "op",   "id",   "__reserved",
					      "only" };

	for (size_t k = 0; k < G_N_ELEMENTS(common); k++) {
		if (!strcmp(key, common[k]))
			return true;
	}
	return op <= UINT32_MAX && test_field(op, key) != NULL;
}
