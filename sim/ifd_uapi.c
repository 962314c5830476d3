// SPDX-License-Identifier: MIT
/*
 * ifd_uapi.c - the iommufd ioctls as verbs: each fills its uapi struct
 * (model/iommufd/uapi.h) from the arguments named after its fields, calls
 * the model's one dispatcher, iommufd_ioctl(), as a process would, and
 * reads the out fields back. A field the scenario does not give is 0, as
 * in a zeroed struct. size= sets the struct's size field (the dispatcher's
 * size rules), tail= puts a non-zero byte just past the struct (E2BIG).
 * Arrays behind user pointers (allowed_iovas, data_uptr, data) are host
 * buffers here, as the model's process reads them.
 */
#include <string.h>

#include "runner.h"
#include "model/iommufd/iommufd.h"

enum uf_dir {
	UF_IN,	  /* key= sets it */
	UF_OUT,	  /* out_x= reads it (its uapi name starts with out_) */
	UF_INOUT, /* key= sets it, out_key= reads it back */
};

struct ufield {
	const char *key;
	const char *out; /* UF_INOUT: "out_" key */
	unsigned short off;
	unsigned char len;
	unsigned char dir;
};

/* A call's host buffers behind the struct's user pointers. */
struct uscratch {
	void *p[2];
};

struct ucmd_desc {
	unsigned int cmd;
	size_t size;
	const struct ufield *fields; /* terminated by a NULL key */
	/* points the struct's user pointers at scratch buffers */
	void (*prep)(struct runner *r, const struct statement *st, void *cmd,
		     struct uscratch *sc);
	/* reads what the kernel wrote behind them */
	void (*post)(struct runner *r, void *cmd, struct uscratch *sc);
};

#define FSZ(t, f) sizeof(((t *)0)->f)
#define UF(t, f, d)                                                            \
	{                                                                      \
		.key = #f, .out = "out_" #f, .off = offsetof(t, f),            \
		.len = FSZ(t, f), .dir = d                                     \
	}
#define UF_END                                                                 \
	{                                                                      \
		.key = NULL                                                    \
	}

/* An in argument's number, as its row types it. */
static uint64_t uarg(struct runner *r, const struct statement *st,
		     const char *key)
{
	const struct arg_spec *spec = op_arg(op_find(st->verb), key);

	switch (spec->type) {
	case T_HANDLE:
		return handle_num(r, st, key);
	case T_FLAGS:
		return arg_flags(st, key);
	case T_CODE:
		return arg_code(st, key, 0);
	default:
		return arg_num(st, key, 0);
	}
}

static void put_field(void *cmd, const struct ufield *f, uint64_t v)
{
	/* little-endian: the low f->len bytes */
	memcpy((char *)cmd + f->off, &v, f->len);
}

static uint64_t get_field(const void *cmd, const struct ufield *f)
{
	uint64_t v = 0;

	memcpy(&v, (const char *)cmd + f->off, f->len);
	return v;
}

static void fill_in(struct runner *r, const struct statement *st, void *cmd,
		    const struct ufield *fields)
{
	for (const struct ufield *f = fields; f->key; f++) {
		if (f->dir != UF_OUT && arg_has(st, f->key))
			put_field(cmd, f, uarg(r, st, f->key));
	}
}

static void read_out(struct runner *r, const void *cmd,
		     const struct ufield *fields)
{
	for (const struct ufield *f = fields; f->key; f++) {
		if (f->dir == UF_OUT)
			op_out(r, f->key, NULL, get_field(cmd, f));
		else if (f->dir == UF_INOUT)
			op_out(r, f->out, NULL, get_field(cmd, f));
	}
}

static int ucall(struct runner *r, const struct statement *st,
		 const struct ucmd_desc *d)
{
	int err = 0;
	struct iommufd_ctx *ictx = ifd_ctx_arg(r, st, &err);
	uint32_t size = (uint32_t)arg_num(st, "size", d->size);
	size_t len = MAX((size_t)size, d->size) + 8;
	g_autofree char *cmd = g_malloc0(len);
	struct uscratch sc = { { NULL, NULL } };

	if (err)
		return err;
	fill_in(r, st, cmd, d->fields);
	memcpy(cmd, &size, sizeof(size));
	if (arg_has(st, "tail") && size > d->size)
		cmd[d->size] = (char)arg_num(st, "tail", 1);
	if (d->prep)
		d->prep(r, st, cmd, &sc);
	err = iommufd_ioctl(ictx, ifd_task(r), d->cmd, cmd, len);
	if (!err) {
		read_out(r, cmd, d->fields);
		if (d->post)
			d->post(r, cmd, &sc);
	}
	g_free(sc.p[0]);
	g_free(sc.p[1]);
	return err;
}

