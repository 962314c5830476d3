#!/bin/sh
# kernel-names.sh LINUX_SRC: the Linux 7.3 names a scenario verb may mean
# (sim/kernel_names.c): every function the iommu core, iommufd and VFIO
# export, and every iommufd and VFIO ioctl of the uapi headers. A verb
# that is one of these but has no row is "not modelled yet", not a typo.
set -eu
cd "$1"
{
	grep -ho 'EXPORT_SYMBOL[_A-Z]*(\w*' drivers/iommu/iommu.c \
		drivers/iommu/iommu-sva.c drivers/iommu/io-pgfault.c \
		drivers/iommu/iommufd/*.c drivers/vfio/*.c \
		drivers/vfio/pci/vfio_pci_core.c | sed 's/.*(//'
	grep -hoE '^#define (IOMMU|VFIO)_[A-Z0-9_]+[[:space:]]+_IO(W|R|WR)?\(' \
		include/uapi/linux/iommufd.h include/uapi/linux/vfio.h |
		awk '{print $2}'
} | LC_ALL=C sort -u
