/* SPDX-License-Identifier: MIT */
/*
 * copy.h - the copy map that iommu_model_copy() (core/copy.c) and each
 * subsystem's copy (iommufd/copy.c, vfio/copy.c) share. Only model/ and
 * the runner's session copy include it.
 *
 * Objects point at each other, across subsystems too (a VFIO device at
 * its iommufd_device, an IOAS's area at pages that hold a process), so
 * a copy is two passes over one map: every object is copied (its bytes,
 * its own containers) and entered old -> new; then its references are
 * pointed through the map. copy_dup() does the first and queues the
 * second (@fix), which iommu_copy_end() runs once every object exists;
 * an object reached only through another (a process through the pages
 * that hold it) is copied on first reach with copy_get().
 *
 * What the copy cannot cover is refused before anything is copied (each
 * subsystem's check names why: an object kind it does not know); a
 * reference the map lacks at the end is a copy bug, refused too.
 */
#ifndef IOMMUSIM_MODEL_COPY_H
#define IOMMUSIM_MODEL_COPY_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

struct iommu_model;
struct physmem;
struct iommu_copy;

struct copy_slot {
	const void *from;
	void *to;
};

typedef void (*copy_fix_fn)(struct iommu_copy *c, void *to, const void *from);

struct iommu_copy {
	const struct iommu_model *from;
	struct iommu_model *to; /* NULL when refused before copying */
	struct copy_slot *slots, small[128];
	size_t mask, used;
	bool missing;  /* a reference to an object not copied */
	char *why;     /* the first reason the copy is refused */
	GArray *later; /* struct copy_fix: the second pass, in order */
};

void copy_map_add(struct iommu_copy *c, const void *from, void *to);
/* The copy of @old, NULL for NULL; a missing one refuses the copy. */
void *copy_remap(struct iommu_copy *c, const void *old);
/* The copy of @old if it has one, no refusal. */
void *copy_lookup(const struct iommu_copy *c, const void *old);
GPtrArray *copy_remap_array(struct iommu_copy *c, const GPtrArray *a);
/* A copy of @size bytes of @from, mapped, its @fix (NULL: none) queued. */
void *copy_dup(struct iommu_copy *c, const void *from, size_t size,
	       copy_fix_fn fix);
/* @fix(@to, @from) queued for the second pass (an object mapped by
 * copy_map_add() whose references are pointed later) */
void copy_later(struct iommu_copy *c, copy_fix_fn fix, void *to,
		const void *from);
/* copy_dup() unless @from is mapped already: its copy then. */
void *copy_get(struct iommu_copy *c, const void *from, size_t size,
	       copy_fix_fn fix);
/* What a process's, a file's or a mapping's memory is charged to: the
 * copy's physmem for the original's (NULL for none). */
struct physmem *copy_budget(struct iommu_copy *c, const struct physmem *b);
/* Refuse the copy (the first reason is kept). */
void copy_refuse(struct iommu_copy *c, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

/* core/copy.c: an IOMMU and a device (the machine's, or the selftest's
 * mock IOMMU and soft devices): copied and mapped, then pointed */
struct iommu_device;
struct device;
struct iommu_device *copy_iommu_device(struct iommu_copy *c,
				       const struct iommu_device *o);
void point_iommu_device(struct iommu_copy *c, struct iommu_device *n,
			const struct iommu_device *o);
struct device *copy_device(struct iommu_copy *c, const struct device *o);
void point_device(struct iommu_copy *c, struct device *n,
		  const struct device *o);

/* iommufd/copy.c: the ctxs of @c->from and what they hold (called once
 * the core's objects are mapped); the check runs before anything is
 * copied and refuses what the copy does not cover */
bool iommufd_copy_check(struct iommu_copy *c);
void iommufd_copy(struct iommu_copy *c);
/* iommufd/copy_selftest.c: the selftest's mock IOMMU, devices and state
 * (before the core's references are pointed: they point at them), and
 * a domain's driver part (the mock's nested domain) */
void selftest_copy(struct iommu_copy *c);
struct iommu_domain;
void *iommufd_copy_domain_priv(struct iommu_copy *c,
			       const struct iommu_domain *d);
/* vfio/copy.c: m->vfio, its devices, groups, files and containers */
void vfio_copy(struct iommu_copy *c);

/* core/spare.c: an empty list with no free function, from the lists
 * freed machines gave back (a new one when none is kept); freed with
 * g_ptr_array_free() or given back. @a must be the caller's alone, with
 * no free function. */
GPtrArray *spare_ptr_array(guint reserve);
void spare_ptr_array_put(GPtrArray *a);

#endif