/* A zeroed host buffer of @n bytes behind the u64 user pointer at @off
 * (NULL, the kernel's EFAULT, for none). */
static void scratch_ptr(void *cmd, size_t off, uint64_t n, struct uscratch *sc,
			int slot)
{
	uint64_t p = 0;

	if (n) {
		sc->p[slot] = g_malloc0(n);
		p = (uintptr_t)sc->p[slot];
	}
	memcpy((char *)cmd + off, &p, sizeof(p));
}

/* ---- the commands ---- */

#define UAPI_VERB(fn, desc)                                                    \
	int fn(struct runner *r, const struct statement *st)                   \
	{                                                                      \
		return ucall(r, st, &desc);                                    \
	}

static const struct ufield f_destroy[] = {
	UF(struct iommu_destroy, id, UF_IN),
	UF_END,
};
static const struct ucmd_desc d_destroy = { .cmd = IOMMU_DESTROY,
					    .size = sizeof(
						    struct iommu_destroy),
					    .fields = f_destroy };
UAPI_VERB(op_iommu_destroy, d_destroy)

static const struct ufield f_ioas_alloc[] = {
	UF(struct iommu_ioas_alloc, flags, UF_IN),
	UF(struct iommu_ioas_alloc, out_ioas_id, UF_OUT),
	UF_END,
};
static const struct ucmd_desc d_ioas_alloc = { .cmd = IOMMU_IOAS_ALLOC,
					       .size = sizeof(
						       struct iommu_ioas_alloc),
					       .fields = f_ioas_alloc };
UAPI_VERB(op_ioas_alloc, d_ioas_alloc)

#define T_MAP struct iommu_ioas_map
static const struct ufield f_ioas_map[] = {
	UF(T_MAP, flags, UF_IN),
	UF(T_MAP, ioas_id, UF_IN),
	UF(T_MAP, __reserved, UF_IN),
	UF(T_MAP, user_va, UF_IN),
	UF(T_MAP, length, UF_IN),
	UF(T_MAP, iova, UF_INOUT),
	UF_END,
};
static const struct ucmd_desc d_ioas_map = { .cmd = IOMMU_IOAS_MAP,
					     .size = sizeof(T_MAP),
					     .fields = f_ioas_map };
UAPI_VERB(op_ioas_map, d_ioas_map)

#define T_MAPF struct iommu_ioas_map_file
static const struct ufield f_ioas_map_file[] = {
	UF(T_MAPF, flags, UF_IN),
	UF(T_MAPF, ioas_id, UF_IN),
	UF(T_MAPF, fd, UF_IN),
	UF(T_MAPF, start, UF_IN),
	UF(T_MAPF, length, UF_IN),
	UF(T_MAPF, iova, UF_INOUT),
	UF_END,
};
static const struct ucmd_desc d_ioas_map_file = { .cmd = IOMMU_IOAS_MAP_FILE,
						  .size = sizeof(T_MAPF),
						  .fields = f_ioas_map_file };
UAPI_VERB(op_ioas_map_file, d_ioas_map_file)

#define T_UNMAP struct iommu_ioas_unmap
static const struct ufield f_ioas_unmap[] = {
	UF(T_UNMAP, ioas_id, UF_IN),
	UF(T_UNMAP, iova, UF_IN),
	UF(T_UNMAP, length, UF_INOUT),
	UF_END,
};
static const struct ucmd_desc d_ioas_unmap = { .cmd = IOMMU_IOAS_UNMAP,
					       .size = sizeof(T_UNMAP),
					       .fields = f_ioas_unmap };
UAPI_VERB(op_ioas_unmap, d_ioas_unmap)

