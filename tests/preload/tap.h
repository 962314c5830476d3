/* SPDX-License-Identifier: MIT */
/*
 * tap.h - the TAP checks of the shim's own test programs (client.c,
 * mmap.c): CHECK(cond, fmt...) prints "ok N - ..." or "not ok N - ...
 * (errno ...)"; tap_n checks so far, tap_failed of them failed.
 */
#ifndef IOMMUSIM_TESTS_PRELOAD_TAP_H
#define IOMMUSIM_TESTS_PRELOAD_TAP_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		bool ok_ = (cond);                                             \
		printf("%s %d - ", ok_ ? "ok" : "not ok", ++tap_n);            \
		printf(__VA_ARGS__);                                           \
		if (!ok_) {                                                    \
			printf(" (errno %s)", strerror(errno));                \
			tap_failed++;                                          \
		}                                                              \
		printf("\n");                                                  \
	} while (0)

#endif
