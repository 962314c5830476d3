/* SPDX-License-Identifier: MIT */
/*
 * vfio_call.h - how a VFIO verb's struct ioctl is made (sim/vfio.c
 * vstruct()), for the handlers of the VFIO rows kept in files of their
 * own (vfio_irqs.c, vfio_iommu.c).
 */
#ifndef IOMMUSIM_SIM_VFIO_CALL_H
#define IOMMUSIM_SIM_VFIO_CALL_H

#include "runner.h"

/* A buffer behind a user pointer of the struct (the dirty bitmap): the
 * prep makes it, the post reads it, vstruct() frees it */
struct vscratch {
	void *p;
	u64 n;
};

/* How a verb's call is made: @prep for what a field's handle cannot say
 * (and the user buffers), @post for what the kernel wrote behind them */
struct vcall {
	unsigned int cmd;
	int (*prep)(struct runner *r, const struct statement *st, void *buf,
		    struct vscratch *sc);
	void (*post)(struct runner *r, const void *buf,
		     const struct vscratch *sc);
};

/* The row's struct filled from the step (uapi_fill()), @c's prep, the
 * ioctl on fd=, the out fields read back, @c's post */
int vstruct(struct runner *r, const struct statement *st,
	    const struct vcall *c);

/* A handler that is vstruct() of @cmd with @prep alone */
#define VSTRUCT_VERB(fn, cmd, prep)                                            \
	int fn(struct runner *r, const struct statement *st)                   \
	{                                                                      \
		static const struct vcall c = { cmd, prep, NULL };             \
		return vstruct(r, st, &c);                                     \
	}

#endif
