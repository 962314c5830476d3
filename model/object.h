/* SPDX-License-Identifier: MIT */
/*
 * object.h - objects with ids, as drivers/iommu/iommufd/main.c keeps them:
 * one common header (type, id, users) at the start of every object, and a
 * table that hands out ids the way an XA_FLAGS_ALLOC1 xarray does (the
 * lowest free id, from 1, up to a limit).
 *
 * Lifetime, as iommufd has it:
 *   obj_reserve()  takes an id but leaves the slot empty (XA_ZERO_ENTRY):
 *                  lookups do not see the object yet, users is 1 (the
 *                  table's own reference);
 *   ...            the caller does everything that can fail;
 *   obj_publish()  makes it visible (iommufd_object_finalize());
 *   obj_abort()    instead gives the id back (iommufd_object_abort()): a
 *                  failed creation consumes nothing.
 *   obj_remove()   takes a published object out if only the table holds
 *                  it (iommufd_object_remove(): refcount_dec_if_one), else
 *                  -EBUSY; a missing or reserved id is -ENOENT. The caller
 *                  then destroys the object.
 * obj_get()/obj_put() are the short-term references an operation holds
 * while it works on an object (iommufd_get_object()/iommufd_put_object());
 * obj_users_inc()/obj_users_dec() the long-term ones another object holds
 * (an HWPT on its IOAS), which make destroy refuse with -EBUSY.
 *
 * The model is single-threaded, so the kernel's wait_cnt (which lets a
 * destroy wait for short-term users on other CPUs) has no counterpart.
 */
#ifndef IOMMUSIM_MODEL_OBJECT_H
#define IOMMUSIM_MODEL_OBJECT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct fault_attr;

/* Type 0 matches any type in lookups (IOMMUFD_OBJ_ANY). */
#define OBJ_ANY 0u

struct obj_header {
	unsigned int type;  /* the owner's enum; never OBJ_ANY */
	unsigned int id;    /* 0 until reserved */
	unsigned int users; /* 1: only the table holds it */
	/* never reused, unlike ids: (id, serial) names this object and no
	 * later one that gets its id, so a stale reference is detectable */
	uint64_t serial;
};

struct obj_table {
	GPtrArray *slots;	  /* id -> NULL, OBJ_RESERVED or the object */
	unsigned int max_id;	  /* xa_limit: ids 1..max_id */
	unsigned int live;	  /* published objects */
	struct fault_attr *fault; /* asked once per reservation; may be NULL */
	uint64_t last_serial;	  /* the serial the last reservation got */
};

/* xa_limit_31b, what iommufd uses */
#define OBJ_ID_MAX_31B 0x7fffffffu

void obj_table_init(struct obj_table *t, unsigned int max_id,
		    struct fault_attr *fault);
/* Frees the table; the objects are the caller's and must be gone. */
void obj_table_release(struct obj_table *t);

/* @dst as @src with each published object replaced by @copy(obj, data):
 * the same ids, free slots, count and last serial, so both hand out the
 * same id and serial next. -EBUSY (@dst untouched) while an object is
 * reserved: a copy is taken between operations, never inside one. */
int obj_table_copy(struct obj_table *dst, const struct obj_table *src,
		   struct fault_attr *fault,
		   struct obj_header *(*copy)(struct obj_header *, void *),
		   void *data);

/* 0, -ENOMEM (injected allocation failure) or -EBUSY (no free id, as
 * xa_alloc() answers). Sets obj->type, obj->id, obj->users = 1 and a new
 * obj->serial. */
int obj_reserve(struct obj_table *t, struct obj_header *obj, unsigned int type);
void obj_publish(struct obj_table *t, struct obj_header *obj);
void obj_abort(struct obj_table *t, struct obj_header *obj);

/* The published object with @id and @type (or OBJ_ANY), with a short-term
 * reference taken; NULL when missing, reserved or of another type. */
struct obj_header *obj_get(struct obj_table *t, unsigned int id,
			   unsigned int type);
void obj_put(struct obj_header *obj);
/* The published object with @id, no reference taken (views, iteration). */
struct obj_header *obj_peek(const struct obj_table *t, unsigned int id);
/* The same, only if it is still the object @serial named: NULL once that
 * object was removed, even when a newer one has taken its id. */
struct obj_header *obj_peek_serial(const struct obj_table *t, unsigned int id,
				   uint64_t serial);

static inline void obj_users_inc(struct obj_header *obj)
{
	obj->users++;
}
static inline void obj_users_dec(struct obj_header *obj)
{
	obj->users--;
}

/* 0 with *out set and the id free again, -ENOENT (missing or reserved) or
 * -EBUSY (someone besides the table holds it). Nothing changes on error. */
int obj_remove(struct obj_table *t, unsigned int id, struct obj_header **out);

/* Iteration in id order over published objects: first id > @after, 0 at
 * the end. */
unsigned int obj_next_id(const struct obj_table *t, unsigned int after);
/* Ids taken, reserved ones included (a failed step must not change it). */
unsigned int obj_ids_taken(const struct obj_table *t);

#endif
