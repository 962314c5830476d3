/* SPDX-License-Identifier: MIT */
/*
 * iommusim.h - the installed library (libiommusim, pkg-config iommusim).
 *
 * It holds the model of Linux 7.3's IOMMU core, AMDv1 page table and
 * iommufd (headers under model/: iommu.h, profile_api.h, pt/amdv1.h,
 * iommufd/iommufd.h, ...) and the scenario language and runner (sim/:
 * scenario.h, run.h). `pkg-config --cflags iommusim` puts both directories
 * on the include path, so a program writes
 *
 *	#include <iommusim.h>
 *	#include <model/iommu.h>
 *	#include <model/profile_api.h>
 *	#include <run.h>
 *
 * and links with `pkg-config --libs iommusim` (glib-2.0 comes along).
 * docs/tools.md has an example.
 */
#ifndef IOMMUSIM_H
#define IOMMUSIM_H

#define IOMMUSIM_VERSION "0.1.0"

/* The library's version: IOMMUSIM_VERSION as it was built. */
const char *iommusim_version(void);

#endif