#define T_COPY struct iommu_ioas_copy
static const struct ufield f_ioas_copy[] = {
	UF(T_COPY, flags, UF_IN),
	UF(T_COPY, dst_ioas_id, UF_IN),
	UF(T_COPY, src_ioas_id, UF_IN),
	UF(T_COPY, length, UF_IN),
	UF(T_COPY, dst_iova, UF_INOUT),
	UF(T_COPY, src_iova, UF_IN),
	UF_END,
};
static const struct ucmd_desc d_ioas_copy = { .cmd = IOMMU_IOAS_COPY,
					      .size = sizeof(T_COPY),
					      .fields = f_ioas_copy };
UAPI_VERB(op_ioas_copy, d_ioas_copy)

/* IOVA_RANGES: num_iovas in (the array's capacity, default 8) and out;
 * the first four ranges read back as out_start0/out_last0, ... */
#define T_RANGES struct iommu_ioas_iova_ranges
#define MAX_RANGES 4
static const struct ufield f_iova_ranges[] = {
	UF(T_RANGES, ioas_id, UF_IN),
	UF(T_RANGES, num_iovas, UF_INOUT),
	UF(T_RANGES, __reserved, UF_IN),
	UF(T_RANGES, out_iova_alignment, UF_OUT),
	UF_END,
};

static void ranges_prep(struct runner *r, const struct statement *st, void *cmd,
			struct uscratch *sc)
{
	T_RANGES *c = cmd;

	if (!arg_has(st, "num_iovas"))
		c->num_iovas = 8;
	scratch_ptr(cmd, offsetof(T_RANGES, allowed_iovas),
		    c->num_iovas * sizeof(struct iommu_iova_range), sc, 0);
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

	for (uint32_t i = 0; rg && i < c->num_iovas && i < MAX_RANGES; i++) {
		op_out(r, start[i], NULL, rg[i].start);
		op_out(r, last[i], NULL, rg[i].last);
	}
}

static const struct ucmd_desc d_iova_ranges = { .cmd = IOMMU_IOAS_IOVA_RANGES,
						.size = sizeof(T_RANGES),
						.fields = f_iova_ranges,
						.prep = ranges_prep,
						.post = ranges_post };
UAPI_VERB(op_ioas_iova_ranges, d_iova_ranges)

/* ALLOW_IOVAS: allowed_iovas=START,LAST,... pairs; num_iovas from them
 * unless given */
#define T_ALLOW struct iommu_ioas_allow_iovas
static const struct ufield f_allow_iovas[] = {
	UF(T_ALLOW, ioas_id, UF_IN),
	UF(T_ALLOW, num_iovas, UF_IN),
	UF(T_ALLOW, __reserved, UF_IN),
	UF_END,
};

static void allow_prep(struct runner *r, const struct statement *st, void *cmd,
		       struct uscratch *sc)
{
	g_autoptr(GArray) v = arg_numlist(st, "allowed_iovas");
	T_ALLOW *c = cmd;
	struct iommu_iova_range *rg;

	if (!arg_has(st, "num_iovas"))
		c->num_iovas = v->len / 2;
	scratch_ptr(cmd, offsetof(T_ALLOW, allowed_iovas),
		    (v->len / 2 + 1) * sizeof(*rg), sc, 0);
	rg = sc->p[0];
	for (guint i = 0; i + 1 < v->len; i += 2) {
		rg[i / 2].start = g_array_index(v, uint64_t, i);
		rg[i / 2].last = g_array_index(v, uint64_t, i + 1);
	}
}

static const struct ucmd_desc d_allow_iovas = { .cmd = IOMMU_IOAS_ALLOW_IOVAS,
						.size = sizeof(T_ALLOW),
						.fields = f_allow_iovas,
						.prep = allow_prep };
UAPI_VERB(op_ioas_allow_iovas, d_allow_iovas)

#define T_OPT struct iommu_option
static const struct ufield f_option[] = {
	UF(T_OPT, option_id, UF_IN),  UF(T_OPT, op, UF_IN),
	UF(T_OPT, __reserved, UF_IN), UF(T_OPT, object_id, UF_IN),
	UF(T_OPT, val64, UF_INOUT),   UF_END,
};
static const struct ucmd_desc d_option = { .cmd = IOMMU_OPTION,
					   .size = sizeof(T_OPT),
					   .fields = f_option };
