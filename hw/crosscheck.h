/* SPDX-License-Identifier: MIT */
/*
 * crosscheck.h - hw/'s entry point for `iommusim crosscheck`: run scenario
 * files on the model and in a QEMU guest with a real Linux 7.3 kernel, and
 * compare them step by step (docs/crosscheck.md).
 */
#ifndef IOMMUSIM_HW_CROSSCHECK_H
#define IOMMUSIM_HW_CROSSCHECK_H

/* argv[0] is the subcommand name. Exit status: 0 all agree, 1 a
 * disagreement or a guest failure, 2 bad input. */
int hw_crosscheck_main(int argc, char **argv);

#endif
