/* SPDX-License-Identifier: MIT */
/*
 * fault.h - the model's one fault-injection knob, after the kernel's
 * fail-nth (Documentation/fault-injection/fault-injection.rst): armed with
 * N, the Nth call to fault_should_fail() from then on fails, once.
 *
 * Every point where the kernel can fail an allocation or a lookup asks
 * the same knob (object ids, objects, igroups, domains, page-table pages,
 * pinned pages), so `iommusim fail-nth` can replay a scenario failing each
 * of them in turn and prove that the failing step changed nothing.
 */
#ifndef IOMMUSIM_MODEL_FAULT_H
#define IOMMUSIM_MODEL_FAULT_H

#include <stdbool.h>
#include <stdint.h>

struct fault_attr {
	uint64_t fail_nth; /* fail the Nth next call (1: the next), 0: off */
	uint64_t calls;	   /* calls counted since armed */
	const char *hit;   /* the site that failed last, for the trace */
	/* failslab's stack filter (require-start/-end around one function):
	 * the next call at this site fails, once, whatever fail_nth says;
	 * NULL: none */
	const char *site;
};

/* Arm (N > 0) or disarm (0). */
void fault_arm(struct fault_attr *f, uint64_t nth);
/* Arm the next call at @site (a string the site names itself with, kept
 * by the caller), or disarm (NULL); independent of fault_arm(). */
void fault_arm_site(struct fault_attr *f, const char *site);
/* Whether the call at @site fails now: true exactly once per arming. */
bool fault_should_fail(struct fault_attr *f, const char *site);
/* Armed and not yet met. */
static inline bool fault_armed(const struct fault_attr *f)
{
	return f && f->fail_nth != 0;
}

#endif
