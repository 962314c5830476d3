// SPDX-License-Identifier: MIT
/*
 * object.c - the id table of object.h, after iommufd's use of an
 * XA_FLAGS_ALLOC1 xarray (main.c: _iommufd_object_alloc(),
 * iommufd_object_finalize(), iommufd_object_abort(), iommufd_get_object(),
 * iommufd_object_remove()).
 */
#include "object.h"
#include "fault.h"
#include "copy.h"
#include "kerrno.h"

/* XA_ZERO_ENTRY: an id taken by an object not yet published */
static char obj_reserved_mark;
#define OBJ_RESERVED ((gpointer)&obj_reserved_mark)

void obj_table_init(struct obj_table *t, unsigned int max_id,
		    struct fault_attr *fault)
{
	t->slots = g_ptr_array_new();
	g_ptr_array_add(t->slots, NULL); /* id 0 is never handed out */
	t->max_id = max_id;
	t->live = 0;
	t->fault = fault;
	t->last_serial = 0;
}

void obj_table_release(struct obj_table *t)
{
	spare_ptr_array_put(t->slots);
	t->slots = NULL;
}

int obj_table_copy(struct obj_table *dst, const struct obj_table *src,
		   struct fault_attr *fault,
		   struct obj_header *(*copy)(struct obj_header *, void *),
		   void *data)
{
	for (guint id = 1; id < src->slots->len; id++) {
		if (src->slots->pdata[id] == OBJ_RESERVED)
			return -EBUSY;
	}
	*dst = *src;
	dst->fault = fault;
	dst->slots = spare_ptr_array(src->slots->len);
	g_ptr_array_set_size(dst->slots, src->slots->len);
	for (guint id = 0; id < src->slots->len; id++) {
		struct obj_header *obj = src->slots->pdata[id];

		dst->slots->pdata[id] = obj ? copy(obj, data) : NULL;
	}
	return 0;
}

static unsigned int lowest_free(const struct obj_table *t)
{
	unsigned int id;

	for (id = 1; id < t->slots->len; id++) {
		if (!t->slots->pdata[id])
			return id;
	}
	return id <= t->max_id ? id : 0;
}

int obj_reserve(struct obj_table *t, struct obj_header *obj, unsigned int type)
{
	unsigned int id;

	if (fault_should_fail(t->fault, "obj_reserve"))
		return -ENOMEM;
	id = lowest_free(t);
	if (!id)
		return -EBUSY;
	if (id == t->slots->len)
		g_ptr_array_add(t->slots, NULL);
	t->slots->pdata[id] = OBJ_RESERVED;
	obj->type = type;
	obj->id = id;
	obj->users = 1;
	obj->serial = ++t->last_serial;
	return 0;
}

static void shrink(struct obj_table *t)
{
	while (t->slots->len > 1 && !t->slots->pdata[t->slots->len - 1])
		g_ptr_array_set_size(t->slots, t->slots->len - 1);
}

void obj_publish(struct obj_table *t, struct obj_header *obj)
{
	g_return_if_fail(t->slots->pdata[obj->id] == OBJ_RESERVED);
	t->slots->pdata[obj->id] = obj;
	t->live++;
}

void obj_abort(struct obj_table *t, struct obj_header *obj)
{
	g_return_if_fail(obj->id < t->slots->len &&
			 t->slots->pdata[obj->id] == OBJ_RESERVED);
	t->slots->pdata[obj->id] = NULL;
	obj->id = 0;
	shrink(t);
}

struct obj_header *obj_peek(const struct obj_table *t, unsigned int id)
{
	gpointer p;

	if (id == 0 || id >= t->slots->len)
		return NULL;
	p = t->slots->pdata[id];
	return p == OBJ_RESERVED ? NULL : p;
}

struct obj_header *obj_peek_serial(const struct obj_table *t, unsigned int id,
				   uint64_t serial)
{
	struct obj_header *obj = obj_peek(t, id);

	return obj && obj->serial == serial ? obj : NULL;
}

struct obj_header *obj_get(struct obj_table *t, unsigned int id,
			   unsigned int type)
{
	struct obj_header *obj = obj_peek(t, id);

	if (!obj || (type != OBJ_ANY && obj->type != type))
		return NULL;
	obj->users++;
	return obj;
}

void obj_put(struct obj_header *obj)
{
	obj->users--;
}

int obj_remove(struct obj_table *t, unsigned int id, struct obj_header **out)
{
	struct obj_header *obj = obj_peek(t, id);

	if (!obj)
		return -ENOENT;
	if (obj->users != 1)
		return -EBUSY;
	obj->users = 0;
	t->slots->pdata[id] = NULL;
	t->live--;
	shrink(t);
	*out = obj;
	return 0;
}

unsigned int obj_next_id(const struct obj_table *t, unsigned int after)
{
	/* obj_peek()'s test, without a call per slot (every walk of the
	 * domains: the state key, the invariants, a copy and its free) */
	for (unsigned int id = after + 1; id < t->slots->len; id++) {
		gpointer p = t->slots->pdata[id];

		if (p && p != OBJ_RESERVED)
			return id;
	}
	return 0;
}

unsigned int obj_ids_taken(const struct obj_table *t)
{
	unsigned int n = 0;

	for (unsigned int id = 1; id < t->slots->len; id++)
		n += t->slots->pdata[id] != NULL;
	return n;
}
