/* SPDX-License-Identifier: MIT */
/* errnames.h - errno names as the kernel spells them, both ways. */
#ifndef IOMMUSIM_SIM_ERRNAMES_H
#define IOMMUSIM_SIM_ERRNAMES_H

#include <stdbool.h>

/* positive errno for @name, or -1 */
int errno_from_name(const char *name);
/* "EPERM" for 1; a number as text for unknown values (static buffer) */
const char *errno_name(int err);

/* DMA fault names (FAULT_NOT_PRESENT, ...) and the model's codes */
int fault_from_name(const char *name, int *code);
const char *fault_name(int code);

bool scenario_is_ident(const char *w);
bool scenario_profile_known(const char *name);

#endif
