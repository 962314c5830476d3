// SPDX-License-Identifier: MIT
/*
 * device_feature.c - VFIO_DEVICE_FEATURE on a device file, as Linux 7.3's
 * drivers/vfio/vfio_main.c vfio_ioctl_device_feature() takes it: the
 * header's checks, the core's own features (migration, DMA logging,
 * which need ops vfio-pci does not have) and the rest handed to the
 * driver's device_feature op (vfio-pci's: vfio_pci_core.c). The rules a
 * feature's GET/SET/PROBE follow are include/linux/vfio.h
 * vfio_check_feature()'s.
 */
#include "vfio/vfio_private.h"

/*
 * vfio_check_feature(): a GET or SET the feature does not support is
 * -EINVAL; PROBE then answers 0 (supported) without reading data[];
 * otherwise one of GET or SET must be asked and argsz must leave @minsz
 * bytes of data[]: 1 means go ahead.
 */
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops, size_t minsz)
{
	if ((flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET)) &
	    ~supported_ops)
		return -EINVAL;
	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return 0;
	if (!(flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET)))
		return -EINVAL;
	if (argsz < minsz)
		return -EINVAL;
	return 1;
}

/*
 * The core's features need device->mig_ops (MIGRATION, MIG_DEVICE_STATE,
 * MIG_DATA_SIZE) or device->log_ops (DMA_LOGGING_*), which only the
 * variant drivers (mlx5, hisi_acc, pds, virtio, qat, xe) set: vfio-pci's
 * vfio_pci_probe() sets neither, so each is -ENOTTY before any check of
 * its flags or data.
 */
static int no_ops(struct vfio_device *vdev, const char *fn, const char *ops)
{
	return iommu_refuse(vdev->vfio->m, -ENOTTY, fn,
			    "vfio-pci has no %s (only a variant driver "
			    "sets them)",
			    ops);
}

/* vfio_ioctl_device_feature_migration_precopy_info_v2(): device->
 * migration_flags lacks VFIO_MIGRATION_PRE_COPY (vfio-pci's are 0), so
 * -EINVAL before the flags are looked at, PROBE too */
static int precopy_info_v2(struct vfio_device *vdev)
{
	return iommu_refuse(vdev->vfio->m, -EINVAL,
			    "vfio_ioctl_device_feature_migration_precopy_"
			    "info_v2",
			    "migration_flags 0: no VFIO_MIGRATION_PRE_COPY");
}

static int core_feature(struct vfio_device *vdev, u32 feature)
{
	switch (feature) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
		return no_ops(vdev, "vfio_ioctl_device_feature_migration",
			      "mig_ops");
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
		return no_ops(vdev,
			      "vfio_ioctl_device_feature_mig_device_state",
			      "mig_ops");
	case VFIO_DEVICE_FEATURE_MIG_DATA_SIZE:
		return no_ops(vdev,
			      "vfio_ioctl_device_feature_migration_data_size",
			      "mig_ops");
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
		return no_ops(vdev, "vfio_ioctl_device_feature_logging_start",
			      "log_ops");
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
		return no_ops(vdev, "vfio_ioctl_device_feature_logging_stop",
			      "log_ops");
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
		return no_ops(vdev, "vfio_ioctl_device_feature_logging_report",
			      "log_ops");
	default:
		return precopy_info_v2(vdev);
	}
}

/* the features vfio_ioctl_device_feature() itself dispatches */
static bool is_core_feature(u32 feature)
{
	return (feature >= VFIO_DEVICE_FEATURE_MIGRATION &&
		feature <= VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE) ||
	       (feature >= VFIO_DEVICE_FEATURE_DMA_LOGGING_START &&
		feature <= VFIO_DEVICE_FEATURE_MIG_DATA_SIZE) ||
	       feature == VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2;
}

/*
 * vfio_ioctl_device_feature(): the header (argsz, flags) copied in;
 * argsz below it, a flag outside the feature index and GET/SET/PROBE,
 * or GET and SET together without PROBE: -EINVAL, whatever the feature.
 * Then the core's features, else the driver's op with argsz - minsz.
 */
int vfio_ioctl_device_feature(struct vfio_file *df, struct process *task,
			      void *arg, size_t len)
{
	const size_t minsz = sizeof(struct vfio_device_feature);
	const u32 ops = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET;
	struct vfio_device_feature feature;
	u32 index;

	if (len < minsz)
		return -EFAULT;
	memcpy(&feature, arg, minsz);
	if (feature.argsz < minsz)
		return iommu_refuse(df->m, -EINVAL, "vfio_ioctl_device_feature",
				    "argsz %u is below the header's %zu",
				    feature.argsz, minsz);
	if (feature.flags &
	    ~(VFIO_DEVICE_FEATURE_MASK | ops | VFIO_DEVICE_FEATURE_PROBE))
		return iommu_refuse(df->m, -EINVAL, "vfio_ioctl_device_feature",
				    "unknown flags 0x%x", feature.flags);
	if (!(feature.flags & VFIO_DEVICE_FEATURE_PROBE) &&
	    (feature.flags & ops) == ops)
		return iommu_refuse(df->m, -EINVAL, "vfio_ioctl_device_feature",
				    "GET and SET together without PROBE");
	index = feature.flags & VFIO_DEVICE_FEATURE_MASK;
	if (is_core_feature(index))
		return core_feature(df->device, index);
	return vfio_pci_core_ioctl_feature(df->device, task, feature.flags,
					   (char *)arg + minsz, len - minsz,
					   feature.argsz - minsz);
}