UAPI_VERB(op_iommu_option, d_option)

#define T_VIOAS struct iommu_vfio_ioas
static const struct ufield f_vfio_ioas[] = {
	UF(T_VIOAS, ioas_id, UF_INOUT),
	UF(T_VIOAS, op, UF_IN),
	UF(T_VIOAS, __reserved, UF_IN),
	UF_END,
};
static const struct ucmd_desc d_vfio_ioas = { .cmd = IOMMU_VFIO_IOAS,
					      .size = sizeof(T_VIOAS),
					      .fields = f_vfio_ioas };
UAPI_VERB(op_vfio_ioas, d_vfio_ioas)

/* HWPT_ALLOC: data_len > 0 points data_uptr at that many zero bytes */
#define T_HWPT struct iommu_hwpt_alloc
static const struct ufield f_hwpt_alloc[] = {
	UF(T_HWPT, flags, UF_IN),	UF(T_HWPT, dev_id, UF_IN),
	UF(T_HWPT, pt_id, UF_IN),	UF(T_HWPT, out_hwpt_id, UF_OUT),
	UF(T_HWPT, __reserved, UF_IN),	UF(T_HWPT, data_type, UF_IN),
	UF(T_HWPT, data_len, UF_IN),	UF(T_HWPT, fault_id, UF_IN),
	UF(T_HWPT, __reserved2, UF_IN), UF_END,
};

static void hwpt_prep(struct runner *r, const struct statement *st, void *cmd,
		      struct uscratch *sc)
{
	scratch_ptr(cmd, offsetof(T_HWPT, data_uptr), ((T_HWPT *)cmd)->data_len,
		    sc, 0);
}

static const struct ucmd_desc d_hwpt_alloc = { .cmd = IOMMU_HWPT_ALLOC,
					       .size = sizeof(T_HWPT),
					       .fields = f_hwpt_alloc,
					       .prep = hwpt_prep };
UAPI_VERB(op_hwpt_alloc, d_hwpt_alloc)

#define T_INFO struct iommu_hw_info
static const struct ufield f_hw_info[] = {
	UF(T_INFO, flags, UF_IN),
	UF(T_INFO, dev_id, UF_IN),
	UF(T_INFO, data_len, UF_INOUT),
	UF(T_INFO, in_data_type, UF_IN),
	UF(T_INFO, out_data_type, UF_OUT),
	UF(T_INFO, out_max_pasid_log2, UF_OUT),
	UF(T_INFO, out_capabilities, UF_OUT),
	UF_END,
};

static void info_prep(struct runner *r, const struct statement *st, void *cmd,
		      struct uscratch *sc)
{
	scratch_ptr(cmd, offsetof(T_INFO, data_uptr), ((T_INFO *)cmd)->data_len,
		    sc, 0);
}

static const struct ucmd_desc d_hw_info = { .cmd = IOMMU_GET_HW_INFO,
					    .size = sizeof(T_INFO),
					    .fields = f_hw_info,
					    .prep = info_prep };
UAPI_VERB(op_get_hw_info, d_hw_info)

#define T_DIRTY struct iommu_hwpt_set_dirty_tracking
static const struct ufield f_set_dirty[] = {
	UF(T_DIRTY, flags, UF_IN),
	UF(T_DIRTY, hwpt_id, UF_IN),
	UF(T_DIRTY, __reserved, UF_IN),
	UF_END,
};
static const struct ucmd_desc d_set_dirty = {
	.cmd = IOMMU_HWPT_SET_DIRTY_TRACKING,
	.size = sizeof(T_DIRTY),
	.fields = f_set_dirty
};
UAPI_VERB(op_hwpt_set_dirty_tracking, d_set_dirty)

/* GET_DIRTY_BITMAP: data points at a bitmap big enough for the range */
#define T_BITMAP struct iommu_hwpt_get_dirty_bitmap
static const struct ufield f_get_dirty[] = {
	UF(T_BITMAP, hwpt_id, UF_IN),
	UF(T_BITMAP, flags, UF_IN),
	UF(T_BITMAP, __reserved, UF_IN),
	UF(T_BITMAP, iova, UF_IN),
	UF(T_BITMAP, length, UF_IN),
	UF(T_BITMAP, page_size, UF_IN),
	UF_END,
};

