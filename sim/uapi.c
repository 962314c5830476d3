// SPDX-License-Identifier: MIT
/*
 * uapi.c - the verbs that are ioctls (iommufd, VFIO) take their uapi
 * struct's fields by name: a row declares the struct's size, each
 * argument and out field its offset and width (offsetof and sizeof of the
 * uapi field), and the handler only makes the call. The scenario's
 * numbers and numeric handles (ids) go in, out fields come back to the
 * runner (op_out()), which binds or asserts them.
 */
#include <string.h>

#include "runner.h"
#include "model/memory.h"
#include "model/core/kerrno.h"

static void put(void *buf, const struct arg_spec *spec, uint64_t v)
{
	uint8_t b1 = v;
	uint16_t b2 = v;
	uint32_t b4 = v;
	const void *src = spec->width == 1   ? (const void *)&b1
			  : spec->width == 2 ? (const void *)&b2
			  : spec->width == 4 ? (const void *)&b4
					     : (const void *)&v;

	memcpy((char *)buf + spec->off, src, spec->width);
}

static uint64_t get(const void *buf, const struct arg_spec *spec)
{
	uint8_t b1;
	uint16_t b2;
	uint32_t b4;
	uint64_t b8;
	const char *p = (const char *)buf + spec->off;

	switch (spec->width) {
	case 1:
		memcpy(&b1, p, 1);
		return b1;
	case 2:
		memcpy(&b2, p, 2);
		return b2;
	case 4:
		memcpy(&b4, p, 4);
		return b4;
	}
	memcpy(&b8, p, 8);
	return b8;
}

/* An argument's number: an id a handle stands for, flag or enum names
 * (ifd.c arg_flags(), arg_code()), or the number written. */
static uint64_t uapi_arg(struct runner *r, const struct statement *st,
			 const struct arg_spec *spec)
{
	switch (spec->type) {
	case T_HANDLE:
		return handle_num(r, st, spec->key);
	case T_FLAGS:
		return arg_flags(st, spec->key);
	case T_CODE:
		return arg_code(st, spec->key, 0);
	default:
		return arg_num(st, spec->key, 0);
	}
}

void *uapi_fill(struct runner *r, const struct op *op,
		const struct statement *st)
{
	void *buf = g_malloc0(op->uapi_size);
	uint32_t size = op->uapi_size;

	/* iommufd's size and VFIO's argsz: the first u32 of every struct */
	memcpy(buf, &size, sizeof(size));
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(op, a->key);

		if (!spec->width || spec->type == T_OUT)
			continue;
		put(buf, spec, uapi_arg(r, st, spec));
	}
	return buf;
}

void *user_buffer(struct runner *r, uint64_t bytes, const char *what, int *err)
{
	void *buf = iommu_memory_buffer(r->m, bytes);

	if (!buf)
		*err = iommu_refuse(r->m, -ENOMEM, "mmap",
				    "the caller's %s of %" G_GUINT64_FORMAT
				    " bytes is past the memory budget "
				    "(--memory-limit): the call is not made",
				    what, bytes);
	return buf;
}

void user_buffer_free(struct runner *r, void *buf, uint64_t bytes)
{
	iommu_memory_buffer_free(r->m, buf, bytes);
}

void uapi_outs(struct runner *r, const struct op *op, const void *buf)
{
	for (const struct arg_spec *spec = op->args; spec->key; spec++) {
		if (spec->type == T_OUT && spec->width)
			op_out(r, spec->key, NULL, get(buf, spec));
	}
}
