// SPDX-License-Identifier: MIT
/*
 * fault.c - the fail-nth knob (fault.h).
 */
#include <stddef.h>
#include <string.h>

#include "fault.h"

void fault_arm(struct fault_attr *f, uint64_t nth)
{
	f->fail_nth = nth;
	f->calls = 0;
	f->hit = NULL;
}

void fault_arm_site(struct fault_attr *f, const char *site)
{
	f->site = site;
}

bool fault_should_fail(struct fault_attr *f, const char *site)
{
	if (f && f->site && !strcmp(f->site, site)) {
		f->site = NULL;
		f->hit = site;
		return true;
	}
	if (!f || !f->fail_nth)
		return false;
	if (++f->calls < f->fail_nth)
		return false;
	f->fail_nth = 0; /* once, as fail-nth does */
	f->hit = site;
	return true;
}