static void bitmap_prep(struct runner *r, const struct statement *st, void *cmd,
			struct uscratch *sc)
{
	const T_BITMAP *c = cmd;
	uint64_t bits = c->page_size ? c->length / c->page_size : 0;

	scratch_ptr(cmd, offsetof(T_BITMAP, data), bits / 8 + 8, sc, 0);
}

static const struct ucmd_desc d_get_dirty = {
	.cmd = IOMMU_HWPT_GET_DIRTY_BITMAP,
	.size = sizeof(T_BITMAP),
	.fields = f_get_dirty,
	.prep = bitmap_prep
};
UAPI_VERB(op_hwpt_get_dirty_bitmap, d_get_dirty)

#define T_INV struct iommu_hwpt_invalidate
static const struct ufield f_invalidate[] = {
	UF(T_INV, hwpt_id, UF_IN),    UF(T_INV, data_type, UF_IN),
	UF(T_INV, entry_len, UF_IN),  UF(T_INV, entry_num, UF_INOUT),
	UF(T_INV, __reserved, UF_IN), UF_END,
};

static void inv_prep(struct runner *r, const struct statement *st, void *cmd,
		     struct uscratch *sc)
{
	const T_INV *c = cmd;

	scratch_ptr(cmd, offsetof(T_INV, data_uptr),
		    (uint64_t)c->entry_len * c->entry_num, sc, 0);
}

static const struct ucmd_desc d_invalidate = { .cmd = IOMMU_HWPT_INVALIDATE,
					       .size = sizeof(T_INV),
					       .fields = f_invalidate,
					       .prep = inv_prep };
UAPI_VERB(op_hwpt_invalidate, d_invalidate)

#define T_VIOMMU struct iommu_viommu_alloc
static const struct ufield f_viommu[] = {
	UF(T_VIOMMU, flags, UF_IN),
	UF(T_VIOMMU, type, UF_IN),
	UF(T_VIOMMU, dev_id, UF_IN),
	UF(T_VIOMMU, hwpt_id, UF_IN),
	UF(T_VIOMMU, out_viommu_id, UF_OUT),
	UF(T_VIOMMU, data_len, UF_IN),
	UF_END,
};

static void viommu_prep(struct runner *r, const struct statement *st, void *cmd,
			struct uscratch *sc)
{
	scratch_ptr(cmd, offsetof(T_VIOMMU, data_uptr),
		    ((T_VIOMMU *)cmd)->data_len, sc, 0);
}

static const struct ucmd_desc d_viommu = { .cmd = IOMMU_VIOMMU_ALLOC,
					   .size = sizeof(T_VIOMMU),
					   .fields = f_viommu,
					   .prep = viommu_prep };
UAPI_VERB(op_viommu_alloc, d_viommu)

#define T_VDEV struct iommu_vdevice_alloc
static const struct ufield f_vdevice[] = {
	UF(T_VDEV, viommu_id, UF_IN),
	UF(T_VDEV, dev_id, UF_IN),
	UF(T_VDEV, out_vdevice_id, UF_OUT),
	UF(T_VDEV, virt_id, UF_IN),
	UF_END,
};
static const struct ucmd_desc d_vdevice = { .cmd = IOMMU_VDEVICE_ALLOC,
					    .size = sizeof(T_VDEV),
					    .fields = f_vdevice };
UAPI_VERB(op_vdevice_alloc, d_vdevice)

#define T_GETPA struct iommu_ioas_noiommu_get_pa
static const struct ufield f_get_pa[] = {
	UF(T_GETPA, flags, UF_IN),
	UF(T_GETPA, ioas_id, UF_IN),
	UF(T_GETPA, __reserved, UF_IN),
	UF(T_GETPA, iova, UF_IN),
	UF(T_GETPA, length, UF_INOUT),
	UF(T_GETPA, out_phys, UF_OUT),
	UF_END,
};
static const struct ucmd_desc d_get_pa = { .cmd = IOMMU_IOAS_NOIOMMU_GET_PA,
					   .size = sizeof(T_GETPA),
					   .fields = f_get_pa };
UAPI_VERB(op_ioas_noiommu_get_pa, d_get_pa)
