/* SPDX-License-Identifier: MIT */
/*
 * vfio.h - model/vfio's private header: what the rest of the model calls
 * in the VFIO model. Today that is vfio-pci's probe, which the driver
 * core runs when vfio-pci binds; the VFIO issue grows this module
 * (groups, containers, cdev) and gives it a public header beside this.
 */
#ifndef IOMMUSIM_MODEL_VFIO_VFIO_H
#define IOMMUSIM_MODEL_VFIO_VFIO_H

#include "iommu.h"

/* drivers/vfio/pci/vfio_pci.c vfio_pci_probe(): 0 or -errno (refused
 * with why). */
int vfio_pci_probe(struct iommu_model *m, struct device *dev);

#endif
