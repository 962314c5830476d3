/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommusim_test.h - what the test driver's files share: the result of the
 * command being run (read back through debugfs) and the commands that live
 * outside iommusim_test.c.
 */
#ifndef IOMMUSIM_TEST_H
#define IOMMUSIM_TEST_H

#include <linux/compiler_attributes.h>

struct device;

/* The command's whole result line ("ret=0 key=value..."), in place of the
 * plain "ret=N" formatted from its return value. */
__printf(1, 2) void iommusim_result(const char *fmt, ...);

/* iommusim_dma.c: "dma BDF read|write IOVA LEN PATTERN|-" (argv[2..5]),
 * "memory_write PADDR LEN PATTERN", "check_memory PADDR LEN" */
int iommusim_dma(struct device *dev, char **argv);
int iommusim_phys_op(int argc, char **argv);

#endif
